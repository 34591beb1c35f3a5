using System.Diagnostics;
using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.Telemetry;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// The Pub/Sub API client's spans and metrics, on the SDK's one <see cref="ActivitySource"/> and <see cref="Meter"/>
/// (<c>Atom.Salesforce</c>, the meter made through the application's <see cref="IMeterFactory"/> as the core's is), named
/// after OpenTelemetry's messaging semantic conventions. <c>messaging.system</c> is <c>salesforce_pubsub</c>: the conventions
/// list no value for Salesforce and ask for a lowercase custom one then. Tags name the topic, the operation, the server and the
/// connected app; never a token, an org id, a user id, a session or an event's content.
/// </summary>
internal sealed class PubSubTelemetry
{
    public const string MessagingSystem = "salesforce_pubsub";

    private readonly Counter<long> _consumed;
    private readonly Counter<long> _receivedBytes;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _reconnects;
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?> _system = new("messaging.system", MessagingSystem);
    private readonly KeyValuePair<string, object?> _serverAddress;
    private readonly KeyValuePair<string, object?> _serverPort;
    private readonly KeyValuePair<string, object?> _app;

    public PubSubTelemetry(IMeterFactory meterFactory, Uri endpoint, string appName)
    {
        var meter = meterFactory.Create(new MeterOptions(SalesforceTelemetry.Name) { Version = SdkInfo.Version });
        _serverAddress = new("server.address", endpoint.Host);
        _serverPort = new("server.port", endpoint.Port);
        _app = new("salesforce.app", appName.Length == 0 ? "default" : appName);
        _consumed = meter.CreateCounter<long>(
            "messaging.client.consumed.messages", unit: "{message}",
            description: "Events the Pub/Sub API client received from a subscription and handed to the caller.");
        _receivedBytes = meter.CreateCounter<long>(
            "salesforce.pubsub.client.received.bytes", unit: "By",
            description: "Avro payload bytes of the events the Pub/Sub API client received from subscriptions.");
        _sent = meter.CreateCounter<long>(
            "messaging.client.sent.messages", unit: "{message}",
            description: "Events the Pub/Sub API client published, one per answer from Salesforce; error.type is Salesforce's error code of a refused event.");
        _reconnects = meter.CreateCounter<long>(
            "salesforce.pubsub.client.reconnects", unit: "{reconnect}",
            description: "Subscriptions the Pub/Sub API client started again after the stream failed or the session was refused; error.type is the failure's gRPC status.");
        _duration = meter.CreateHistogram<double>(
            "messaging.client.operation.duration", unit: "s",
            description: "Duration of the Pub/Sub API client's unary calls (publish, GetTopic, GetSchema), session renewal and retries included.");
    }

    /// <summary>
    /// Starts the span of one call: <c>{operation} {topic}</c> (the operation alone when there is no topic), kind client, with the
    /// messaging tags. A subscription's span is not made current, so the caller's work between events is not its child.
    /// </summary>
    public Call Start(string operation, string? operationType, string? topic, string rpcMethod, bool makeCurrent = true)
    {
        var previous = Activity.Current;
        var activity = SalesforceTelemetry.ActivitySource.StartActivity(topic is null ? operation : operation + " " + topic, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.name", operation);
            if (operationType is not null)
            {
                activity.SetTag("messaging.operation.type", operationType);
            }

            if (topic is not null)
            {
                activity.SetTag("messaging.destination.name", topic);
            }

            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", "eventbus.v1.PubSub");
            activity.SetTag("rpc.method", rpcMethod);
            activity.SetTag(_serverAddress.Key, _serverAddress.Value);
            activity.SetTag(_serverPort.Key, _serverPort.Value);
            activity.SetTag(_app.Key, _app.Value);
            if (!makeCurrent)
            {
                Activity.Current = previous;
            }
        }

        return new Call(this, operation, topic, activity);
    }

    public void Received(string topic, int payloadBytes)
    {
        var tags = Tags("subscribe", topic);
        _consumed.Add(1, tags);
        _receivedBytes.Add(payloadBytes, tags);
    }

    public void Published(string topic, string operation, PublishResult result)
    {
        var tags = Tags(operation, topic);
        if (!result.IsSuccess)
        {
            tags.Add("error.type", result.ErrorCode ?? "UNKNOWN");
        }

        _sent.Add(1, tags);
    }

    public void Reconnect(string topic, string reason)
    {
        var tags = Tags("subscribe", topic);
        tags.Add("error.type", reason);
        _reconnects.Add(1, tags);
    }

    private TagList Tags(string operation, string? topic)
    {
        var tags = new TagList { _system, new("messaging.operation.name", operation), _serverAddress, _serverPort, _app };
        if (topic is not null)
        {
            tags.Add("messaging.destination.name", topic);
        }

        return tags;
    }

    /// <summary>The error type of a failure: <c>canceled</c>, or the SDK exception's type (never its message).</summary>
    public static string ErrorType(Exception exception) => exception is OperationCanceledException ? "canceled" : exception.GetType().Name;

    /// <summary>One running call; dispose it when the call ends, after <c>Fail</c> if it failed.</summary>
    internal sealed class Call : IDisposable
    {
        private readonly PubSubTelemetry _owner;
        private readonly string _operation;
        private readonly string? _topic;
        private readonly long _started;
        private string? _errorType;

        public Call(PubSubTelemetry owner, string operation, string? topic, Activity? activity)
        {
            _owner = owner;
            _operation = operation;
            _topic = topic;
            Activity = activity;
            _started = Stopwatch.GetTimestamp();
        }

        public Activity? Activity { get; }

        /// <summary>Records the number of events a publish carries.</summary>
        public void BatchSize(int count)
        {
            if (count > 1)
            {
                Activity?.SetTag("messaging.batch.message_count", count);
            }
        }

        private bool _ended;

        public void Fail(Exception exception) => Fail(ErrorType(exception));

        /// <summary>Marks the call failed with a low-cardinality error type (an exception type, a gRPC status name).</summary>
        public void Fail(string errorType)
        {
            _errorType = errorType;
            Activity?.SetStatus(ActivityStatusCode.Error, _errorType);
            Activity?.SetTag("error.type", _errorType);
        }

        /// <summary>Ends the span and, for a unary call, records its duration.</summary>
        public void Dispose() => End(recordDuration: true);

        /// <summary>Ends the span of a stream, whose length says how long the caller read, not how the call went.</summary>
        public void EndStream() => End(recordDuration: false);

        private void End(bool recordDuration)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            if (recordDuration)
            {
                var tags = _owner.Tags(_operation, _topic);
                if (_errorType is not null)
                {
                    tags.Add("error.type", _errorType);
                }

                _owner._duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
            }

            Activity?.Dispose();
        }
    }
}
