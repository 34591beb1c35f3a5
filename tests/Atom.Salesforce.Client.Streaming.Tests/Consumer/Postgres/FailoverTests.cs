using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer.Postgres;

/// <summary>
/// Two OS processes run the hosted consumer on <c>/data/AccountChangeEvent</c> with <c>UsePostgres()</c> against a real
/// PostgreSQL: one is the active subscriber, the other stands by. The events are a real Change Data Capture stream: accounts
/// created through the REST API of the emulator (in this process), read through its Pub/Sub API server over HTTP/2. During
/// the run the active subscriber's stream is dropped, then its session expires (the org's clock passes the session timeout,
/// and the stream drops again, so the client must renew the token through the OAuth refresh grant); then the active process
/// is killed mid-stream, and the standby takes over from the committed replay id and has its own stream dropped once. Every
/// event must reach a handler (none lost); an event may reach it twice only if it was in flight when the active process
/// died. The takeover time and duplicates are reported in the test output, not asserted.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Events = 300;
    private const string Writer = "writer";

    private static readonly Uri Callback = new("http://127.0.0.1/salesforce/callback");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_the_active_subscriber_process_loses_no_event_and_the_standby_resumes_from_the_committed_replay_id()
    {
        await using var schema = await TestSchema.CreateAsync();
        await schema.ExecuteAsync("CREATE TABLE failover_deliveries (id bigint GENERATED ALWAYS AS IDENTITY, n bigint NOT NULL, pid integer NOT NULL, replay_id bytea NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");

        // The org: sessions time out after 30 minutes of its clock, which the test moves forward to expire them.
        var orgClock = new ShiftedClock();
        var options = new SalesforceEmulatorOptions { TimeProvider = orgClock, SessionTimeout = TimeSpan.FromMinutes(30) };
        options.OAuth.ConnectedApps[0].CallbackUrls.Add(Callback);
        var emulator = new SalesforceEmulator(options);
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        using var control = new HttpClient { BaseAddress = server.BaseAddress };

        // The integration user signs in once (web server flow: a refresh token), into the store the workers share; the test
        // writes the accounts with the org's permanent token as another user.
        await using var app = App(schema, server);
        var signedIn = await SignInAsync(app);
        await app.GetRequiredService<ITokenStore>().SaveAsync(Writer, new SalesforceToken(options.AccessToken!, server.BaseAddress, DateTimeOffset.UtcNow), Ct);
        var writer = app.GetRequiredService<ISalesforceClientFactory>().ForUser(Writer);

        var processes = new List<WorkerProcess>();
        try
        {
            processes.Add(await StartAsync(schema, server));
            processes.Add(await StartAsync(schema, server));

            // Salesforce publishes the changes one by one while the two instances run.
            var producer = Task.Run(
                async () =>
                {
                    for (var n = 1; n <= Events; n++)
                    {
                        await writer.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = FailoverWorker.NamePrefix + n }, Ct);
                        await Task.Delay(20, Ct);
                    }
                },
                Ct);

            // A dropped stream: the client reconnects after the last event it handed over.
            await Wait.UntilAsync(async () => await Delivered(schema) >= Events / 8, "the active instance has handled some events");
            await DropNextStreamBatchAsync(emulator, control);

            // An expired session: every session the OAuth server issued times out, and the stream drops (Salesforce checks the
            // session when a subscription starts): the client is refused, refreshes the token and subscribes again.
            await Wait.UntilAsync(async () => await Delivered(schema) >= Events / 5, "the active instance is past the dropped stream");
            orgClock.Advance(options.SessionTimeout + TimeSpan.FromMinutes(1));
            await DropNextStreamBatchAsync(emulator, control);

            await Wait.UntilAsync(async () => await Delivered(schema) >= Events / 3, "the active instance is a third through the stream");
            var leader = await schema.ScalarAsync("SELECT min(pid) FROM failover_deliveries");
            Assert.Equal(1, await schema.ScalarAsync("SELECT count(DISTINCT pid) FROM failover_deliveries"));
            var active = processes.Single(p => p.Id == leader);
            var standby = processes.Single(p => p != active);

            active.Process.Kill(entireProcessTree: true);
            var killedAt = Stopwatch.GetTimestamp();
            await active.Process.WaitForExitAsync(Ct);
            var lastByActive = await schema.ScalarAsync($"SELECT max(n) FROM failover_deliveries WHERE pid = {active.Id}");
            await Wait.UntilAsync(async () => await Delivered(schema, standby.Id) > 0, "the standby takes over");
            var takeover = Stopwatch.GetElapsedTime(killedAt);
            var firstByStandby = await schema.ScalarAsync($"SELECT n FROM failover_deliveries WHERE pid = {standby.Id} ORDER BY id LIMIT 1");

            // The new subscriber's stream drops too.
            await Wait.UntilAsync(async () => await Delivered(schema, standby.Id) >= Events / 6, "the standby has handled some events");
            await DropNextStreamBatchAsync(emulator, control);

            await producer;
            await Wait.UntilAsync(
                async () => await schema.ScalarAsync("SELECT count(DISTINCT n) FROM failover_deliveries") == Events
                    && await schema.ScalarAsync(
                        $"SELECT count(*) FROM salesforce_pubsub_replay_ids r JOIN failover_deliveries d ON d.replay_id = r.replay_id WHERE d.n = {Events}") == 1,
                "every event is delivered and the last one's replay id committed");
            await StopAsync(standby);

            var lost = await schema.ScalarAsync($"SELECT count(*) FROM generate_series(1, {Events}) AS e(n) WHERE NOT EXISTS (SELECT 1 FROM failover_deliveries d WHERE d.n = e.n)");
            var duplicated = await schema.ScalarAsync("SELECT count(*) - count(DISTINCT n) FROM failover_deliveries");
            var renewed = await app.GetRequiredService<ITokenStore>().GetAsync(FailoverWorker.UserId, Ct);
            output.WriteLine(
                $"failover: {Events} change events through the emulator's Pub/Sub API; a dropped stream and an expired session before the kill, a dropped stream after; " +
                $"the active process delivered up to #{lastByActive} and was killed; the standby's first event #{firstByStandby}; " +
                $"takeover (kill to the standby's first delivery) {takeover.TotalMilliseconds:F0} ms; lost {lost}; delivered twice {duplicated}.");
            Assert.Equal(0, lost);
            // At least once, and at most the one event in flight when the active process died is delivered again.
            Assert.InRange(duplicated, 0, 1);
            Assert.InRange(firstByStandby, lastByActive, lastByActive + 1);
            // The expired session was renewed through the refresh grant, and the workers stored the new token.
            Assert.NotNull(renewed);
            Assert.NotEqual(signedIn.AccessToken, renewed.AccessToken);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.Process.HasExited)
                {
                    process.Process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }

    private static ServiceProvider App(TestSchema schema, EmulatorServer server)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = EmulatorOAuthOptions.DefaultClientId;
                o.ClientSecret = EmulatorOAuthOptions.DefaultClientSecret;
                o.LoginUrl = server.BaseAddress;
            })
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = schema.ConnectionString;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = TestSchema.EncryptionKey;
            });
        return services.BuildServiceProvider();
    }

    private static async Task<SalesforceToken> SignInAsync(ServiceProvider app)
    {
        var oauth = app.GetRequiredService<ISalesforceOAuth>();
        var request = oauth.CreateAuthorizationRequest(Callback, "api refresh_token");
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirect = await browser.GetAsync(request.AuthorizationUrl, Ct);
        var code = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
        var token = await oauth.ExchangeCodeAsync(FailoverWorker.UserId, code, request.CodeVerifier, Callback, Ct);
        Assert.NotNull(token.RefreshToken);
        return token;
    }

    /// <summary>Drops the Subscribe stream that sends the next batch of events, and waits until one has.</summary>
    private static async Task DropNextStreamBatchAsync(SalesforceEmulator emulator, HttpClient control)
    {
        emulator.InjectFault(new EmulatorFault(FaultKind.DropConnection, "/eventbus.v1.PubSub/Subscribe"));
        await Wait.UntilAsync(
            async () => (await control.GetFromJsonAsync<JsonElement>("/__emulator/faults", Ct)).GetArrayLength() == 0,
            "a Subscribe stream has been dropped");
    }

    private static Task<long> Delivered(TestSchema schema) => schema.ScalarAsync("SELECT count(*) FROM failover_deliveries");

    private static Task<long> Delivered(TestSchema schema, int pid) => schema.ScalarAsync($"SELECT count(*) FROM failover_deliveries WHERE pid = {pid}");

    private static async Task<WorkerProcess> StartAsync(TestSchema schema, EmulatorServer server)
    {
        var worker = FailoverWorker.Start(schema.ConnectionString, server.BaseAddress, server.PubSubAddress!);
        var line = await worker.Process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromMinutes(2), Ct);
        if (line != "started")
        {
            // The failure message is built only for a worker that did not start: awaiting a running worker's whole standard
            // error here (it ends only when the worker exits) is what used to hang this test before the first event.
            worker.Process.Kill(entireProcessTree: true);
            await worker.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            Assert.Fail($"The worker did not start: {line} {worker.Errors}");
        }

        return worker;
    }

    private static async Task StopAsync(WorkerProcess worker)
    {
        worker.Process.StandardInput.Close();
        await worker.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
    }

    /// <summary>The org's clock: the system clock, moved forward when the test says so (timers run in real time).</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }
}
