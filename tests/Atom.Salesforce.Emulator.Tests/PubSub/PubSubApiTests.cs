using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.PubSub.Protocol;
using Avro;
using Avro.Generic;
using Avro.IO;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.PubSub;

/// <summary>
/// The Pub/Sub API's RPCs as Salesforce documents them (Pub/Sub API Developer Guide: Subscribe RPC, GetTopic, GetSchema,
/// Publish, "Handle Errors"): replay presets, the 72-hour retention, flow control and keepalives, platform events,
/// authentication errors and the emulator's stream faults.
/// </summary>
public sealed class PubSubApiTests
{
    private const string Data = "/services/data/v62.0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LATEST_delivers_only_what_is_published_after_the_subscription_and_EARLIEST_and_CUSTOM_replay()
    {
        await using var org = await PubSubOrg.StartAsync(new SalesforceEmulatorOptions { PubSubKeepAlive = TimeSpan.FromMilliseconds(200) });
        var before = await org.CreateAsync("Account", new { Name = "Before" });
        using var latest = await org.SubscribeAsync("/data/AccountChangeEvent");

        // The first keepalive says the subscription is in place; it carries no events and the position reached.
        var keepAlive = await latest.NextResponseAsync();
        Assert.Empty(keepAlive.Events);
        Assert.Equal(100, keepAlive.PendingNumRequested);
        var after = await org.CreateAsync("Account", new { Name = "After" });
        var live = await latest.TakeAsync(1);

        using var earliest = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);
        var all = await earliest.TakeAsync(2);
        using var custom = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Custom, replayId: all[0].ReplayId);
        var replayed = await custom.TakeAsync(1);

        Assert.Equal([after], live.Single().RecordIds);
        Assert.Equal([before, after], all.Select(e => e.RecordIds.Single()));
        Assert.True(all[1].ReplayId > all[0].ReplayId);
        Assert.Equal(all[1].ReplayId, replayed.Single().ReplayId);
        Assert.Equal([after], replayed.Single().RecordIds);
    }

    [Fact]
    public async Task Events_are_kept_72_hours_by_the_org_clock_and_an_expired_replay_id_fails_validation()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        await using var org = await PubSubOrg.StartAsync(new SalesforceEmulatorOptions { TimeProvider = clock, PubSubKeepAlive = TimeSpan.FromMilliseconds(200) });
        await org.CreateAsync("Account", new { Name = "Old" });

        clock.Advance(TimeSpan.FromHours(71));
        using (var within = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest))
        {
            Assert.Equal("Old", (await within.TakeAsync(1)).Single()["Name"]);
        }

        clock.Advance(TimeSpan.FromHours(2));
        using var past = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);
        var nothing = await past.NextResponseAsync();
        Assert.Empty(nothing.Events);

        using var expired = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Custom, replayId: 0);
        var error = await Assert.ThrowsAsync<RpcException>(expired.NextResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted", error.Trailers.GetValue("error-code"));
    }

    [Fact]
    public async Task The_server_never_sends_more_events_than_requested_and_keepalives_carry_the_latest_replay_id()
    {
        await using var org = await PubSubOrg.StartAsync(new SalesforceEmulatorOptions { PubSubKeepAlive = TimeSpan.FromMilliseconds(200) });
        for (var i = 0; i < 5; i++)
        {
            await org.CreateAsync("Account", new { Name = $"A{i}" });
        }

        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent", numRequested: 2, preset: ReplayPreset.Earliest);
        var first = await subscription.NextResponseAsync();
        var idle = await subscription.NextResponseAsync();
        await subscription.RequestAsync(3);
        var rest = await subscription.TakeAsync(3);

        Assert.Equal(2, first.Events.Count);
        Assert.Equal(0, first.PendingNumRequested);
        Assert.Equal(PubSubOrg.ReplayId(first.Events[^1].ReplayId), PubSubOrg.ReplayId(first.LatestReplayId));

        // Nothing more until asked: a keepalive with no events, still at the last event delivered.
        Assert.Empty(idle.Events);
        Assert.Equal(0, idle.PendingNumRequested);
        Assert.Equal(PubSubOrg.ReplayId(first.LatestReplayId), PubSubOrg.ReplayId(idle.LatestReplayId));
        Assert.Equal(["A2", "A3", "A4"], rest.Select(e => (string)e["Name"]!));
    }

    [Fact]
    public async Task GetTopic_and_GetSchema_describe_change_event_topics_with_Salesforces_record_shape()
    {
        await using var org = await PubSubOrg.StartAsync();

        var topic = await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/data/AccountChangeEvent" }, org.Auth, cancellationToken: Ct);
        var all = await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/data/ChangeEvents" }, org.Auth, cancellationToken: Ct);
        var info = await org.Client.GetSchemaAsync(new SchemaRequest { SchemaId = topic.SchemaId }, org.Auth, cancellationToken: Ct);
        var schema = (RecordSchema)global::Avro.Schema.Parse(info.SchemaJson);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/data/NoSuchChangeEvent" }, org.Auth, cancellationToken: Ct));

        Assert.Equal(("/data/AccountChangeEvent", PubSubOrg.OrgId, false, true), (topic.TopicName, topic.TenantGuid, topic.CanPublish, topic.CanSubscribe));
        Assert.False(string.IsNullOrEmpty(topic.RpcId));
        Assert.True(all.CanSubscribe);
        Assert.Equal(topic.SchemaId, info.SchemaId);
        Assert.Equal("com.sforce.eventbus.AccountChangeEvent", schema.Fullname);
        Assert.Equal("ChangeEventHeader", schema.Fields[0].Name);
        var header = (RecordSchema)schema.Fields[0].Schema;
        Assert.Equal(
            ["entityName", "recordIds", "changeType", "changeOrigin", "transactionKey", "sequenceNumber", "commitTimestamp", "commitNumber", "commitUser", "nulledFields", "diffFields", "changedFields"],
            header.Fields.Select(f => f.Name));
        Assert.Contains("GAP_OVERFLOW", ((EnumSchema)header["changeType"].Schema).Symbols);

        // Every record field is optional (a union with null); compound fields are nested records; no Id, IsDeleted or SystemModstamp.
        Assert.All(schema.Fields.Skip(1), f => Assert.Equal(global::Avro.Schema.Type.Null, ((UnionSchema)f.Schema).Schemas[0].Tag));
        var billing = (RecordSchema)((UnionSchema)schema["BillingAddress"].Schema).Schemas[1];
        Assert.Contains("City", billing.Fields.Select(f => f.Name));
        Assert.DoesNotContain(schema.Fields, f => f.Name is "Id" or "IsDeleted" or "SystemModstamp" or "BillingCity");
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Platform_events_published_through_REST_composite_and_Publish_reach_subscribers()
    {
        var options = new SalesforceEmulatorOptions();
        options.PlatformEvents.Add(new SObjectDefinition("Order_Event__e", [new FieldDefinition("Order_Number__c", FieldType.String), new FieldDefinition("Amount__c", FieldType.Currency)]));
        await using var org = await PubSubOrg.StartAsync(options);
        using var subscription = await org.SubscribeAsync("/event/Order_Event__e", preset: ReplayPreset.Earliest);

        var rest = await org.SendForJsonAsync(HttpMethod.Post, $"{Data}/sobjects/Order_Event__e", new { Order_Number__c = "O-1", Amount__c = 10.5 });
        await org.SendAsync(HttpMethod.Post, $"{Data}/composite", new
        {
            compositeRequest = new[] { new { method = "POST", url = $"{Data}/sobjects/Order_Event__e", referenceId = "e", body = new { Order_Number__c = "O-2" } } },
        });
        var topic = await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/event/Order_Event__e" }, org.Auth, cancellationToken: Ct);
        var schema = await org.SchemaAsync(topic.SchemaId);
        var record = new GenericRecord(schema);
        record.Add("CreatedDate", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        record.Add("CreatedById", "005000000000001AAA");
        record.Add("Order_Number__c", "O-3");
        record.Add("Amount__c", null);
        var published = await org.Client.PublishAsync(
            new PublishRequest { TopicName = "/event/Order_Event__e", Events = { new ProducerEvent { Id = "corr-1", SchemaId = topic.SchemaId, Payload = ByteString.CopyFrom(Encode(schema, record)) } } },
            org.Auth,
            cancellationToken: Ct);
        var events = await subscription.TakeAsync(3);

        Assert.True(rest.GetProperty("success").GetBoolean());
        Assert.Equal("OPERATION_ENQUEUED", rest.GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.True(topic.CanPublish);
        Assert.Equal("corr-1", published.Results.Single().CorrelationKey);
        Assert.Null(published.Results.Single().Error);
        Assert.Equal(["O-1", "O-2", "O-3"], events.Select(e => (string)e["Order_Number__c"]!));
        Assert.Equal(10.5, events[0]["Amount__c"]);
        Assert.Equal(PubSubOrg.ReplayId(published.Results.Single().ReplayId), events[2].ReplayId);
    }

    [Fact]
    public async Task Publishing_a_change_event_topic_is_refused_and_a_payload_that_does_not_decode_fails_its_result()
    {
        var options = new SalesforceEmulatorOptions();
        options.PlatformEvents.Add(new SObjectDefinition("Order_Event__e", [new FieldDefinition("Order_Number__c", FieldType.String)]));
        await using var org = await PubSubOrg.StartAsync(options);
        var topic = await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/event/Order_Event__e" }, org.Auth, cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await org.Client.PublishAsync(new PublishRequest { TopicName = "/data/AccountChangeEvent" }, org.Auth, cancellationToken: Ct));
        var bad = await org.Client.PublishAsync(
            new PublishRequest { TopicName = "/event/Order_Event__e", Events = { new ProducerEvent { Id = "x", SchemaId = topic.SchemaId, Payload = ByteString.CopyFrom(0xFF, 0xFF) } } },
            org.Auth,
            cancellationToken: Ct);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(ErrorCode.Publish, bad.Results.Single().Error.Code);
        Assert.True(bad.Results.Single().ReplayId.IsEmpty);
    }

    [Fact]
    public async Task A_wrong_or_expired_token_or_another_org_is_UNAUTHENTICATED_with_Salesforces_error_code()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var org = await PubSubOrg.StartAsync(new SalesforceEmulatorOptions { TimeProvider = clock });
        var issued = org.Emulator.Sessions.Issue(org.Emulator.Org.AdminUserId);
        var good = await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/data/AccountChangeEvent" }, With(org, issued.AccessToken), cancellationToken: Ct);
        clock.Advance(TimeSpan.FromHours(3));

        foreach (var metadata in new[]
        {
            With(org, "00DHs0000000001!not-a-token"),
            With(org, issued.AccessToken),
            With(org, org.Emulator.Options.AccessToken!, tenant: "00D000000000002AAA"),
            new Metadata { { "accesstoken", org.Emulator.Options.AccessToken! } },
        })
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await org.Client.GetTopicAsync(new TopicRequest { TopicName = "/data/AccountChangeEvent" }, metadata, cancellationToken: Ct));
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
            Assert.Equal("sfdc.platform.eventbus.grpc.service.auth.error", error.Trailers.GetValue("error-code"));
            Assert.EndsWith("rpcId: " + error.Trailers.GetValue("rpc-id"), error.Status.Detail, StringComparison.Ordinal);
        }

        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent");
        Assert.True(good.CanSubscribe);
    }

    [Fact]
    public async Task Stream_faults_drop_the_stream_end_it_as_unavailable_and_turn_an_event_into_a_gap_event()
    {
        await using var org = await PubSubOrg.StartAsync();
        var first = await org.CreateAsync("Account", new { Name = "One" });

        org.Emulator.InjectFault(new EmulatorFault(FaultKind.DropConnection, "/eventbus.v1.PubSub/Subscribe"));
        using (var dropped = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest))
        {
            await Assert.ThrowsAsync<RpcException>(dropped.NextResponseAsync);
        }

        org.Emulator.InjectFault(new EmulatorFault(FaultKind.Unavailable, "/eventbus.v1.PubSub/Subscribe"));
        using (var unavailable = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest))
        {
            var error = await Assert.ThrowsAsync<RpcException>(unavailable.NextResponseAsync);
            Assert.Equal(StatusCode.Internal, error.StatusCode);
            Assert.Equal("sfdc.platform.eventbus.grpc.service.unavailable", error.Trailers.GetValue("error-code"));
        }

        org.Emulator.InjectFault(new EmulatorFault(FaultKind.Gap, "/eventbus.v1.PubSub/Subscribe"));
        using var gap = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);
        var gapEvent = (await gap.TakeAsync(1)).Single();

        // Nothing was lost: a new subscription from EARLIEST gets the full event again.
        using var again = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);
        var full = (await again.TakeAsync(1)).Single();

        Assert.Equal("GAP_CREATE", gapEvent.ChangeType);
        Assert.Equal([first], gapEvent.RecordIds);
        Assert.Null(gapEvent["Name"]);
        Assert.Equal("CREATE", full.ChangeType);
        Assert.Equal("One", full["Name"]);
    }

    private static Metadata With(PubSubOrg org, string token, string tenant = PubSubOrg.OrgId) => new()
    {
        { "accesstoken", token },
        { "instanceurl", org.Server.BaseAddress.GetLeftPart(UriPartial.Authority) },
        { "tenantid", tenant },
    };

    private static byte[] Encode(RecordSchema schema, GenericRecord record)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
