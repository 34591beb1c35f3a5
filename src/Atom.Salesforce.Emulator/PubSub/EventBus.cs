using System.Buffers.Binary;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// One published event: its replay id, the channel it was published on (<c>/data/AccountChangeEvent</c>,
/// <c>/event/Order_Event__e</c>), its schema and Avro payload, and for a change event its header and values (a gap fault
/// re-encodes it header only).
/// </summary>
internal sealed record BusEvent(
    long ReplayId,
    string Channel,
    EventSchema Schema,
    byte[] Payload,
    string Id,
    DateTimeOffset PublishedAt,
    ChangeHeader? Header)
{
    public bool IsChange => Header is not null;
}

/// <summary>
/// The org's event bus: every event in publish order with a replay id that only grows, kept for 72 hours by the org's
/// clock (Salesforce's retention for change events and high-volume platform events), then gone. One sequence serves every
/// channel, so replay ids grow on each channel and on <c>/data/ChangeEvents</c> alike.
/// </summary>
internal sealed class EventBus(TimeProvider time)
{
    /// <summary>How long events stay on the bus (Pub/Sub API guide: events are retained for 72 hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(72);

    /// <summary>The channel of every change event.</summary>
    public const string AllChanges = "/data/ChangeEvents";

    private readonly object _lock = new();
    private readonly List<BusEvent> _events = [];
    private long _lastReplayId;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The replay id of the newest event ever published (0 before the first).</summary>
    public long LatestReplayId
    {
        get
        {
            lock (_lock)
            {
                return _lastReplayId;
            }
        }
    }

    /// <summary>Completes when the next event is published.</summary>
    public Task NextPublished
    {
        get
        {
            lock (_lock)
            {
                return _published.Task;
            }
        }
    }

    public BusEvent Publish(string channel, EventSchema schema, byte[] payload, ChangeHeader? header)
    {
        TaskCompletionSource published;
        BusEvent added;
        lock (_lock)
        {
            added = new BusEvent(++_lastReplayId, channel, schema, payload, Guid.NewGuid().ToString(), time.GetUtcNow(), header);
            _events.Add(added);
            published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        published.TrySetResult();
        return added;
    }

    /// <summary>Whether a subscription to <paramref name="topic"/> receives <paramref name="e"/>.</summary>
    public static bool Matches(string topic, BusEvent e) =>
        string.Equals(topic, e.Channel, StringComparison.OrdinalIgnoreCase) || (e.IsChange && string.Equals(topic, AllChanges, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Up to <paramref name="max"/> retained events of <paramref name="topic"/> after replay id <paramref name="after"/>,
    /// and the replay id the reading reached (the last event looked at, of any channel).
    /// </summary>
    public (IReadOnlyList<BusEvent> Events, long ReachedReplayId) Read(string topic, long after, int max)
    {
        lock (_lock)
        {
            Expire();
            var found = new List<BusEvent>();
            var reached = Math.Max(after, _events.Count == 0 ? _lastReplayId : _events[0].ReplayId - 1);
            foreach (var e in _events)
            {
                if (e.ReplayId <= after)
                {
                    continue;
                }

                if (found.Count == max)
                {
                    break;
                }

                reached = e.ReplayId;
                if (Matches(topic, e))
                {
                    found.Add(e);
                }
            }

            if (found.Count < max)
            {
                reached = Math.Max(reached, _lastReplayId);
            }

            return (found, reached);
        }
    }

    /// <summary>The replay id just before the oldest retained event: where EARLIEST starts.</summary>
    public long EarliestPosition()
    {
        lock (_lock)
        {
            Expire();
            return _events.Count == 0 ? _lastReplayId : _events[0].ReplayId - 1;
        }
    }

    /// <summary>Drops events older than the retention window, by the org's clock.</summary>
    private void Expire()
    {
        var cutoff = time.GetUtcNow() - Retention;
        var expired = 0;
        while (expired < _events.Count && _events[expired].PublishedAt < cutoff)
        {
            expired++;
        }

        if (expired > 0)
        {
            _events.RemoveRange(0, expired);
        }
    }

    /// <summary>A replay id on the wire: 8 bytes, big-endian (clients read it as an unsigned 64-bit number).</summary>
    public static byte[] Encode(long replayId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, replayId);
        return bytes;
    }

    /// <summary>A replay id from the wire, or null when it is not one the bus gave out.</summary>
    public static long? Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 8 && BinaryPrimitives.ReadInt64BigEndian(bytes) is var id and >= 0 ? id : null;
}
