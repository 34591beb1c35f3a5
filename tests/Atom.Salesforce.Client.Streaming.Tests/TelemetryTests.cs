using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// The Pub/Sub API client's spans and metrics on the SDK's <c>Atom.Salesforce</c> source and meter, named after
/// OpenTelemetry's messaging semantic conventions (messaging.system, messaging.operation.name/type,
/// messaging.destination.name, server.address, error.type), and never carrying the session, the org id or the user.
/// </summary>
public sealed class TelemetryTests
{
    private const string ChangeTopic = "/data/AccountChangeEvent";
    private const string EventTopic = "/event/Order_Event__e";

    private const string TestSourceName = "Atom.Salesforce.Client.Streaming.Tests.Telemetry";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_subscription_has_one_span_per_Subscribe_call_and_counts_events_bytes_and_reconnects()
    {
        await using var host = await PubSubTestHost.StartAsync();
        host.Service.AddSchema(TestSchemas.AccountChangeEventId, TestSchemas.AccountChangeEvent);
        host.Service.AddTopic(ChangeTopic, TestSchemas.AccountChangeEventId);
        var payloads = Enumerable.Range(0, 5)
            .Select(n => ChangeEvents.Account("UPDATE", [$"001xx00000000{n:D2}AAA"], changedFields: ["0x2"], sequence: n + 1, fields: [("Name", $"Account {n}")]))
            .ToList();
        payloads.ForEach(p => host.Service.Append(ChangeTopic, TestSchemas.AccountChangeEventId, p));
        host.Service.NextFault = new StreamFault(2, StatusCode.Unavailable, null);
        using var metrics = new Measurements(host.Provider.GetRequiredService<IMeterFactory>());
        using var spans = new Spans();

        var received = 0;
        using (spans.StartRoot())
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await foreach (var _ in host.Client.SubscribeAsync(ChangeTopic, ReplayStart.Earliest, cancellationToken: timeout.Token))
            {
                if (++received == 5)
                {
                    break;
                }
            }
        }

        var subscribes = spans.Of("subscribe " + ChangeTopic);
        Assert.Equal(2, subscribes.Count);
        Assert.All(subscribes, s =>
        {
            Assert.Equal(ActivityKind.Client, s.Kind);
            Assert.Equal("salesforce_pubsub", s.GetTagItem("messaging.system"));
            Assert.Equal("subscribe", s.GetTagItem("messaging.operation.name"));
            Assert.Equal("receive", s.GetTagItem("messaging.operation.type"));
            Assert.Equal(ChangeTopic, s.GetTagItem("messaging.destination.name"));
            Assert.Equal(host.Address.Host, s.GetTagItem("server.address"));
            Assert.Equal(host.Address.Port, s.GetTagItem("server.port"));
            Assert.Equal("Subscribe", s.GetTagItem("rpc.method"));
        });
        Assert.Equal(ActivityStatusCode.Error, subscribes[0].Status);
        Assert.Equal("Unavailable", subscribes[0].GetTagItem("error.type"));
        Assert.Null(subscribes[1].GetTagItem("error.type"));
        var schema = Assert.Single(spans.Of("get_schema"));
        Assert.Null(schema.GetTagItem("messaging.destination.name"));

