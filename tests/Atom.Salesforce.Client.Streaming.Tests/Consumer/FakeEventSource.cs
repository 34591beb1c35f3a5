using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Atom.Salesforce.Client.Streaming.Consumer;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

/// <summary>
/// A topic's event bus in memory, as the Pub/Sub API serves it: events numbered 1..n, replay id = the number as 8 big-endian
/// bytes, a subscription delivers the events after the replay id it gives (all of them, or the newest only, without one)
/// and then waits for more. Faults are queued: the next subscription fails with the exception after delivering some events.
/// </summary>
internal sealed class FakeEventSource : IChangeEventSource
{
    private readonly List<object> _events = [];
    private readonly ConcurrentQueue<(int AfterEvents, Exception Error)> _faults = new();
    private readonly SemaphoreSlim _published = new(0);

    public string Org { get; init; } = "00D000000000001EAA";

    /// <summary>The receive span context every event carries (as the Pub/Sub client's Subscribe span would be).</summary>
    public System.Diagnostics.ActivityContext ReceiveContext { get; set; }

    /// <summary>The replay id each subscription started after (null: none), in order.</summary>
    public ConcurrentQueue<long?> Subscriptions { get; } = new();

    public static ReplayId ReplayId(long number)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, number);
        return new ReplayId(bytes);
    }

    public static long Number(ReplayId replayId) => BinaryPrimitives.ReadInt64BigEndian(replayId.Bytes.Span);

    public void Publish(params object[] events)
    {
        lock (_events)
        {
            _events.AddRange(events);
        }

        _published.Release(events.Length);
    }

    /// <summary>The next subscription delivers <paramref name="afterEvents"/> events, then fails with <paramref name="error"/>.</summary>
    public void FailNextSubscription(int afterEvents, Exception error) => _faults.Enqueue((afterEvents, error));

    public Task<string> GetOrgAsync(ChangeEventsOptions options, string topic, CancellationToken cancellationToken) => Task.FromResult(Org);

    public async IAsyncEnumerable<SourceEvent<TEvent>> ReadAsync<TEvent>(
        ChangeEventsOptions options, string topic, ReplayId? afterReplayId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? after = afterReplayId is { } id ? Number(id) : null;
        Subscriptions.Enqueue(after);
        var fault = _faults.TryDequeue(out var f) ? f : ((int, Exception)?)null;
        var next = after ?? (options.StartFromEarliest ? 0 : Count);
        var delivered = 0;
        while (true)
        {
            if (fault is { } failing && delivered == failing.Item1)
            {
                throw failing.Item2;
            }

            object? change = null;
            lock (_events)
            {
                if (next < _events.Count)
                {
                    change = _events[(int)next];
                }
            }

            if (change is null)
            {
                await _published.WaitAsync(TimeSpan.FromMilliseconds(50), cancellationToken);
                continue;
            }

            next++;
            delivered++;
            yield return new SourceEvent<TEvent>(ReplayId(next), (TEvent)change, ReceiveContext);
        }
    }

    private int Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }
}
