using System.Collections.Concurrent;
using Atom.Salesforce.Client.Streaming.Consumer;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

/// <summary>
/// The hosted consumer's loop against a fake event bus: at-least-once delivery (the replay id is committed only after the
/// handler succeeded), order, retries then dead letter, resubscribing from the committed replay id after a dropped stream or
/// an expired session, cancellation and a lost lease.
/// </summary>
public sealed class SubscriptionRunnerTests
{
    private const string Topic = "/data/OpportunityChangeEvent";

    private readonly FakeEventSource _source = new();
    private readonly RecordingStore _store = new();
    private readonly ChangeEventTopicStatus _status = new ChangeEventsStatus().Add(Topic);
    private readonly SubscriptionKey _key;

    public SubscriptionRunnerTests() => _key = new SubscriptionKey(_source.Org, "default", Topic);

    [Fact]
    public async Task Events_reach_the_handler_in_order_and_each_replay_id_is_committed_only_after_its_handler_succeeded()
    {
        _source.Publish("e1", "e2", "e3", "e4", "e5");
        var seen = new ConcurrentQueue<(string Change, long? CommittedDuringHandler)>();
        await using var run = Start(async (change, context, ct) =>
            seen.Enqueue((change, await CommittedAsync())));

        await Wait.UntilAsync(() => Committed() == 5, "all five events are committed");

        Assert.Equal(["e1", "e2", "e3", "e4", "e5"], seen.Select(s => s.Change));
        // While an event's handler runs, the store still holds the previous event's replay id.
        Assert.Equal([null, 1L, 2L, 3L, 4L], seen.Select(s => s.CommittedDuringHandler));
        Assert.NotNull(_status.LastCommittedAt);
    }

    [Fact]
    public async Task A_handler_that_keeps_failing_is_retried_MaxAttempts_times_then_dead_lettered_and_the_stream_moves_on()
    {
        _source.Publish("e1", "poison", "e3");
        var attempts = new ConcurrentQueue<(string Change, int Attempt)>();
        var letters = new ConcurrentQueue<(ChangeEventDeadLetter Letter, long? Committed)>();
        await using var run = Start(
            (change, context, ct) =>
            {
                attempts.Enqueue((change, context.Attempt));
                return change == "poison" ? throw new InvalidOperationException("cannot apply") : Task.CompletedTask;
            },
            async (letter, ct) => letters.Enqueue((letter, await CommittedAsync())),
            o => o.MaxAttempts = 3);

        await Wait.UntilAsync(() => Committed() == 3, "the event after the poisoned one is committed");

        Assert.Equal([("e1", 1), ("poison", 1), ("poison", 2), ("poison", 3), ("e3", 1)], attempts);
        var (letter, committed) = Assert.Single(letters);
        Assert.Equal("poison", letter.Event);
        Assert.Equal(3, letter.Attempts);
        Assert.Equal(2, FakeEventSource.Number(letter.ReplayId));
        Assert.Equal(Topic, letter.Subscription.Topic);
        Assert.IsType<InvalidOperationException>(letter.Exception);
        // The poisoned event's replay id is committed after the dead letter took it, not before.
        Assert.Equal(1, committed);
    }

    [Fact]
    public async Task A_handler_that_succeeds_on_a_retry_is_not_dead_lettered()
    {
        _source.Publish("e1", "e2");
        var attempts = new ConcurrentQueue<(string Change, int Attempt)>();
        var letters = 0;
        await using var run = Start(
            (change, context, ct) =>
            {
                attempts.Enqueue((change, context.Attempt));
                return change == "e1" && context.Attempt == 1 ? throw new TimeoutException("busy") : Task.CompletedTask;
            },
            (_, _) => { Interlocked.Increment(ref letters); return Task.CompletedTask; });

        await Wait.UntilAsync(() => Committed() == 2, "both events are committed");

        Assert.Equal([("e1", 1), ("e1", 2), ("e2", 1)], attempts);
        Assert.Equal(0, letters);
    }

