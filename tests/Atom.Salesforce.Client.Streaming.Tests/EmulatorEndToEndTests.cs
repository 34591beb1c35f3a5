using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// The SDK end to end against the emulator's Pub/Sub API (a real HTTP/2 server, its own Avro encoder): a record saved
/// through the REST client arrives as a change event, and a published platform event comes back to a subscriber.
/// </summary>
public sealed class EmulatorEndToEndTests : IAsyncLifetime
{
    private EmulatedPubSub _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions();
        options.PlatformEvents.Add(new SObjectDefinition("Order_Event__e", [new FieldDefinition("Order_Number__c", FieldType.String), new FieldDefinition("Amount__c", FieldType.Currency)]));
        _rig = await EmulatedPubSub.StartAsync(options, Ct);
    }

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    [Fact]
    public async Task A_record_saved_through_REST_arrives_as_typed_change_events_with_decoded_changed_fields()
    {
        var sf = _rig.Salesforce;
        var pubsub = _rig.PubSub;
        var id = await sf.SObjects.CreateAsync("Account", new Account { Name = "Acme", Industry = "Energy", BillingCity = "Paris" }, Ct);
        await sf.SObjects.UpdateAsync("Account", id, new Account { Industry = "Retail", BillingCity = "Lyon" }, Ct);

        var events = new List<ChangeEvent<AccountChange>>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await foreach (var e in pubsub.SubscribeAsync("/data/AccountChangeEvent", ReplayStart.Earliest, cancellationToken: timeout.Token))
        {
            Assert.Equal("/data/AccountChangeEvent", e.Topic);
            Assert.False(e.ReplayId.IsEmpty);
            events.Add(e.ToChangeEvent<AccountChange>());
            if (events.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([ChangeType.Create, ChangeType.Update], events.Select(e => e.Header.ChangeType));
        Assert.All(events, e => Assert.Equal([id], e.Header.RecordIds));
        Assert.All(events, e => Assert.Equal("Account", e.Header.EntityName));
        Assert.Equal("Acme", events[0].Record.Name);
        Assert.Equal(id, events[0].Record.Id);
        Assert.Equal("Paris", events[0].Record.BillingAddress!.City);
        Assert.NotNull(events[0].Record.CreatedDate);
        Assert.Contains("Industry", events[1].Header.ChangedFields);
        Assert.Contains("BillingAddress.City", events[1].Header.ChangedFields);
        Assert.DoesNotContain("Name", events[1].Header.ChangedFields);
        Assert.Equal("Retail", events[1].Record.Industry);
        Assert.Null(events[1].Record.Name);
    }

    [Fact]
    public async Task A_platform_event_published_through_the_Pub_Sub_API_reaches_a_subscriber()
    {
        var pubsub = _rig.PubSub;

        var topic = await pubsub.GetTopicAsync("/event/Order_Event__e", Ct);
        var results = await pubsub.PublishBatchAsync("/event/Order_Event__e", [new OrderEvent { Order_Number__c = "A-1", Amount__c = 35.5m }, new OrderEvent { Order_Number__c = "A-2" }], Ct);

        Assert.True(topic.CanPublish);
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        var received = new List<OrderEvent>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await foreach (var e in pubsub.SubscribeAsync("/event/Order_Event__e", ReplayStart.Earliest, cancellationToken: timeout.Token))
        {
            Assert.False(e.IsChangeEvent);
            Assert.Equal(topic.SchemaId, e.SchemaId);
            received.Add(e.ToObject<OrderEvent>());
            if (received.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["A-1", "A-2"], received.Select(o => o.Order_Number__c));
        Assert.Equal(35.5m, received[0].Amount__c);
        Assert.Equal(results.Select(r => r.ReplayId.ToBase64()), results.Select(r => r.ReplayId.ToBase64()).Distinct());
    }

    public sealed class Account
    {
        public string? Name { get; set; }

        public string? Industry { get; set; }

        public string? BillingCity { get; set; }
    }

    public sealed class AccountChange
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Industry { get; set; }

        public DateTimeOffset? CreatedDate { get; set; }

        public Address? BillingAddress { get; set; }
    }

    public sealed class Address
    {
        public string? City { get; set; }
    }

#pragma warning disable CA1707 // Salesforce's field names.
    public sealed class OrderEvent
    {
        public string? Order_Number__c { get; set; }

        public decimal? Amount__c { get; set; }
    }
#pragma warning restore CA1707
}
