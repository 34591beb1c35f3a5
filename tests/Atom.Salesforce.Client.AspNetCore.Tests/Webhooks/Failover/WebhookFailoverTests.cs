using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks.Failover;

/// <summary>
/// Issue 18's webhook path end to end, with a real PostgreSQL and two OS processes (<see cref="WebhookWorker"/>), each an app
/// with the pack, its webhooks and the hosted change event consumer. Alice registers a webhook for Account through the pack's
/// route, then accounts are created, one after another, through the pack's <c>accounts/create</c> route; the emulator (in
/// this process) publishes each change, the active instance's consumer queues it in the PostgreSQL outbox, and both instances
/// post the outbox to a receiver in this process. Meanwhile the active subscriber's stream is dropped (emulator fault
/// injection), every session expires (the org's clock passes the session timeout; the stream drops again so the subscription
/// must be renewed through the OAuth refresh grant, and the routes' calls renew theirs), and, while deliveries are in flight
/// from it (the receiver holds its answers), the active subscriber — which is also delivering — is killed; the other instance
/// takes over the subscription, has its stream dropped once, and delivers what the killed one had claimed once its lease
/// ends.
/// <para>
/// The receiver counts by <c>webhook-id</c>: no change is lost (each account has a delivery the receiver answered 2xx); a
/// change delivered more than once carries the same <c>webhook-id</c> (and body, and valid signature) every time, so that
/// receivers can deduplicate; the deliveries the killed instance had in flight are delivered again by the other one with
/// their ids. How many deliveries arrived twice is reported in the output, not bounded.
/// </para>
/// </summary>
public sealed class WebhookFailoverTests(ITestOutputHelper output)
{
    private const string Path = "hooks";

    private static readonly Uri Callback = new("http://127.0.0.1/salesforce/callback");

