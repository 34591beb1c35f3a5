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

    private static KeyValuePair<string, object?> Topic(string topic) => new("messaging.destination.name", topic);

    private static KeyValuePair<string, object?> ErrorType(Exception? failure) =>
        new("error.type", failure switch { null => null, OperationCanceledException => "canceled", _ => failure.GetType().Name });
}
