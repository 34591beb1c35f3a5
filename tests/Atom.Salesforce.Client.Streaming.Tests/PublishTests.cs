using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// Publish, PublishBatch and PublishStream against the in-test server, whose stored payloads Apache's Avro library reads:
/// what the SDK encodes is what Salesforce would decode.
/// </summary>
public sealed class PublishTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Topic = "/event/Order_Event__e";

    private static async Task<PubSubTestHost> HostAsync()
    {
        var host = await PubSubTestHost.StartAsync();
        host.Service.AddSchema(TestSchemas.OrderEventId, TestSchemas.OrderEvent);
        host.Service.AddTopic(Topic, TestSchemas.OrderEventId);
        return host;
    }

    private static global::Avro.Generic.GenericRecord Stored(PubSubTestHost host, int request, int @event = 0)
    {
        var sent = host.Service.PublishRequests.ElementAt(request).Request.Events[@event];
        Assert.Equal(TestSchemas.OrderEventId, sent.SchemaId);
        return ApacheAvro.Decode(ApacheAvro.Parse(TestSchemas.OrderEvent), sent.Payload.ToByteArray());
    }

    [Fact]
    public async Task A_POCO_is_published_in_the_topics_schema_with_CreatedDate_and_CreatedById_filled()
    {
        await using var host = await HostAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var result = await host.Client.PublishAsync(Topic, new OrderEvent { Order_Number__c = "A-1", City__c = "Paris", Amount__c = 35.5 }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(FakePubSubService.ReplayIdFor(0), result.ReplayId.ToArray());
        var stored = Stored(host, 0);
        Assert.Equal("A-1", stored["Order_Number__c"]);
        Assert.Equal("Paris", stored["City__c"]);
        Assert.Equal(35.5, stored["Amount__c"]);
        Assert.Null(stored["Has_Shipped__c"]);
        Assert.Equal(PubSubTestHost.SalesforceUserId, stored["CreatedById"]);
        Assert.InRange((long)stored["CreatedDate"], before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(result.CorrelationKey, host.Service.PublishRequests.Single().Request.Events[0].Id);
    }

    [Fact]
    public async Task A_batch_returns_one_result_per_event_in_order_with_Salesforces_errors()
    {
        await using var host = await HostAsync();
        host.Service.PublishCheck = e => ApacheAvro.Decode(ApacheAvro.Parse(TestSchemas.OrderEvent), e.Payload.ToByteArray())["City__c"] as string == "Atlantis"
            ? "City does not exist"
            : null;
        var sobject = new SObject("Order_Event__e");
        sobject["Order_Number__c"] = "S-1";
        sobject["Has_Shipped__c"] = true;

        var results = await host.Client.PublishBatchAsync<object>(Topic,
        [
            new OrderEvent { Order_Number__c = "B-1", City__c = "Oslo" },
            new OrderEvent { Order_Number__c = "B-2", City__c = "Atlantis" },
            sobject,
        ], Ct);

        Assert.Equal(3, results.Count);
        Assert.True(results[0].IsSuccess);
        Assert.False(results[1].IsSuccess);
        Assert.Equal("PUBLISH", results[1].ErrorCode);
        Assert.Equal("City does not exist", results[1].ErrorMessage);
        Assert.True(results[1].ReplayId.IsEmpty);
        Assert.True(results[2].IsSuccess);
        Assert.Single(host.Service.PublishRequests);
        Assert.Equal("S-1", Stored(host, 0, 2)["Order_Number__c"]);
        Assert.Equal(true, Stored(host, 0, 2)["Has_Shipped__c"]);
        Assert.Equal(results.Select(r => r.CorrelationKey), host.Service.PublishRequests.Single().Request.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_DateTimeOffset_is_written_to_a_Salesforce_DateTime_field_as_epoch_milliseconds()
    {
        await using var host = await HostAsync();
        var at = new DateTimeOffset(2026, 12, 6, 6, 0, 0, 123, TimeSpan.FromHours(1));

        var result = await host.Client.PublishAsync(Topic, new TimedOrderEvent { CreatedDate = at, Order_Number__c = "T-1" }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(at.ToUnixTimeMilliseconds(), Stored(host, 0)["CreatedDate"]);
    }

    [Fact]
    public async Task An_event_that_does_not_fit_the_schema_is_refused_before_anything_is_sent()
    {
        await using var host = await HostAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.PublishAsync(Topic, new BadOrderEvent { Amount__c = "lots" }, Ct));

        Assert.Contains("Amount__c", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.Service.PublishRequests);
    }

    [Fact]
    public async Task PublishStream_answers_every_event_and_a_subscriber_reads_them_back()
    {
        await using var host = await HostAsync();

        var results = new List<PublishResult>();
        await foreach (var result in host.Client.PublishStreamAsync(Topic, Orders(5), Ct))
        {
            results.Add(result);
        }

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(5, host.Service.PublishRequests.Count);
        var received = new List<OrderEvent>();
        await foreach (var e in host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct))
        {
            received.Add(e.ToObject<OrderEvent>());
            Assert.Equal(PubSubTestHost.SalesforceUserId, e.Record["CreatedById"]);
            if (received.Count == 5)
            {
                break;
            }
        }

        Assert.Equal(["S-0", "S-1", "S-2", "S-3", "S-4"], received.Select(o => o.Order_Number__c));
    }

    [Fact]
    public async Task A_refused_session_is_renewed_once_and_the_publish_goes_through()
    {
        await using var host = await HostAsync();
        host.Service.ExpiredTokens[PubSubTestHost.FirstToken] = true;

        var result = await host.Client.PublishAsync(Topic, new OrderEvent { Order_Number__c = "R-1" }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(1, host.Renewals);
        Assert.Equal(PubSubTestHost.RenewedToken, host.Service.PublishRequests.Single().Headers.GetValue("accesstoken"));
    }

    [Fact]
    public async Task GetTopic_reads_the_topics_schema_id_and_permissions()
    {
        await using var host = await HostAsync();

        var topic = await host.Client.GetTopicAsync(Topic, Ct);

        Assert.Equal(Topic, topic.TopicName);
        Assert.Equal(TestSchemas.OrderEventId, topic.SchemaId);
        Assert.True(topic.CanPublish);
        Assert.Equal(PubSubTestHost.OrgId, topic.TenantGuid);
    }

    private static async IAsyncEnumerable<OrderEvent> Orders(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new OrderEvent { Order_Number__c = $"S-{i}", City__c = "Lyon", Amount__c = i };
        }
    }

#pragma warning disable CA1707 // Salesforce's field names.
    public sealed class OrderEvent
    {
        public string? Order_Number__c { get; set; }

        public string? City__c { get; set; }

        public double? Amount__c { get; set; }

        public bool? Has_Shipped__c { get; set; }
    }

    public sealed class TimedOrderEvent
    {
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
        public DateTimeOffset CreatedDate { get; set; }

        public string? Order_Number__c { get; set; }
    }

    public sealed class BadOrderEvent
    {
        public string? Amount__c { get; set; }
    }
#pragma warning restore CA1707
}