        Assert.Equal(5, metrics.Sum("messaging.client.consumed.messages", ChangeTopic));
        Assert.Equal(payloads.Sum(p => p.Length), metrics.Sum("salesforce.pubsub.client.received.bytes", ChangeTopic));
        var reconnect = Assert.Single(metrics.Of("salesforce.pubsub.client.reconnects"));
        Assert.Equal(1, reconnect.Value);
        Assert.Equal("Unavailable", reconnect.Tags["error.type"]);
        Assert.All(metrics.Of("messaging.client.consumed.messages"), m =>
        {
            Assert.Equal("salesforce_pubsub", m.Tags["messaging.system"]);
            Assert.Equal("subscribe", m.Tags["messaging.operation.name"]);
        });
        NoSecretsIn(spans, metrics);
    }

    [Fact]
    public async Task A_session_renewal_counts_as_a_reconnect()
    {
        await using var host = await PubSubTestHost.StartAsync(batchSize: 2);
        host.Service.AddSchema(TestSchemas.AccountChangeEventId, TestSchemas.AccountChangeEvent);
        host.Service.AddTopic(ChangeTopic, TestSchemas.AccountChangeEventId);
        for (var n = 0; n < 4; n++)
        {
            host.Service.Append(ChangeTopic, TestSchemas.AccountChangeEventId, ChangeEvents.Account("CREATE", [$"001xx00000000{n:D2}AAA"], sequence: n + 1));
        }

        using var metrics = new Measurements(host.Provider.GetRequiredService<IMeterFactory>());
        var received = 0;
        await foreach (var _ in host.Client.SubscribeAsync(ChangeTopic, ReplayStart.Earliest, cancellationToken: Ct))
        {
            if (++received == 1)
            {
                host.Service.ExpiredTokens[PubSubTestHost.FirstToken] = true;
            }

            if (received == 4)
            {
                break;
            }
        }

        Assert.Equal(1, host.Renewals);
        var reconnect = Assert.Single(metrics.Of("salesforce.pubsub.client.reconnects"));
        Assert.Equal("Unauthenticated", reconnect.Tags["error.type"]);
        Assert.Equal(4, metrics.Sum("messaging.client.consumed.messages", ChangeTopic));
    }

    [Fact]
    public async Task A_publish_has_a_send_span_with_its_topic_lookups_inside_and_counts_each_result()
    {
        await using var host = await PubSubTestHost.StartAsync();
        host.Service.AddSchema(TestSchemas.OrderEventId, TestSchemas.OrderEvent);
        host.Service.AddTopic(EventTopic, TestSchemas.OrderEventId);
        host.Service.PublishCheck = e => ApacheAvro.Decode(ApacheAvro.Parse(TestSchemas.OrderEvent), e.Payload.ToByteArray())["City__c"] as string == "Atlantis"
            ? "City does not exist"
            : null;
        using var metrics = new Measurements(host.Provider.GetRequiredService<IMeterFactory>());
        using var spans = new Spans();

        using (spans.StartRoot())
        {
            await host.Client.PublishBatchAsync(EventTopic,
                [new OrderEvent { Order_Number__c = "B-1", City__c = "Oslo" }, new OrderEvent { Order_Number__c = "B-2", City__c = "Atlantis" }, new OrderEvent { Order_Number__c = "B-3" }], Ct);
        }

        var publish = Assert.Single(spans.Of("publish " + EventTopic));
        Assert.Equal(ActivityKind.Client, publish.Kind);
        Assert.Equal("send", publish.GetTagItem("messaging.operation.type"));
        Assert.Equal("publish", publish.GetTagItem("messaging.operation.name"));
        Assert.Equal(EventTopic, publish.GetTagItem("messaging.destination.name"));
        Assert.Equal(3, publish.GetTagItem("messaging.batch.message_count"));
        Assert.Equal(ActivityStatusCode.Unset, publish.Status);
        var getTopic = Assert.Single(spans.Of("get_topic " + EventTopic));
        Assert.Equal(publish.SpanId, getTopic.ParentSpanId);
        Assert.Equal(publish.SpanId, Assert.Single(spans.Of("get_schema")).ParentSpanId);

        var sent = metrics.Of("messaging.client.sent.messages");
        Assert.Equal(3, sent.Sum(m => m.Value));
        var refused = Assert.Single(sent, m => m.Tags.ContainsKey("error.type"));
        Assert.Equal("PUBLISH", refused.Tags["error.type"]);
        Assert.All(sent, m => Assert.Equal(EventTopic, m.Tags["messaging.destination.name"]));
        var durations = metrics.Of("messaging.client.operation.duration");
        Assert.Contains(durations, d => (string?)d.Tags["messaging.operation.name"] == "publish");
        Assert.Contains(durations, d => (string?)d.Tags["messaging.operation.name"] == "get_topic");
        NoSecretsIn(spans, metrics);
    }

    [Fact]
    public async Task A_refused_call_marks_its_span_and_duration_with_the_error_type()
    {
        await using var host = await PubSubTestHost.StartAsync();
        using var metrics = new Measurements(host.Provider.GetRequiredService<IMeterFactory>());
        using var spans = new Spans();

        using (spans.StartRoot())
        {
            await Assert.ThrowsAsync<PubSubException>(() => host.Client.GetTopicAsync("/event/Unknown__e", Ct));
        }

        var span = Assert.Single(spans.Of("get_topic /event/Unknown__e"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(nameof(PubSubException), span.GetTagItem("error.type"));
        var duration = Assert.Single(metrics.Of("messaging.client.operation.duration"));
        Assert.Equal(nameof(PubSubException), duration.Tags["error.type"]);
    }

    /// <summary>No tag value holds the session (access token), the org id, the Salesforce user id or the SDK user id.</summary>
    private static void NoSecretsIn(Spans spans, Measurements metrics)
    {
        string[] secrets = [PubSubTestHost.FirstToken, PubSubTestHost.RenewedToken, PubSubTestHost.OrgId, PubSubTestHost.SalesforceUserId, PubSubTestHost.UserId, "!"];
        var values = spans.All.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString()))
            .Concat(metrics.All.SelectMany(m => m.Tags.Values.Select(v => v?.ToString())))
            .OfType<string>()
            .ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.DoesNotContain(secrets, s => v.Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Each_received_event_carries_the_context_its_process_span_links_to_the_span_of_its_Subscribe_call()
    {
        await using var host = await PubSubTestHost.StartAsync();
        host.Service.AddSchema(TestSchemas.AccountChangeEventId, TestSchemas.AccountChangeEvent);
        host.Service.AddTopic(ChangeTopic, TestSchemas.AccountChangeEventId);
        host.Service.Append(ChangeTopic, TestSchemas.AccountChangeEventId, ChangeEvents.Account("CREATE", ["001xx0000000001AAA"], fields: [("Name", "Linked")]));
        using var spans = new Spans();

        ReceivedEvent? received = null;
        using (spans.StartRoot())
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await foreach (var e in host.Client.SubscribeAsync(ChangeTopic, ReplayStart.Earliest, cancellationToken: timeout.Token))
            {
                received = e;
                break;
            }
        }

        var subscribe = Assert.Single(spans.Of("subscribe " + ChangeTopic));
        Assert.NotNull(received);
        Assert.Equal(subscribe.TraceId, received.ReceiveContext.TraceId);
        Assert.Equal(subscribe.SpanId, received.ReceiveContext.SpanId);
    }

    /// <summary>The <c>Atom.Salesforce</c> spans of one test: those in the trace of the test's own root span.</summary>
    private sealed class Spans : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private ActivityTraceId _trace;

        public Spans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "Atom.Salesforce" or TestSourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (a.Source.Name == "Atom.Salesforce" && a.TraceId == _trace)
                    {
                        _stopped.Enqueue(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> All => [.. _stopped];

        public Activity StartRoot()
        {
            var root = TestSource.StartActivity("test", ActivityKind.Internal, parentContext: default)!;
            _trace = root.TraceId;
            return root;
        }

        public List<Activity> Of(string name) => [.. _stopped.Where(a => a.DisplayName == name).OrderBy(a => a.StartTimeUtc)];

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>The measurements of the meters one service provider's <see cref="IMeterFactory"/> made (other tests' are not seen).</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measurement> _all = new();

        public Measurements(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Atom.Salesforce" && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _all.Enqueue(new(instrument.Name, value, ToDictionary(tags))));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _all.Enqueue(new(instrument.Name, value, ToDictionary(tags))));
            _listener.Start();
        }

        public IReadOnlyList<Measurement> All => [.. _all];

        public List<Measurement> Of(string instrument) => [.. _all.Where(m => m.Instrument == instrument)];

        public double Sum(string instrument, string topic) =>
            Of(instrument).Where(m => (string?)m.Tags["messaging.destination.name"] == topic).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();

        private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                result[tag.Key] = tag.Value;
            }

            return result;
        }
    }

    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

#pragma warning disable CA1707 // Salesforce's field names.
    public sealed class OrderEvent
    {
        public string? Order_Number__c { get; set; }

        public string? City__c { get; set; }
    }
#pragma warning restore CA1707
}
