using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// The hosted consumer's metrics, on the SDK's one <see cref="Meter"/> <c>Atom.Salesforce</c> (made through the application's
/// <see cref="IMeterFactory"/>, as the core's are). Tags name the topic (<c>messaging.destination.name</c>) and the failure
/// type, never a record value, a user id or a token.
/// </summary>
internal sealed class ConsumerTelemetry : IDisposable
{
    public const string MeterName = "Atom.Salesforce";

    private static readonly string Version =
        typeof(ConsumerTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly Meter _meter;
    private readonly Counter<long> _processed;
    private readonly Histogram<double> _handlerDuration;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _leaseChanges;

    public ConsumerTelemetry(IMeterFactory meterFactory, ChangeEventsStatus status)
    {
        _meter = meterFactory.Create(new MeterOptions(MeterName) { Version = Version });
        _processed = _meter.CreateCounter<long>(
            "salesforce.change_events.processed", unit: "{event}",
            description: "Events whose replay id was committed, by outcome: handled, or dead_lettered after the last attempt failed.");
        _handlerDuration = _meter.CreateHistogram<double>(
            "salesforce.change_events.handler.duration", unit: "s", description: "Duration of one handler attempt.");
        _reconnects = _meter.CreateCounter<long>(
            "salesforce.change_events.reconnects", unit: "{reconnect}", description: "Subscriptions started again after the stream failed.");
        _leaseChanges = _meter.CreateCounter<long>(
            "salesforce.change_events.lease.changes", unit: "{change}",
            description: "Subscriber leases this instance acquired or lost (salesforce.lease.change: acquired, lost).");
        _meter.CreateObservableGauge(
            "salesforce.change_events.active", () => status.Topics.Select(t => new Measurement<int>(
                t.State is ChangeEventTopicState.Active or ChangeEventTopicState.Reconnecting ? 1 : 0,
                new KeyValuePair<string, object?>("messaging.destination.name", t.Topic))),
            unit: "{subscription}", description: "1 for each topic this instance is the active subscriber of, 0 while it stands by.");
    }

    public void Processed(string topic, bool deadLettered) =>
        _processed.Add(1, Topic(topic), new KeyValuePair<string, object?>("salesforce.change_events.outcome", deadLettered ? "dead_lettered" : "handled"));

    public void HandlerAttempt(string topic, long startedTimestamp, Exception? failure) =>
        _handlerDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, Topic(topic), ErrorType(failure));

    public void Reconnect(string topic, Exception? failure) => _reconnects.Add(1, Topic(topic), ErrorType(failure));

    public void Lease(string topic, bool acquired) =>
        _leaseChanges.Add(1, Topic(topic), new KeyValuePair<string, object?>("salesforce.lease.change", acquired ? "acquired" : "lost"));

    public void Dispose() => _meter.Dispose();

    /// <summary>
    /// Starts the process span of one event handed to a handler (OpenTelemetry messaging conventions: <c>process {topic}</c>,
    /// kind consumer, operation type <c>process</c>) on the SDK's <c>Atom.Salesforce</c> source. It is a root: Salesforce events
    /// carry no trace context of their creation, and the hosted consumer runs for hours, so no ambient span is its parent; it
    /// links to the span of the Subscribe call that received the event instead. Current until disposed.
    /// </summary>
    public static Activity? StartProcess(string topic, string consumerName, ActivityContext receiveContext)
    {
        var source = Atom.Salesforce.Client.Telemetry.SalesforceTelemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        Activity.Current = null;
        var tags = new ActivityTagsCollection
        {
            { "messaging.system", PubSubTelemetry.MessagingSystem },
            { "messaging.operation.name", "process" },
            { "messaging.operation.type", "process" },
            { "messaging.destination.name", topic },
            { "messaging.consumer.group.name", consumerName },
        };
        ActivityLink[]? links = receiveContext == default ? null : [new ActivityLink(receiveContext)];
        return source.StartActivity(ActivityKind.Consumer, parentContext: default, tags, links, name: "process " + topic);
    }

    /// <summary>Records a failed handler attempt on the process span as an <c>exception</c> event (its type only: a message may hold record values).</summary>
    public static void AttemptFailed(Activity? span, int attempt, Exception failure) =>
        span?.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            { "exception.type", failure.GetType().FullName },
            { "salesforce.change_events.attempt", attempt },
        }));

    /// <summary>Ends the process span's story: the attempts made, and the outcome (handled, dead_lettered, or an error type when the host stopped it).</summary>
    public static void Processed(Activity? span, int attempts, Exception? failure)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("salesforce.change_events.attempts", attempts);
        if (failure is null)
        {
            span.SetTag("salesforce.change_events.outcome", "handled");
            return;
        }

        var errorType = failure is OperationCanceledException ? "canceled" : failure.GetType().Name;
        if (failure is not OperationCanceledException)
        {
            span.SetTag("salesforce.change_events.outcome", "dead_lettered");
        }

        span.SetTag("error.type", errorType);
        span.SetStatus(ActivityStatusCode.Error, errorType);
    }

    private static KeyValuePair<string, object?> Topic(string topic) => new("messaging.destination.name", topic);

    private static KeyValuePair<string, object?> ErrorType(Exception? failure) =>
        new("error.type", failure switch { null => null, OperationCanceledException => "canceled", _ => failure.GetType().Name });
}
