using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.PubSub;
using Atom.Salesforce.PubSub.Protocol;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.PubSub;

/// <summary>
/// ManagedSubscribe as Salesforce documents it (Pub/Sub API Developer Guide, "Managed Event Subscriptions (Beta)" and
/// "ManagedSubscribe RPC Method"; the proto's ManagedFetchRequest, ManagedFetchResponse, CommitReplayRequest and
/// CommitReplayResponse; the Tooling API's ManagedEventSubscription): a subscription named by developer name or id resumes
/// after the replay id the client committed on the server, starts at its defaultReplay before any commit and at its
/// errorRecoveryReplay when the committed id is no longer retained, serves one client at a time and refuses a STOP state.
/// </summary>
public sealed class ManagedSubscribeTests
{
    private const string Tooling = "/services/data/v62.0/tooling";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SalesforceEmulatorOptions Options(TimeProvider? time = null, params ManagedEventSubscriptionDefinition[] subscriptions)
    {
        var options = new SalesforceEmulatorOptions { PubSubKeepAlive = TimeSpan.FromMilliseconds(200) };
        if (time is not null)
        {
            options.TimeProvider = time;
        }

        foreach (var s in subscriptions)
        {
            options.ManagedEventSubscriptions.Add(s);
        }

        return options;
    }

