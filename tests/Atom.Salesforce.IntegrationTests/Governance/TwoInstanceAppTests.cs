using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Npgsql;
using StackExchange.Redis;

namespace Atom.Salesforce.IntegrationTests.Governance;

/// <summary>
/// Issue 20's "done when": an application with two instances (two OS processes: each a real ASP.NET Core host with its own
/// SDK, as a deployment runs them; two hosts in one process would share the static parts of the runtime and prove less),
/// sharing Redis (the API budget) and PostgreSQL (the encrypted token store), serves the endpoint pack and runs a background
/// analytics job against the emulator with a low daily API limit. Salesforce (the emulator) never refuses a call with
/// REQUEST_LIMIT_EXCEEDED, every interactive request answers, and the background job is stopped by the governance before the
/// limit. Counts come from the emulator's request log (<c>/__emulator/stats</c>).
/// </summary>
public sealed class TwoInstanceAppTests
{
    private const int Limit = 400;

    // Defaults: background work stops with 5 % of the allocation left, interactive calls keep a 1 % hard reserve.
    private const int BackgroundCap = Limit - (Limit * 5 / 100);
    private const int InteractiveCap = Limit - (Limit * 1 / 100);
    private const int RequestsAfterTheStop = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_never_hit_the_limit_interactive_requests_answer_and_background_work_stops_before_it()
    {
        var redis = Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
            ?? throw new InvalidOperationException("ATOM_TEST_REDIS is not set: run the tests through ./build.sh test, or set it to a Redis host:port.");
        var pg = Environment.GetEnvironmentVariable("ATOM_TEST_PG")
            ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");
        var prefix = $"atom-sf-test:{Guid.NewGuid():N}:";
        var schema = $"app_{Guid.NewGuid():N}";
        await using var database = NpgsqlDataSource.Create(pg);
        await using (var create = database.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }

        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = Limit, DemoData = new DemoDataOptions { Scale = 0.05 } });
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        await using var budget = await ConnectionMultiplexer.ConnectAsync(redis);
        var budgetKey = new RedisKey(prefix + emulator.InstanceUrl.Host.ToLowerInvariant());
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var tokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var postgres = new NpgsqlConnectionStringBuilder(pg) { SearchPath = schema, MaxPoolSize = 5 }.ConnectionString;
        var instances = new List<System.Diagnostics.Process>();
        try
        {
            // One after the other, so that the token store's migrations run once.
            var urls = new List<Uri>();
            for (var i = 0; i < 2; i++)
            {
                var instance = AppInstanceWorker.Start(redis, prefix, postgres, tokenKey, server.BaseAddress, emulator.InstanceUrl, SalesforceEmulatorOptions.DefaultAccessToken);
                instances.Add(instance);
                var ready = await instance.StandardOutput.ReadLineAsync(Ct);
                Assert.True(ready?.StartsWith("ready ", StringComparison.Ordinal) == true, $"instance {i} did not start: {ready} {await ReadErrorAsync(instance)}");
                urls.Add(new Uri(ready!["ready ".Length..]));
            }

            foreach (var instance in instances)
            {
                await instance.StandardInput.WriteLineAsync("go");
                await instance.StandardInput.FlushAsync(Ct);
            }

            // Users keep using both instances while the background jobs run, until the shared budget has reached background's cap.
            using var phase = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            phase.CancelAfter(TimeSpan.FromMinutes(8));
            var answered = new List<HttpStatusCode>();
            var turn = 0;
            while ((long)await budget.GetDatabase().HashGetAsync(budgetKey, "used") < BackgroundCap)
            {
                answered.Add(await ListAccountsAsync(http, urls[turn++ % 2], phase.Token));
                await Task.Delay(100, phase.Token);
            }

            // Background work has stopped; users still get answers from both instances.
            var afterTheStop = new List<HttpStatusCode>();
            for (var i = 0; i < RequestsAfterTheStop; i++)
            {
                foreach (var url in urls)
                {
                    afterTheStop.Add(await ListAccountsAsync(http, url, phase.Token));
                }
            }

            var reports = new List<Dictionary<string, string>>();
            foreach (var instance in instances)
            {
                await instance.StandardInput.WriteLineAsync("stop");
                await instance.StandardInput.FlushAsync(Ct);
                var output = await instance.StandardOutput.ReadToEndAsync(Ct);
                using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                exit.CancelAfter(TimeSpan.FromMinutes(5));
                await instance.WaitForExitAsync(exit.Token);
                Assert.True(instance.ExitCode == 0, $"instance exited {instance.ExitCode}: {await ReadErrorAsync(instance)}");
                reports.Add(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1]));
            }

            // The emulator's request log: what Salesforce would have counted and answered.
            using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseAddress, "/__emulator/stats"), Ct));
            var byStatus = stats.RootElement.GetProperty("byStatus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            var used = stats.RootElement.GetProperty("apiUsage").GetInt64();
            var heldAfterExit = (long)await budget.GetDatabase().HashGetAsync(budgetKey, "used");

            Assert.False(byStatus.ContainsKey("403"), "Salesforce refused a call (REQUEST_LIMIT_EXCEEDED): " + stats.RootElement.GetProperty("byStatus"));
            Assert.False(byStatus.ContainsKey("429"), "Salesforce refused a call (concurrent limit): " + stats.RootElement.GetProperty("byStatus"));
            Assert.InRange(used, Limit * 9 / 10, InteractiveCap);
            Assert.Equal(used, heldAfterExit); // every call taken from the shared budget was sent; unused blocks went back
            Assert.NotEmpty(answered);
            Assert.All(answered, status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 2 * RequestsAfterTheStop), afterTheStop);
            Assert.All(reports, r => Assert.Equal("0", r["bg-other"].Trim()));
            Assert.All(reports, r => Assert.True(int.Parse(r["bg-ok"], CultureInfo.InvariantCulture) > 0, "each instance ran the analytics job"));
            Assert.True(reports.Sum(r => int.Parse(r["bg-stopped"], CultureInfo.InvariantCulture)) > 0, "the governance stopped the background job");
        }
        finally
        {
            foreach (var instance in instances)
            {
                if (!instance.HasExited)
                {
                    instance.Kill(entireProcessTree: true);
                }

                instance.Dispose();
            }

            await budget.GetDatabase().KeyDeleteAsync(budgetKey);
            await using var drop = database.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>An interactive request to one instance: the signed-in user lists three accounts through the endpoint pack.</summary>
    private static async Task<HttpStatusCode> ListAccountsAsync(HttpClient http, Uri instance, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(instance, "/api/salesforce/enhanced/accounts/list"))
        {
            Content = new StringContent("""{"limit":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(AppInstanceWorker.UserHeader, AppInstanceWorker.User);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private static async Task<string> ReadErrorAsync(System.Diagnostics.Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await process.StandardError.ReadToEndAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return "(no error output)";
        }
    }
}