    [Fact]
    public async Task A_failing_dead_letter_is_tried_again_until_it_takes_the_event_so_nothing_is_dropped()
    {
        _source.Publish("poison", "e2");
        var calls = 0;
        await using var run = Start(
            (change, context, ct) => change == "poison" ? throw new InvalidOperationException("cannot apply") : Task.CompletedTask,
            (letter, ct) => Interlocked.Increment(ref calls) < 3 ? throw new IOException("dead letter queue unreachable") : Task.CompletedTask,
            o => o.MaxAttempts = 1);

        await Wait.UntilAsync(() => Committed() == 2, "the stream moves on");

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_dropped_stream_is_subscribed_again_after_the_committed_replay_id_and_nothing_is_lost_or_repeated()
    {
        _source.FailNextSubscription(afterEvents: 2, new RpcException(new Status(StatusCode.Unavailable, "stream reset by peer")));
        _source.Publish("e1", "e2", "e3", "e4", "e5");
        var seen = new ConcurrentQueue<string>();
        await using var run = Start((change, _, _) => { seen.Enqueue(change); return Task.CompletedTask; });

        await Wait.UntilAsync(() => Committed() == 5, "all five events are committed");

        Assert.Equal(["e1", "e2", "e3", "e4", "e5"], seen);
        Assert.Equal([null, 2L], _source.Subscriptions.Take(2));
    }

    [Fact]
    public async Task An_expired_session_ends_the_stream_and_the_consumer_resumes_after_the_committed_replay_id()
    {
        _source.Publish("e1", "e2", "e3");
        _source.FailNextSubscription(afterEvents: 0, new RpcException(new Status(StatusCode.Unauthenticated, "INVALID_SESSION_ID")));
        _source.FailNextSubscription(afterEvents: 1, new RpcException(new Status(StatusCode.Unauthenticated, "INVALID_SESSION_ID")));
        var seen = new ConcurrentQueue<string>();
        await using var run = Start((change, _, _) => { seen.Enqueue(change); return Task.CompletedTask; });

        await Wait.UntilAsync(() => Committed() == 3, "all three events are committed");

        Assert.Equal(["e1", "e2", "e3"], seen);
        Assert.Equal([null, null, 1L], _source.Subscriptions.Take(3));
    }

    [Fact]
    public async Task Stopping_cancels_the_handler_in_flight_and_leaves_its_replay_id_uncommitted()
    {
        _source.Publish("e1", "e2");
        var cancelled = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var run = Start(async (change, _, ct) =>
        {
            if (change == "e2")
            {
                entered.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled.SetResult();
                    throw;
                }
            }
        });
        await entered.Task.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        await run.DisposeAsync();

        Assert.True(cancelled.Task.IsCompleted);
        Assert.Equal(1, Committed());
        Assert.Equal(ChangeEventTopicState.Stopped, _status.State);
    }

    [Fact]
    public async Task A_lost_lease_stops_reading_at_once_and_the_in_flight_event_is_delivered_again_by_the_next_holder()
    {
        var leases = new TestLeases();
        _source.Publish("e1", "e2", "e3");
        var seen = new ConcurrentQueue<string>();
        var blockOnce = 1;
        await using var run = Start(
            async (change, _, ct) =>
            {
                seen.Enqueue(change);
                if (change == "e2" && Interlocked.Exchange(ref blockOnce, 0) == 1)
                {
                    leases.LoseCurrent();
                    await Task.Delay(Timeout.Infinite, ct);
                }
            },
            leases: leases);

        await Wait.UntilAsync(() => Committed() == 3, "all three events are committed");

        // e2 was in flight when the lease went: delivered again (at least once), nothing lost.
        Assert.Equal(["e1", "e2", "e2", "e3"], seen);
        Assert.Equal(2, leases.Granted);
        Assert.Equal([null, 1L], _source.Subscriptions.Take(2));
    }

