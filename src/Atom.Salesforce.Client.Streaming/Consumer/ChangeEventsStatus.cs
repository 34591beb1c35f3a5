namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// What the hosted consumer is doing, topic by topic, for a health check or a status page (resolve it from the container).
/// An instance that is <see cref="ChangeEventTopicState.Standby"/> is healthy: another instance is the active subscriber.
/// </summary>
public sealed class ChangeEventsStatus
{
    private readonly List<ChangeEventTopicStatus> _topics = [];

    internal ChangeEventsStatus()
    {
    }

    /// <summary>One entry per topic with a handler.</summary>
    public IReadOnlyList<ChangeEventTopicStatus> Topics
    {
        get
        {
            lock (_topics)
            {
                return [.. _topics];
            }
        }
    }

    internal ChangeEventTopicStatus Add(string topic)
    {
        lock (_topics)
        {
            var status = new ChangeEventTopicStatus(topic);
            _topics.Add(status);
            return status;
        }
    }
}

/// <summary>The state of one topic's subscription in this instance.</summary>
public sealed class ChangeEventTopicStatus
{
    private volatile StateSnapshot _snapshot = new(ChangeEventTopicState.Starting, null, null, 0);

    internal ChangeEventTopicStatus(string topic) => Topic = topic;

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary>What this instance does with the topic now.</summary>
    public ChangeEventTopicState State => _snapshot.State;

    /// <summary>When this instance last committed a replay id of the topic; null before the first.</summary>
    public DateTimeOffset? LastCommittedAt => _snapshot.LastCommittedAt;

    /// <summary>The last failure of the stream (not of a handler), cleared when an event arrives again.</summary>
    public string? LastError => _snapshot.LastError;

    /// <summary>How many times in a row subscribing (or reading the stream) failed; 0 while events flow.</summary>
    public int ConsecutiveFailures => _snapshot.ConsecutiveFailures;

    internal void Set(ChangeEventTopicState state) => _snapshot = _snapshot with { State = state };

    internal void Committed(DateTimeOffset at) => _snapshot = _snapshot with { LastCommittedAt = at, LastError = null, ConsecutiveFailures = 0 };

    internal void Failed(string error, int failures) =>
        _snapshot = _snapshot with { State = ChangeEventTopicState.Reconnecting, LastError = error, ConsecutiveFailures = failures };

    internal void Flowing() => _snapshot = _snapshot with { State = ChangeEventTopicState.Active, LastError = null, ConsecutiveFailures = 0 };

    private sealed record StateSnapshot(ChangeEventTopicState State, DateTimeOffset? LastCommittedAt, string? LastError, int ConsecutiveFailures);
}

/// <summary>What an instance does with a topic.</summary>
public enum ChangeEventTopicState
{
    /// <summary>The consumer has not started yet.</summary>
    Starting = 0,

    /// <summary>Another instance holds the topic's lease; this one asks again every <see cref="ChangeEventsOptions.LeaseRetryInterval"/>.</summary>
    Standby = 1,

    /// <summary>This instance holds the lease and reads the stream.</summary>
    Active = 2,

    /// <summary>This instance holds the lease; the stream failed and it waits to subscribe again.</summary>
    Reconnecting = 3,

    /// <summary>The consumer stopped (the host is shutting down).</summary>
    Stopped = 4,
}
