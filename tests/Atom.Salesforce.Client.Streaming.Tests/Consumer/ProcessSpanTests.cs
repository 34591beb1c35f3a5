using System.Collections.Concurrent;
using System.Diagnostics;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

/// <summary>
/// The hosted consumer's process spans (OpenTelemetry messaging semantic conventions: a <c>process</c> span per message handed
/// to the application, kind consumer, linked to the span that received it): one per event on the SDK's <c>Atom.Salesforce</c>
/// source, current while the handler runs, with every failed attempt recorded and a dead-lettered event marked as an error.
/// </summary>
public sealed class ProcessSpanTests
{
    private const string Topic = "/data/OpportunityChangeEvent";

    private const string TestSourceName = "Atom.Salesforce.Client.Streaming.Tests.ProcessSpans";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    [Fact]
    public async Task Each_event_handed_to_the_handler_gets_one_process_span_linked_to_its_receive_span()
    {
        var receive = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var source = new FakeEventSource { ReceiveContext = receive };
        source.Publish("e1", "poison", "e3");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Atom.Salesforce" or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Atom.Salesforce" && a.Links.Any(l => l.Context.TraceId == receive.TraceId))
                {
                    stopped.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var seen = new ConcurrentQueue<(string Change, string? Parent)>();
        var store = new MemoryReplayStore();
        var committed = 0;
        var options = new ChangeEventsOptions
        {
            UserId = "integration-user",
            ConsumerName = "billing",
            MaxAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            ReconnectDelay = TimeSpan.FromMilliseconds(1),
            StartFromEarliest = true,
        };
        var runner = new SubscriptionRunner<string>(
            Topic,
            options,
            source,
            new CountingStore(store, () => Interlocked.Increment(ref committed)),
            new InProcessLeaseProvider(),
            (change, context, ct) =>
            {
                // The handler's own work is a child of the process span.
                using var child = TestSource.StartActivity("handler work");
                seen.Enqueue((change, child?.ParentId));
                return change == "poison" ? throw new InvalidOperationException("cannot apply") : Task.CompletedTask;
            },
            (_, _) => Task.CompletedTask,
            new ChangeEventsStatus().Add(Topic),
            telemetry: null,
            TimeProvider.System,
            NullLogger.Instance);

        using var stopping = new CancellationTokenSource();
        Task run;

        // Started inside an unrelated span: a hosted consumer lives for hours, so no ambient span may parent its events.
        using (TestSource.StartActivity("host start", ActivityKind.Internal, parentContext: default))
        {
            run = runner.RunAsync(stopping.Token);
        }

        await Wait.UntilAsync(() => Volatile.Read(ref committed) == 3, "the three events are committed");
        await Wait.UntilAsync(() => stopped.Count == 3, "the three process spans end");
        await stopping.CancelAsync();
        await run.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        var spans = stopped.OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(3, spans.Count);
        Assert.All(spans, s =>
        {
            Assert.Equal("process " + Topic, s.DisplayName);
            Assert.Equal(ActivityKind.Consumer, s.Kind);
            Assert.Equal(default, s.ParentSpanId);
            Assert.Equal("salesforce_pubsub", s.GetTagItem("messaging.system"));
            Assert.Equal("process", s.GetTagItem("messaging.operation.name"));
            Assert.Equal("process", s.GetTagItem("messaging.operation.type"));
            Assert.Equal(Topic, s.GetTagItem("messaging.destination.name"));
            Assert.Equal("billing", s.GetTagItem("messaging.consumer.group.name"));
            var link = Assert.Single(s.Links);
            Assert.Equal(receive.TraceId, link.Context.TraceId);
            Assert.Equal(receive.SpanId, link.Context.SpanId);
        });

        // Every attempt ran inside its event's span: the handler's own span is the process span's child.
        var bySpan = seen.ToList();
        Assert.Equal(["e1", "poison", "poison", "e3"], bySpan.Select(s => s.Change));
        Assert.Equal([spans[0].Id, spans[1].Id, spans[1].Id, spans[2].Id], bySpan.Select(s => s.Parent));

        Assert.Equal("handled", spans[0].GetTagItem("salesforce.change_events.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, spans[0].Status);
        Assert.Empty(spans[0].Events);
        Assert.Equal("dead_lettered", spans[1].GetTagItem("salesforce.change_events.outcome"));
        Assert.Equal(2, spans[1].GetTagItem("salesforce.change_events.attempts"));
        Assert.Equal(ActivityStatusCode.Error, spans[1].Status);
        Assert.Equal(nameof(InvalidOperationException), spans[1].GetTagItem("error.type"));
        Assert.Equal(2, spans[1].Events.Count(e => e.Name == "exception"));
        Assert.All(spans[1].Events, e => Assert.Equal(typeof(InvalidOperationException).FullName, e.Tags.Single(t => t.Key == "exception.type").Value));
        Assert.Equal("handled", spans[2].GetTagItem("salesforce.change_events.outcome"));
    }

    private sealed class CountingStore(IReplayStore inner, Action saved) : IReplayStore
    {
        public Task<ReplayId?> GetAsync(SubscriptionKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public async Task SaveAsync(SubscriptionKey key, ReplayId replayId, CancellationToken cancellationToken = default)
        {
            await inner.SaveAsync(key, replayId, cancellationToken);
            saved();
        }
    }
}