    [Fact]
    public async Task A_managed_subscription_resumes_after_the_replay_id_committed_on_the_server()
    {
        await using var org = await PubSubOrg.StartAsync(Options(null, new ManagedEventSubscriptionDefinition
        {
            DeveloperName = "Account_Sync",
            TopicName = "/data/AccountChangeEvent",
            DefaultReplay = "EARLIEST",
        }));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await org.CreateAsync("Account", new { Name = $"M{i}" }));
        }

        List<DecodedEvent> first;
        CommitReplayResponse committed;
        using (var stream = await ManagedStream.OpenAsync(org, developerName: "Account_Sync"))
        {
            first = await stream.TakeAsync(3);
            committed = await stream.CommitAsync("commit-1", first[1].ReplayId);
        }

        var later = await org.CreateAsync("Account", new { Name = "M3" });
        var id = (await Tooling_query(org, "SELECT Id FROM ManagedEventSubscription WHERE DeveloperName = 'Account_Sync'")).Single().GetProperty("Id").GetString()!;
        using var resumed = await ManagedStream.OpenWhenFreeAsync(org, subscriptionId: id);
        var rest = await resumed.TakeAsync(2);

        Assert.Equal(ids, first.Select(e => e.RecordIds.Single()));
        Assert.Equal("commit-1", committed.CommitRequestId);
        Assert.Equal(first[1].ReplayId, PubSubOrg.ReplayId(committed.ReplayId));
        Assert.Null(committed.Error);
        Assert.True(committed.ProcessTime > 0);
        Assert.StartsWith("18x", id, StringComparison.Ordinal);
        Assert.Equal([ids[2], later], rest.Select(e => e.RecordIds.Single()));
    }

    [Fact]
    public async Task Before_any_commit_LATEST_skips_earlier_events_and_an_empty_batchs_latest_replay_id_can_be_committed()
    {
        await using var org = await PubSubOrg.StartAsync(Options(null, new ManagedEventSubscriptionDefinition { DeveloperName = "Latest_Only", TopicName = "/data/AccountChangeEvent" }));
        await org.CreateAsync("Account", new { Name = "Before" });

        using var stream = await ManagedStream.OpenAsync(org, developerName: "Latest_Only");
        var keepalive = await stream.NextAsync();
        var committed = await stream.CommitAsync("on-empty", PubSubOrg.ReplayId(keepalive.LatestReplayId));
        var after = await org.CreateAsync("Account", new { Name = "After" });
        var received = await stream.TakeAsync(1);

        Assert.Empty(keepalive.Events);
        Assert.Null(committed.Error);
        Assert.Equal([after], received.Single().RecordIds);
    }

    [Fact]
    public async Task A_commit_of_a_replay_id_the_org_never_gave_out_fails_with_COMMIT_and_keeps_the_previous_position()
    {
        await using var org = await PubSubOrg.StartAsync(Options(null, new ManagedEventSubscriptionDefinition { DeveloperName = "Strict", TopicName = "/data/AccountChangeEvent", DefaultReplay = "EARLIEST" }));
        var a = await org.CreateAsync("Account", new { Name = "A" });
        var b = await org.CreateAsync("Account", new { Name = "B" });

        CommitReplayResponse good;
        CommitReplayResponse bad;
        using (var stream = await ManagedStream.OpenAsync(org, developerName: "Strict"))
        {
            var events = await stream.TakeAsync(2);
            good = await stream.CommitAsync("good", events[0].ReplayId);
            bad = await stream.CommitAsync("bad", events[1].ReplayId + 1_000);
        }

        using var resumed = await ManagedStream.OpenWhenFreeAsync(org, developerName: "Strict");
        var next = await resumed.TakeAsync(1);

        Assert.Null(good.Error);
        Assert.Equal("bad", bad.CommitRequestId);
        Assert.Equal(ErrorCode.Commit, bad.Error.Code);
        Assert.False(string.IsNullOrEmpty(bad.Error.Msg));
        Assert.Equal([b], next.Single().RecordIds);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task A_committed_replay_id_past_retention_restarts_at_the_error_recovery_replay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        await using var org = await PubSubOrg.StartAsync(Options(
            clock,
            new ManagedEventSubscriptionDefinition { DeveloperName = "Recover_Earliest", TopicName = "/data/AccountChangeEvent", DefaultReplay = "EARLIEST", ErrorRecoveryReplay = "EARLIEST" },
            new ManagedEventSubscriptionDefinition { DeveloperName = "Recover_Latest", TopicName = "/data/AccountChangeEvent", DefaultReplay = "EARLIEST", ErrorRecoveryReplay = "LATEST" }));
        await org.CreateAsync("Account", new { Name = "Old" });
        await org.CreateAsync("Account", new { Name = "Lost" });
        foreach (var name in new[] { "Recover_Earliest", "Recover_Latest" })
        {
            using var stream = await ManagedStream.OpenAsync(org, developerName: name);
            var old = await stream.TakeAsync(2);
            Assert.Null((await stream.CommitAsync("c", old[0].ReplayId)).Error);
        }

        // Both events expire: the committed position is older than anything retained (what came after it is gone).
        clock.Advance(TimeSpan.FromHours(73));
        var retained = await org.CreateAsync("Account", new { Name = "Retained" });

        using var earliest = await ManagedStream.OpenWhenFreeAsync(org, developerName: "Recover_Earliest");
        var recovered = await earliest.TakeAsync(1);
        using var latest = await ManagedStream.OpenWhenFreeAsync(org, developerName: "Recover_Latest");
        var first = await latest.NextAsync();

        Assert.Equal([retained], recovered.Single().RecordIds);
        Assert.Empty(first.Events);
    }

    [Fact]
    public async Task Missing_unknown_stopped_and_already_active_subscriptions_are_refused()
    {
        await using var org = await PubSubOrg.StartAsync(Options(
            null,
            new ManagedEventSubscriptionDefinition { DeveloperName = "Running", TopicName = "/data/AccountChangeEvent" },
            new ManagedEventSubscriptionDefinition { DeveloperName = "Stopped", TopicName = "/data/AccountChangeEvent", State = "STOP" }));

        var missing = await ManagedStream.RefusedAsync(org, null, null);
        var unknown = await ManagedStream.RefusedAsync(org, "No_Such_Subscription", null);
        var stopped = await ManagedStream.RefusedAsync(org, "Stopped", null);
        using var holder = await ManagedStream.OpenAsync(org, developerName: "Running");
        await holder.NextAsync();
        var second = await ManagedStream.RefusedAsync(org, "Running", null);

        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, stopped.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, second.StatusCode);
        Assert.Contains("An active managed subscription with the same ID already exists", second.Status.Detail, StringComparison.Ordinal);
        Assert.All([missing, unknown, stopped, second], e =>
        {
            Assert.StartsWith("sfdc.platform.eventbus.grpc.", e.Trailers.GetValue("error-code"), StringComparison.Ordinal);
            Assert.Contains("rpcId: " + e.Trailers.GetValue("rpc-id"), e.Status.Detail, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_Tooling_API_creates_reads_queries_stops_and_deletes_a_ManagedEventSubscription()
    {
        await using var org = await PubSubOrg.StartAsync(Options());
        var created = await org.SendForJsonAsync(HttpMethod.Post, Tooling + "/sobjects/ManagedEventSubscription", new
        {
            FullName = "Order_Sub",
            Metadata = new { label = "Order Sub", topicName = "/data/AccountChangeEvent", defaultReplay = "EARLIEST", state = "RUN", errorRecoveryReplay = "LATEST" },
        });
        var id = created.GetProperty("id").GetString()!;
        var read = await org.SendForJsonAsync(HttpMethod.Get, $"{Tooling}/sobjects/ManagedEventSubscription/{id}");
        var account = await org.CreateAsync("Account", new { Name = "Via Tooling" });
        using (var stream = await ManagedStream.OpenAsync(org, subscriptionId: id))
        {
            Assert.Equal([account], (await stream.TakeAsync(1)).Single().RecordIds);
        }

        await org.SendAsync(HttpMethod.Patch, $"{Tooling}/sobjects/ManagedEventSubscription/{id}", new { Metadata = new { state = "STOP" } });
        var stopped = await ManagedStream.RefusedWhenFreeAsync(org, "Order_Sub", StatusCode.FailedPrecondition);
        await org.SendAsync(HttpMethod.Delete, $"{Tooling}/sobjects/ManagedEventSubscription/{id}");
        using var gone = await org.Http.GetAsync($"{Tooling}/sobjects/ManagedEventSubscription/{id}", Ct);
        var deleted = await ManagedStream.RefusedAsync(org, "Order_Sub", null);
        using var bad = await org.Http.PostAsync(
            Tooling + "/sobjects/ManagedEventSubscription",
            System.Net.Http.Json.JsonContent.Create(new { FullName = "Bad__Name", Metadata = new { topicName = "/data/AccountChangeEvent" } }),
            Ct);

        Assert.True(created.GetProperty("success").GetBoolean());
        Assert.Equal("Order_Sub", read.GetProperty("DeveloperName").GetString());
        Assert.Equal("/data/AccountChangeEvent", read.GetProperty("Metadata").GetProperty("topicName").GetString());
        Assert.Equal("EARLIEST", read.GetProperty("Metadata").GetProperty("defaultReplay").GetString());
        Assert.Equal(StatusCode.FailedPrecondition, stopped.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(StatusCode.NotFound, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task<List<JsonElement>> Tooling_query(PubSubOrg org, string soql)
    {
        var result = await org.SendForJsonAsync(HttpMethod.Get, $"{Tooling}/query?q={Uri.EscapeDataString(soql)}");
        return [.. result.GetProperty("records").EnumerateArray()];
    }
}

/// <summary>A ManagedSubscribe stream: reads responses (events, keepalives, commit answers), asks for more, commits.</summary>
internal sealed class ManagedStream(PubSubOrg org, AsyncDuplexStreamingCall<ManagedFetchRequest, ManagedFetchResponse> call) : IDisposable
{
    private readonly Queue<ManagedFetchResponse> _events = new();

    public static async Task<ManagedStream> OpenAsync(PubSubOrg org, string? developerName = null, string? subscriptionId = null)
    {
        var call = org.Client.ManagedSubscribe(org.Auth, cancellationToken: TestContext.Current.CancellationToken);
        await call.RequestStream.WriteAsync(
            new ManagedFetchRequest { DeveloperName = developerName ?? string.Empty, SubscriptionId = subscriptionId ?? string.Empty, NumRequested = 100 },
            TestContext.Current.CancellationToken);
        return new ManagedStream(org, call);
    }

    /// <summary>
    /// Opens the subscription once the org has let go of the previous stream (a managed subscription serves one client; the
    /// server notices a closed stream shortly after the client leaves).
    /// </summary>
    public static async Task<ManagedStream> OpenWhenFreeAsync(PubSubOrg org, string? developerName = null, string? subscriptionId = null)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var stream = await OpenAsync(org, developerName, subscriptionId);
            try
            {
                stream._events.Enqueue(await stream.ReadAsync());
                return stream;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && DateTime.UtcNow < until)
            {
                stream.Dispose();
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>The error a stream for <paramref name="developerName"/> ends with.</summary>
    public static async Task<RpcException> RefusedAsync(PubSubOrg org, string? developerName, string? subscriptionId)
    {
        using var stream = await OpenAsync(org, developerName, subscriptionId);
        return await Assert.ThrowsAsync<RpcException>(stream.ReadAsync);
    }

    /// <summary>The error with <paramref name="expected"/> status, waiting out the "already active" refusal of a stream just closed.</summary>
    public static async Task<RpcException> RefusedWhenFreeAsync(PubSubOrg org, string developerName, StatusCode expected)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var error = await RefusedAsync(org, developerName, null);
            if (!error.Status.Detail.Contains("already exists", StringComparison.Ordinal) || DateTime.UtcNow > until)
            {
                Assert.Equal(expected, error.StatusCode);
                return error;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The next response that is not a commit answer.</summary>
    public async Task<ManagedFetchResponse> NextAsync()
    {
        if (_events.TryDequeue(out var queued))
        {
            return queued;
        }

        while (true)
        {
            var response = await ReadAsync();
            if (response.CommitResponse is null)
            {
                return response;
            }
        }
    }

    /// <summary>Reads until <paramref name="count"/> events have come, and decodes them.</summary>
    public async Task<List<DecodedEvent>> TakeAsync(int count)
    {
        var events = new List<DecodedEvent>();
        while (events.Count < count)
        {
            var response = await NextAsync();
            Assert.Null(response.CommitResponse);
            foreach (var e in response.Events)
            {
                events.Add(await org.DecodeAsync(e));
            }
        }

        Assert.Equal(count, events.Count);
        return events;
    }

    /// <summary>Commits a replay id and returns the server's answer to that commit (events read meanwhile are kept for <see cref="NextAsync"/>).</summary>
    public async Task<CommitReplayResponse> CommitAsync(string requestId, long replayId)
    {
        await call.RequestStream.WriteAsync(
            new ManagedFetchRequest { CommitReplayIdRequest = new CommitReplayRequest { CommitRequestId = requestId, ReplayId = ByteString.CopyFrom(PubSubOrg.ReplayBytes(replayId)) } },
            TestContext.Current.CancellationToken);
        while (true)
        {
            var response = await ReadAsync();
            if (response.CommitResponse is { } commit && commit.CommitRequestId == requestId)
            {
                Assert.Empty(response.Events);
                return commit;
            }

            if (response.Events.Count > 0)
            {
                _events.Enqueue(response);
            }
        }
    }

    private async Task<ManagedFetchResponse> ReadAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "The stream ended.");
        var response = call.ResponseStream.Current;
        Assert.False(string.IsNullOrEmpty(response.RpcId));
        return response;
    }

    public void Dispose() => call.Dispose();
}
