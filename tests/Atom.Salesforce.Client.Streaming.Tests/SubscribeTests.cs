using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Atom.Salesforce.PubSub.Protocol;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>Subscribe against the in-test Pub/Sub server: flow control, replay, keepalive, schemas, recovery, decoding.</summary>
public sealed class SubscribeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Topic = "/data/AccountChangeEvent";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static async Task<PubSubTestHost> HostWithEventsAsync(int events, int batchSize = 100)
    {
        var host = await PubSubTestHost.StartAsync(batchSize);
        host.Service.AddSchema(TestSchemas.AccountChangeEventId, TestSchemas.AccountChangeEvent);
        host.Service.AddTopic(Topic, TestSchemas.AccountChangeEventId);
        for (var i = 0; i < events; i++)
        {
            Append(host, i);
        }

        return host;
    }

    private static byte[] Append(PubSubTestHost host, int n) =>
        host.Service.Append(Topic, TestSchemas.AccountChangeEventId,
            ChangeEvents.Account("UPDATE", [$"001xx00000000{n:D2}AAA"], changedFields: ["0x2"], sequence: n + 1, fields: [("Name", $"Account {n}")]));

    private static async Task<List<ReceivedEvent>> TakeAsync(IAsyncEnumerable<ReceivedEvent> events, int count, Action<ReceivedEvent, int>? each = null)
    {
        using var timeout = new CancellationTokenSource(Generous);
        var received = new List<ReceivedEvent>();
        await using var enumerator = events.GetAsyncEnumerator(timeout.Token);
        while (received.Count < count && await enumerator.MoveNextAsync())
        {
            received.Add(enumerator.Current);
            each?.Invoke(enumerator.Current, received.Count);
        }

        return received;
    }

    private static string NameOf(ReceivedEvent e) => (string)e.Record["Name"]!;

    [Fact]
    public async Task Earliest_delivers_every_stored_event_in_order_with_topic_schema_and_replay_id()
    {
        await using var host = await HostWithEventsAsync(5);
        using var cts = new CancellationTokenSource(Generous);

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: cts.Token), 5);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Account {i}"), events.Select(NameOf));
        Assert.Equal(Enumerable.Range(0, 5).Select(FakePubSubService.ReplayIdFor), events.Select(e => e.ReplayId.ToArray()));
        Assert.All(events, e => Assert.Equal(Topic, e.Topic));
        Assert.All(events, e => Assert.Equal(TestSchemas.AccountChangeEventId, e.SchemaId));
        var first = Assert.Single(host.Service.SubscribeCalls).Requests.First();
        Assert.Equal(ReplayPreset.Earliest, first.ReplayPreset);
        Assert.Equal(Topic, first.TopicName);
    }

    [Fact]
    public async Task Every_call_carries_the_session_headers_Salesforce_requires()
    {
        await using var host = await HostWithEventsAsync(1);

        await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 1);

        var headers = host.Service.Headers.ToList();
        Assert.NotEmpty(headers);
        Assert.All(headers, h =>
        {
            Assert.Equal(PubSubTestHost.FirstToken, h.GetValue("accesstoken"));
            Assert.Equal(PubSubTestHost.Instance, h.GetValue("instanceurl"));
            Assert.Equal(PubSubTestHost.OrgId, h.GetValue("tenantid"));
        });
    }

    [Fact]
    public async Task Latest_delivers_only_events_published_after_the_subscription_started()
    {
        await using var host = await HostWithEventsAsync(3);
        using var cts = new CancellationTokenSource(Generous);
        var subscription = host.Client.SubscribeAsync(Topic, ReplayStart.Latest, cancellationToken: cts.Token);
        await using var enumerator = subscription.GetAsyncEnumerator(cts.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        while (host.Service.SubscribeCalls.IsEmpty || host.Service.SubscribeCalls.First().Requests.IsEmpty)
        {
            await Task.Delay(10, cts.Token);
        }

        Append(host, 3);

        Assert.True(await next);
        Assert.Equal("Account 3", NameOf(enumerator.Current));
        Assert.Equal(ReplayPreset.Latest, host.Service.SubscribeCalls.First().Requests.First().ReplayPreset);
    }

    [Fact]
    public async Task After_a_stored_replay_id_delivers_the_events_after_it()
    {
        await using var host = await HostWithEventsAsync(6);
        var stored = new ReplayId(FakePubSubService.ReplayIdFor(2));

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.After(ReplayId.FromBase64(stored.ToBase64())), cancellationToken: Ct), 3);

        Assert.Equal(["Account 3", "Account 4", "Account 5"], events.Select(NameOf));
        var first = host.Service.SubscribeCalls.Single().Requests.First();
        Assert.Equal(ReplayPreset.Custom, first.ReplayPreset);
        Assert.Equal(stored.ToArray(), first.ReplayId.ToByteArray());
    }

    [Fact]
    public async Task Flow_control_never_has_more_than_the_batch_size_outstanding_and_tops_up_as_the_caller_consumes()
    {
        const int batch = 4;
        await using var host = await HostWithEventsAsync(25, batch);

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 25, (_, consumed) =>
        {
            // While the caller holds its n-th event, the client may have granted at most n + batch events in all.
            var granted = host.Service.SubscribeCalls.Single().TotalRequested;
            Assert.True(granted <= consumed + batch, $"{granted} events requested with {consumed} consumed");
        });

        Assert.Equal(25, events.Count);
        var call = host.Service.SubscribeCalls.Single();
        Assert.False(call.Overdrawn);
        Assert.All(call.Requests, r => Assert.InRange(r.NumRequested, 1, batch));
        Assert.True(call.Requests.Count >= 25 / batch, $"only {call.Requests.Count} requests for 25 events with batch {batch}");
    }

    [Fact]
    public async Task A_schema_is_fetched_once_per_id()
    {
        await using var host = await HostWithEventsAsync(10, batchSize: 3);

        await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 10);
        var schema = await host.Client.GetSchemaAsync(TestSchemas.AccountChangeEventId, Ct);

        Assert.Equal(1, host.Service.SchemaCalls(TestSchemas.AccountChangeEventId));
        Assert.Equal("com.sforce.eventbus.AccountChangeEvent", schema.Name);
        Assert.True(schema.IsChangeEvent);
        Assert.Equal("ChangeEventHeader", schema.FieldNames[0]);
    }

    [Fact]
    public async Task A_keepalive_reports_the_latest_replay_id_and_a_reconnect_resumes_after_it()
    {
        await using var host = await HostWithEventsAsync(2);
        using var cts = new CancellationTokenSource(Generous);
        var keepalives = new List<ReplayId>();
        var options = new SubscribeOptions
        {
            KeepaliveReceived = (id, _) =>
            {
                lock (keepalives)
                {
                    keepalives.Add(id);
                }

                return ValueTask.CompletedTask;
            },
        };
        await using var enumerator = host.Client.SubscribeAsync(Topic, ReplayStart.Latest, options, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        while (host.Service.SubscribeCalls.IsEmpty || host.Service.SubscribeCalls.First().Requests.IsEmpty)
        {
            await Task.Delay(10, cts.Token);
        }

        host.Service.RequestKeepalive();
        while (keepalives.Count == 0)
        {
            await Task.Delay(10, cts.Token);
        }

        host.Service.NextFault = new StreamFault(0, StatusCode.Unavailable, "sfdc.platform.eventbus.grpc.service.unavailable");
        host.Service.RequestKeepalive();
        while (host.Service.SubscribeCalls.Count < 2 || host.Service.SubscribeCalls.Last().Requests.IsEmpty)
        {
            await Task.Delay(10, cts.Token);
        }

        Append(host, 2);
        Assert.True(await next);

        Assert.Equal(FakePubSubService.ReplayIdFor(1), keepalives[0].ToArray());
        var resumed = host.Service.SubscribeCalls.Last().Requests.First();
        Assert.Equal(ReplayPreset.Custom, resumed.ReplayPreset);
        Assert.Equal(FakePubSubService.ReplayIdFor(1), resumed.ReplayId.ToByteArray());
        Assert.Equal("Account 2", NameOf(enumerator.Current));
    }

    [Fact]
    public async Task An_expired_session_is_renewed_and_the_subscription_resumes_after_the_last_event_without_loss_or_duplicate()
    {
        await using var host = await HostWithEventsAsync(10, batchSize: 5);
        var names = new List<string>();

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 10, (e, consumed) =>
        {
            names.Add(NameOf(e));
            if (consumed == 3)
            {
                // The session expires while the caller holds its third event: Salesforce ends the stream with an auth error.
                host.Service.ExpiredTokens[PubSubTestHost.FirstToken] = true;
            }
        });

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"Account {i}"), names);
        Assert.Equal(1, host.Renewals);
        var calls = host.Service.SubscribeCalls.ToList();
        Assert.Equal(PubSubTestHost.FirstToken, calls[0].AccessToken);
        var resumed = calls.Last();
        Assert.Equal(PubSubTestHost.RenewedToken, resumed.AccessToken);
        var start = resumed.Requests.First();
        Assert.Equal(ReplayPreset.Custom, start.ReplayPreset);
        Assert.Equal(events[calls[0].Delivered - 1].ReplayId.ToArray(), start.ReplayId.ToByteArray());
        Assert.Equal(PubSubTestHost.RenewedToken, (await host.Tokens.GetAsync(PubSubTestHost.UserId, Ct))!.AccessToken);
    }

    [Fact]
    public async Task A_transient_failure_reconnects_with_backoff_and_resumes_after_the_last_event()
    {
        await using var host = await HostWithEventsAsync(8, batchSize: 100);
        host.Service.NextFault = new StreamFault(3, StatusCode.Unavailable, null);

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 8);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"Account {i}"), events.Select(NameOf));
        var calls = host.Service.SubscribeCalls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(ReplayPreset.Custom, calls[1].Requests.First().ReplayPreset);
        Assert.Equal(FakePubSubService.ReplayIdFor(2), calls[1].Requests.First().ReplayId.ToByteArray());
        Assert.Equal(0, host.Renewals);
    }

    [Fact]
    public async Task Transient_failures_beyond_the_attempts_allowed_surface_as_a_transient_PubSubException()
    {
        await using var host = await HostWithEventsAsync(1);
        host.Service.NextFault = new StreamFault(0, StatusCode.Unavailable, "sfdc.platform.eventbus.grpc.service.unavailable", Repeat: true);

        var error = await Assert.ThrowsAsync<PubSubException>(() => TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 1));

        Assert.True(error.IsTransient);
        Assert.Equal("sfdc.platform.eventbus.grpc.service.unavailable", error.ErrorCode);

        // The first call and MaxReconnectAttempts (3) reconnections.
        Assert.Equal(4, host.Service.SubscribeCalls.Count);
    }

    [Fact]
    public async Task An_unknown_topic_is_refused_without_reconnecting()
    {
        await using var host = await PubSubTestHost.StartAsync();

        var refused = await Assert.ThrowsAsync<PubSubException>(() => TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Latest, cancellationToken: Ct), 1));

        Assert.False(refused.IsTransient);
        Assert.Equal("sfdc.platform.eventbus.grpc.service.topic.not.found", refused.ErrorCode);
        Assert.Single(host.Service.SubscribeCalls);
    }

    [Fact]
    public async Task A_replay_id_Salesforce_no_longer_keeps_is_reported_not_silently_replaced()
    {
        await using var host = await HostWithEventsAsync(2);

        var error = await Assert.ThrowsAsync<PubSubException>(() =>
            TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.After(new ReplayId(FakePubSubService.ReplayIdFor(500))), cancellationToken: Ct), 1));

        Assert.True(error.IsReplayIdRejected);
        Assert.False(error.IsTransient);
        Assert.Equal(FakePubSubService.ReplayIdCorruptedCode, error.ErrorCode);
        Assert.NotNull(error.RpcId);
        Assert.Single(host.Service.SubscribeCalls);
    }

    [Fact]
    public async Task Gap_and_overflow_events_are_delivered_as_such()
    {
        await using var host = await HostWithEventsAsync(0);
        host.Service.Append(Topic, TestSchemas.AccountChangeEventId, ChangeEvents.Account("GAP_UPDATE", ["001xx000003DGb2AAG", "001xx000003DGb3AAG"]));
        host.Service.Append(Topic, TestSchemas.AccountChangeEventId, ChangeEvents.Account("GAP_OVERFLOW", []));
        host.Service.Append(Topic, TestSchemas.AccountChangeEventId, ChangeEvents.Account("DELETE", ["001xx000003DGb2AAG"]));

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 3);

        var headers = events.Select(e => e.ChangeEventHeader!).ToList();
        Assert.Equal([ChangeType.GapUpdate, ChangeType.GapOverflow, ChangeType.Delete], headers.Select(h => h.ChangeType));
        Assert.True(headers[0].IsGap);
        Assert.Equal(["001xx000003DGb2AAG", "001xx000003DGb3AAG"], headers[0].RecordIds);
        Assert.True(headers[1].IsOverflow);
        Assert.Equal("Account", headers[1].EntityName);
        Assert.Empty(headers[1].RecordIds);
    }

    [Fact]
    public async Task A_change_event_binds_to_a_POCO_and_to_an_SObject_with_its_header()
    {
        await using var host = await HostWithEventsAsync(0);
        host.Service.Append(Topic, TestSchemas.AccountChangeEventId, ChangeEvents.Account(
            "UPDATE", ["001xx000003DGb2AAG"], changedFields: ["0x1E2"], nulledFields: ["0x20"],
            fields: [("Name", "Acme"), ("Industry", "Energy"), ("AnnualRevenue", 1.5e6), ("NumberOfEmployees", 250), ("BillingAddress", ChangeEvents.Address("1 Main St", "Paris", 48.85)), ("LastModifiedDate", 1765000000123L)]));

        var received = Assert.Single(await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 1));
        var typed = received.ToChangeEvent<AccountRecord>();
        var dynamic = received.ToChangeEvent<SObject>();

        Assert.True(received.IsChangeEvent);
        Assert.Equal(["Name", "Phone", "Industry", "AnnualRevenue", "NumberOfEmployees"], typed.Header.ChangedFields);
        Assert.Equal(["Phone"], typed.Header.NulledFields);
        Assert.Equal("001xx000003DGb2AAG", typed.Record.Id);
        Assert.Equal("Acme", typed.Record.Name);
        Assert.Equal("Energy", typed.Record.Industry);
        Assert.Equal(1.5e6m, typed.Record.AnnualRevenue);
        Assert.Equal(250, typed.Record.NumberOfEmployees);
        Assert.Null(typed.Record.Phone);
        Assert.Equal("Paris", typed.Record.BillingAddress!.City);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1765000000123L), typed.Record.LastModifiedDate);
        Assert.Equal(1765000000123L, received.Record["LastModifiedDate"]);
        Assert.Equal("Account", dynamic.Record.Type);
        Assert.Equal("001xx000003DGb2AAG", dynamic.Record.Id);
        Assert.Equal("Acme", dynamic.Record.Get<string>("Name"));
        Assert.Equal(250, dynamic.Record.Get<int>("NumberOfEmployees"));
        Assert.False(dynamic.Record.Contains("ChangeEventHeader"));
    }

    [Fact]
    public async Task An_event_that_does_not_match_its_schema_throws_where_it_is_read_and_the_stream_goes_on()
    {
        await using var host = await HostWithEventsAsync(0);
        host.Service.Append(Topic, TestSchemas.AccountChangeEventId, [0x02, 0x41]);
        Append(host, 1);

        var events = await TakeAsync(host.Client.SubscribeAsync(Topic, ReplayStart.Earliest, cancellationToken: Ct), 2);

        Assert.Throws<InvalidDataException>(() => events[0].Record);
        Assert.Equal("Account 1", NameOf(events[1]));
    }

    [Fact]
    public async Task Bad_arguments_fail_before_any_call()
    {
        await using var host = await HostWithEventsAsync(0);

        Assert.Throws<ArgumentException>(() => host.Client.SubscribeAsync("AccountChangeEvent", ReplayStart.Latest, cancellationToken: Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Client.SubscribeAsync(Topic, ReplayStart.Latest, new SubscribeOptions { BatchSize = 101 }, Ct));
        Assert.Throws<ArgumentException>(() => ReplayStart.After(default));
        Assert.Empty(host.Service.SubscribeCalls);
    }

    [Fact]
    public async Task A_user_without_a_token_gets_the_REST_clients_authentication_error()
    {
        await using var host = await HostWithEventsAsync(0);
        var stranger = host.Provider.GetRequiredService<IPubSubClientFactory>().ForUser("nobody");

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => TakeAsync(stranger.SubscribeAsync(Topic, ReplayStart.Latest, cancellationToken: Ct), 1));

        Assert.Equal(SalesforceAuthenticationException.Codes.NoToken, error.ErrorCode);
        Assert.Empty(host.Service.SubscribeCalls);
    }

    public sealed class AccountRecord
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Industry { get; set; }

        public string? Phone { get; set; }

        public decimal? AnnualRevenue { get; set; }

        public int? NumberOfEmployees { get; set; }

        public AddressRecord? BillingAddress { get; set; }

        public DateTimeOffset? LastModifiedDate { get; set; }
    }

    public sealed class AddressRecord
    {
        public string? Street { get; set; }

        public string? City { get; set; }

        public double? Latitude { get; set; }
    }
}