    [Fact]
    public async Task A_standby_instance_reads_nothing_until_it_gets_the_lease_then_resumes_after_the_committed_replay_id()
    {
        var leases = new TestLeases { HeldElsewhere = true };
        _source.Publish("e1", "e2", "e3", "e4");
        await _store.SaveAsync(_key, FakeEventSource.ReplayId(2), TestContext.Current.CancellationToken);
        var seen = new ConcurrentQueue<string>();
        await using var run = Start((change, _, _) => { seen.Enqueue(change); return Task.CompletedTask; }, leases: leases);

        await Wait.UntilAsync(() => leases.Requests >= 3, "the standby has asked for the lease a few times");
        Assert.Equal(ChangeEventTopicState.Standby, _status.State);
        Assert.Empty(seen);
        Assert.Empty(_source.Subscriptions);

        leases.HeldElsewhere = false;
        await Wait.UntilAsync(() => Committed() == 4, "the last event is committed");

        Assert.Equal(["e3", "e4"], seen);
        Assert.Equal(2L, Assert.Single(_source.Subscriptions));
        Assert.Equal(ChangeEventTopicState.Active, _status.State);
    }

    [Fact]
    public async Task Without_a_committed_replay_id_the_subscription_starts_at_the_newest_event_unless_StartFromEarliest()
    {
        _source.Publish("old1", "old2");
        var seen = new ConcurrentQueue<string>();
        await using var run = Start((change, _, _) => { seen.Enqueue(change); return Task.CompletedTask; }, configure: o => o.StartFromEarliest = false);
        await Wait.UntilAsync(() => !_source.Subscriptions.IsEmpty, "the consumer has subscribed");

        _source.Publish("new1");
        await Wait.UntilAsync(() => Committed() == 3, "the new event is committed");

        Assert.Equal(["new1"], seen);
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(6, 30_000)]
    [InlineData(1_000, 30_000)]
    public void Retry_waits_double_from_the_first_delay_up_to_the_longest(int failures, int expectedMilliseconds) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(expectedMilliseconds),
            SubscriptionRunner<string>.Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), failures));

    private long? Committed() => _store.Last;

    private async Task<long?> CommittedAsync() =>
        await _store.GetAsync(_key, TestContext.Current.CancellationToken) is { } id ? FakeEventSource.Number(id) : null;

    private Running Start(
        Func<string, ChangeEventContext, CancellationToken, Task> handle,
        Func<ChangeEventDeadLetter, CancellationToken, Task>? deadLetter = null,
        Action<ChangeEventsOptions>? configure = null,
        IChangeEventLeaseProvider? leases = null)
    {
        var options = new ChangeEventsOptions
        {
            UserId = "integration-user",
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            ReconnectDelay = TimeSpan.FromMilliseconds(1),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(10),
            LeaseRetryInterval = TimeSpan.FromMilliseconds(20),
            StartFromEarliest = true,
        };
        configure?.Invoke(options);
        var runner = new SubscriptionRunner<string>(
            Topic, options, _source, _store, leases ?? new InProcessLeaseProvider(), handle,
            deadLetter ?? ((_, _) => Task.CompletedTask), _status, telemetry: null, TimeProvider.System, NullLogger.Instance);
        var stopping = new CancellationTokenSource();
        return new Running(runner.RunAsync(stopping.Token), stopping);
    }

    /// <summary>The memory store, with the last committed replay id readable at any time.</summary>
    private sealed class RecordingStore : IReplayStore
    {
        private readonly MemoryReplayStore _inner = new();
        private long _last = -1;

        public long? Last => Interlocked.Read(ref _last) is var last && last >= 0 ? last : null;

        public Task<ReplayId?> GetAsync(SubscriptionKey key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public async Task SaveAsync(SubscriptionKey key, ReplayId replayId, CancellationToken cancellationToken = default)
        {
            await _inner.SaveAsync(key, replayId, cancellationToken);
            Interlocked.Exchange(ref _last, FakeEventSource.Number(replayId));
        }
    }

    /// <summary>A running loop; disposing it stops the host and waits for the loop to end.</summary>
    private sealed class Running(Task run, CancellationTokenSource stopping) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync();
            await run.WaitAsync(TimeSpan.FromMinutes(1));
            stopping.Dispose();
        }
    }
}