    /// <summary>The webhook options of both instances, bound from configuration (their environment).</summary>
    private static readonly Dictionary<string, string> WebhookSettings = new()
    {
        ["AllowHttpTargets"] = "true",
        ["AllowLoopbackTargets"] = "true",
        ["PollInterval"] = "00:00:00.200",
        ["RetryDelay"] = "00:00:00.500",
        ["MaxRetryDelay"] = "00:00:02",
        // A delivery in flight when its instance dies is claimed for 2 × 5 s + 30 s, then delivered by the other instance.
        ["RequestTimeout"] = "00:00:05",
        // The receiver holds its answers for a while: that must not give up an event or disable the endpoint.
        ["MaxAttempts"] = "1000",
        ["MaxConsecutiveFailures"] = "1000",
        ["BatchSize"] = "10",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_made_through_a_route_reach_the_webhook_receiver_with_none_lost_across_a_dropped_stream_an_expired_session_and_a_killed_instance()
    {
        var schema = "webhook_failover_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(PackHost.ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(PackHost.ServerConnectionString) { SearchPath = schema, MaxPoolSize = 10 }.ConnectionString;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var processes = new List<WorkerProcess>();
        Producer? producer = null;
        try
        {
            // The org: sessions time out after 30 minutes of its clock, which the test moves forward to expire them.
            var orgClock = new ShiftedClock();
            var options = new SalesforceEmulatorOptions { TimeProvider = orgClock, SessionTimeout = TimeSpan.FromMinutes(30) };
            options.OAuth.ConnectedApps[0].CallbackUrls.Add(Callback);
            var emulator = new SalesforceEmulator(options);
            await using var server = await emulator.ListenAsync(cancellationToken: Ct);
            using var control = new HttpClient { BaseAddress = server.BaseAddress };
            await using var receiver = await FailoverReceiver.StartAsync();

            // The integration user (the consumer's) and Alice sign in once (web server flow: refresh tokens) into the store
            // the instances share.
            await using var app = App(connectionString, key, server.BaseAddress);
            await app.GetRequiredService<PostgresTokenStoreMigrator>().MigrateAsync(Ct);
            var signedIn = new Dictionary<string, SalesforceToken>
            {
                [WebhookWorker.Integration] = await SignInAsync(app, WebhookWorker.Integration),
                [PackHost.Alice] = await SignInAsync(app, PackHost.Alice),
            };

            var consumer = "webhook-failover-" + Guid.NewGuid().ToString("N")[..12];
            var first = await StartAsync(connectionString, server, consumer, key);
            processes.Add(first);
            var firstUrl = await first.Started;
            using var firstHttp = new HttpClient { BaseAddress = firstUrl };
            var created = await PostAsync(firstHttp, "webhooks/create", new { target_url = receiver.Url(Path), objects = new[] { "Account" } });
            var secret = created.GetProperty("secret").GetString()!;

            // Accounts are created through the route, one after another, until the test has done everything it does.
            producer = new Producer(firstHttp);
            producer.Start();

            // A dropped stream: the first instance (the only one, so the active subscriber) resubscribes after its last event.
            await Wait.UntilAsync(() => receiver.DeliveredRecords(producer) >= 10, "the first instance delivers some changes");
            await DropNextStreamBatchAsync(emulator, control);
            var mark = producer.Count;
            await Wait.UntilAsync(() => receiver.IsDelivered(producer, mark + 5), "a change made after the dropped stream is delivered");

            // An expired session: every session the OAuth server issued times out, and the stream drops (Salesforce checks the
            // session when a subscription starts); the consumer and the routes renew theirs with the refresh tokens.
            orgClock.Advance(options.SessionTimeout + TimeSpan.FromMinutes(1));
            await DropNextStreamBatchAsync(emulator, control);
            mark = producer.Count;
            await Wait.UntilAsync(() => receiver.IsDelivered(producer, mark + 5), "a change made after the sessions expired is delivered");

            // The second instance starts (a standby subscriber, another deliverer); the routes are called on it from now on.
            var second = await StartAsync(connectionString, server, consumer, key);
            processes.Add(second);
            using var secondHttp = new HttpClient { BaseAddress = await second.Started };
            await producer.SwitchToAsync(secondHttp);
            mark = producer.Count;
            await Wait.UntilAsync(() => receiver.IsDelivered(producer, mark + 5), "changes are delivered with both instances running");

            // The receiver holds its answers until the first instance has deliveries in flight; it is killed then.
            receiver.Hold();
            var inFlight = await Wait.ForAsync(
                () =>
                {
                    var fromFirst = receiver.Pending().Where(d => first.Ports.Contains(d.Port) && !second.Ports.Contains(d.Port)).ToList();
                    return fromFirst.Count > 0 ? fromFirst : null;
                },
                "a delivery from the first instance is in flight");
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            var killedAt = receiver.Sequence;
            var createdBeforeKill = producer.Count;
            receiver.Release();

            // The second instance takes over the subscription: changes made after the kill reach the receiver.
            await Wait.UntilAsync(() => receiver.IsDelivered(producer, createdBeforeKill + 5), "the second instance takes over the subscription");

            // Its stream drops too.
            await DropNextStreamBatchAsync(emulator, control);
            mark = producer.Count;
            await Wait.UntilAsync(() => receiver.IsDelivered(producer, mark + 5), "a change made after the second instance's dropped stream is delivered");

            await producer.StopAsync();
            var records = producer.Records;
            try
            {
                await Wait.UntilAsync(
                    () => records.All(receiver.IsDelivered) && inFlight.All(d => receiver.Deliveries.Any(x => x.MessageId == d.MessageId && x.Sequence > killedAt && x.Answered)),
                    "every change is delivered, the killed instance's in-flight deliveries again",
                    seconds: 300);
            }
            catch (TimeoutException)
            {
                // The assertions below say what is missing.
            }

            second.Process.StandardInput.Close();
            await second.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);

            var all = receiver.Deliveries.ToList();
            var creates = all.Where(d => d.Type == "Account.CREATE").ToList();
            var lost = records.Count(r => !receiver.IsDelivered(r));
            var duplicates = all.Count - all.Select(d => d.MessageId).Distinct().Count();
            output.WriteLine(
                $"webhook failover: {records.Count} accounts created through accounts/create; a dropped stream and expired sessions before the kill, " +
                $"{inFlight.Count} deliveries in flight from the killed instance, a dropped stream after; {all.Count} requests at the receiver for " +
                $"{all.Select(d => d.MessageId).Distinct().Count()} webhook ids; lost {lost}; received more than once {duplicates}.");

            Assert.Equal(0, lost);
            Assert.All(all, d => Assert.True(StandardWebhooksVerifier.Verify(secret, d.MessageId, d.Timestamp, d.Signature, d.Body), d.Body));
            Assert.Equal(all.Count, creates.Count);
            // One webhook id per change, however often it arrived; the same id always carries the same body.
            Assert.All(records, r => Assert.Single(creates.Where(d => d.RecordIds.Contains(r.Id)).Select(d => d.MessageId).Distinct()));
            Assert.All(all.GroupBy(d => d.MessageId), g => Assert.Single(g.Select(d => d.Body).Distinct()));
            Assert.Equal(records.Count, creates.Select(d => d.MessageId).Distinct().Count());
            // What the killed instance had in flight was delivered again, by the other instance, with the same ids.
            Assert.All(inFlight, d => Assert.Contains(all, x => x.MessageId == d.MessageId && x.Sequence > killedAt && x.Answered && second.Ports.Contains(x.Port)));
            Assert.True(duplicates >= inFlight.Count, $"{duplicates} duplicates, {inFlight.Count} in flight at the kill");
            // The expired sessions were renewed through the refresh grant, and the instances stored the new tokens.
            var store = app.GetRequiredService<ITokenStore>();
            foreach (var (user, token) in signedIn)
            {
                Assert.NotEqual(token.AccessToken, (await store.GetAsync(user, Ct))!.AccessToken);
            }
        }
        finally
        {
            if (producer is not null)
            {
                await producer.DisposeAsync();
            }

            foreach (var process in processes)
            {
                if (!process.Process.HasExited)
                {
                    process.Process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }

            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(PackHost.ServerConnectionString);
            await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static ServiceProvider App(string connectionString, string key, Uri loginUrl)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = EmulatorOAuthOptions.DefaultClientId;
                o.ClientSecret = EmulatorOAuthOptions.DefaultClientSecret;
                o.LoginUrl = loginUrl;
            })
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.CacheDuration = TimeSpan.Zero;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = key;
            });
        return services.BuildServiceProvider();
    }

    private static async Task<SalesforceToken> SignInAsync(ServiceProvider app, string userId)
    {
        var oauth = app.GetRequiredService<ISalesforceOAuth>();
        var request = oauth.CreateAuthorizationRequest(Callback, "api refresh_token");
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirect = await browser.GetAsync(request.AuthorizationUrl, Ct);
        var code = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
        var token = await oauth.ExchangeCodeAsync(userId, code, request.CodeVerifier, Callback, Ct);
        Assert.NotNull(token.RefreshToken);
        return token;
    }

    private static async Task<WorkerProcess> StartAsync(string connectionString, Emulator.Hosting.EmulatorServer server, string consumer, string key)
    {
        var worker = WebhookWorker.Start(connectionString, server.BaseAddress, server.PubSubAddress!, consumer, key, WebhookSettings);
        try
        {
            await worker.Started.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            if (!worker.Process.HasExited)
            {
                worker.Process.Kill(entireProcessTree: true);
            }

            await worker.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            Assert.Fail($"The worker did not start: {e.Message} {worker.Errors}");
        }

        return worker;
    }

    /// <summary>Drops the Subscribe stream that sends the next batch of events, and waits until one has.</summary>
    private static async Task DropNextStreamBatchAsync(SalesforceEmulator emulator, HttpClient control)
    {
        emulator.InjectFault(new EmulatorFault(FaultKind.DropConnection, "/eventbus.v1.PubSub/Subscribe"));
        await Wait.UntilAsync(
            async () => (await control.GetFromJsonAsync<JsonElement>("/__emulator/faults", Ct)).GetArrayLength() == 0,
            "a Subscribe stream has been dropped");
    }

    internal static async Task<JsonElement> PostAsync(HttpClient http, string route, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/salesforce/enhanced/" + route)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(PackHost.UserHeader, PackHost.Alice);
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    /// <summary>The org's clock: the system clock, moved forward when the test says so (timers run in real time).</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }
}

/// <summary>An account the producer created through the route: its number and record id.</summary>
internal sealed record CreatedRecord(int Number, string Id);

/// <summary>
/// Creates accounts through the pack's <c>accounts/create</c> route, one after another (a short pause between two), on the
/// instance it is pointed at, until stopped. A failed route call fails the test.
/// </summary>
internal sealed class Producer(HttpClient initial) : IAsyncDisposable
{
    private readonly ConcurrentQueue<CreatedRecord> _records = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile HttpClient _target = initial;
    private volatile HttpClient? _lastUsed;
    private Task? _running;

    public int Count => _records.Count;

    public IReadOnlyList<CreatedRecord> Records => [.. _records];

    public void Start() => _running = Task.Run(RunAsync);

    /// <summary>Calls the route on <paramref name="http"/> from now on; returns once a call has gone there (none is left on the other).</summary>
    public async Task SwitchToAsync(HttpClient http)
    {
        _target = http;
        var count = Count;
        await Wait.UntilAsync(() => ReferenceEquals(_lastUsed, http) && Count > count + 1, "the producer calls the new instance");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        try
        {
            if (_running is not null)
            {
                await _running;
            }
        }
        catch (Exception)
        {
            // The test has failed already; its own exception is the one reported.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        for (var n = 1; !_stop.IsCancellationRequested; n++)
        {
            var http = _target;
            var data = await WebhookFailoverTests.PostAsync(http, "accounts/create", new { account_data = new { Name = $"webhook-failover-{n}" } });
            _records.Enqueue(new CreatedRecord(n, data.GetProperty("id").GetString()!));
            _lastUsed = http;
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>
/// The webhook receiver: Kestrel on loopback, recording every request with the local port of the instance that sent it, and
/// answering 200, or, while held, nothing until released (or the sender goes away).
/// </summary>
internal sealed class FailoverReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedDelivery> _deliveries = new();
    private long _sequence;
    private volatile TaskCompletionSource? _hold;

    private FailoverReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IReadOnlyCollection<ReceivedDelivery> Deliveries => _deliveries;

    /// <summary>The sequence number of the last request received.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    public string Url(string path) => new Uri(Address, path).AbsoluteUri;

    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        var hold = _hold;
        _hold = null;
        hold?.TrySetResult();
    }

    /// <summary>The requests held and not yet answered or abandoned.</summary>
    public IReadOnlyList<ReceivedDelivery> Pending() => [.. _deliveries.Where(d => d.Outcome == ReceivedDelivery.Waiting)];

    /// <summary>Whether the receiver answered 2xx to a CREATE webhook of <paramref name="record"/>.</summary>
    public bool IsDelivered(CreatedRecord record) => _deliveries.Any(d => d.Answered && d.RecordIds.Contains(record.Id));

    /// <summary>Whether the producer's <paramref name="number"/>th record exists and was delivered.</summary>
    public bool IsDelivered(Producer producer, int number) => producer.Records.FirstOrDefault(r => r.Number == number) is { } record && IsDelivered(record);

    /// <summary>How many of the producer's records were delivered.</summary>
    public int DeliveredRecords(Producer producer) => producer.Records.Count(IsDelivered);

    public static async Task<FailoverReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FailoverReceiver? receiver = null;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var delivery = new ReceivedDelivery(
                Interlocked.Increment(ref receiver!._sequence),
                http.Connection.RemotePort,
                http.Request.Headers["webhook-id"].ToString(),
                http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(),
                body);
            receiver._deliveries.Enqueue(delivery);
            if (receiver._hold is { } hold)
            {
                try
                {
                    await hold.Task.WaitAsync(http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    delivery.Outcome = ReceivedDelivery.Abandoned;
                    return;
                }
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            try
            {
                await http.Response.CompleteAsync();
                delivery.Outcome = http.RequestAborted.IsCancellationRequested ? ReceivedDelivery.Abandoned : ReceivedDelivery.Ok;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                delivery.Outcome = ReceivedDelivery.Abandoned;
            }
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new FailoverReceiver(app, new Uri(address.TrimEnd('/') + "/"));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the receiver got: its order, the sender's port, the Standard Webhooks headers and body, and its outcome.</summary>
internal sealed class ReceivedDelivery(long sequence, int port, string messageId, string timestamp, string signature, string body)
{
    public const int Waiting = 0;
    public const int Ok = 200;
    public const int Abandoned = -1;

    private readonly Lazy<JsonObject> _json = new(() => JsonNode.Parse(body)!.AsObject());
    private volatile int _outcome;

    public long Sequence { get; } = sequence;

    public int Port { get; } = port;

    public string MessageId { get; } = messageId;

    public string Timestamp { get; } = timestamp;

    public string Signature { get; } = signature;

    public string Body { get; } = body;

    public int Outcome
    {
        get => _outcome;
        set => _outcome = value;
    }

    /// <summary>The receiver answered 2xx: delivered.</summary>
    public bool Answered => Outcome == Ok;

    public string Type => _json.Value["type"]!.GetValue<string>();

    public IReadOnlyList<string> RecordIds => [.. _json.Value["data"]!["record_ids"]!.AsArray().Select(x => x!.GetValue<string>())];
}

/// <summary>Waits for a condition, polling; fails after a generous limit (never a timing assertion).</summary>
internal static class Wait
{
    public static async Task<T> ForAsync<T>(Func<T?> probe, string what, int seconds = 120)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Waited in vain for " + what);
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static Task UntilAsync(Func<bool> probe, string what, int seconds = 120) =>
        ForAsync(() => probe() ? new object() : null, what, seconds);

    public static async Task UntilAsync(Func<Task<bool>> probe, string what, int seconds = 120)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await probe())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Waited in vain for " + what);
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
