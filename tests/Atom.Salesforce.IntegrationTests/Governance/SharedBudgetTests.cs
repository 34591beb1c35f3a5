using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Redis;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.IntegrationTests.Governance;

/// <summary>
/// The API budget against the emulator's daily API limit (what <c>--api-limit</c> sets) over real loopback HTTP: two OS
/// processes sharing one budget in a real Redis (ATOM_TEST_REDIS) or PostgreSQL (ATOM_TEST_PG) take exactly the org's
/// allocation between them and never make Salesforce refuse a call; in one process, a background loop backs off and stops
/// before the limit while interactive calls still succeed.
/// </summary>
public sealed class SharedBudgetTests
{
    private const int Limit = 1000;
    private const int CallsPerProcess = 600;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_processes_sharing_a_Redis_budget_call_by_call_take_exactly_the_allocation_and_never_exceed_it()
    {
        var redis = Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
            ?? throw new InvalidOperationException("ATOM_TEST_REDIS is not set: run the tests through ./build.sh test, or set it to a Redis host:port.");
        await RunTwoProcessesAsync("redis", $"{redis}|atom-sf-test:{Guid.NewGuid():N}:|1");
    }

    [Fact]
    public async Task Two_processes_taking_a_Redis_budget_in_blocks_never_exceed_it_and_give_every_unused_call_back()
    {
        var redis = Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
            ?? throw new InvalidOperationException("ATOM_TEST_REDIS is not set: run the tests through ./build.sh test, or set it to a Redis host:port.");
        var prefix = $"atom-sf-test:{Guid.NewGuid():N}:";
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = Limit });
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var results = await RunWorkersAsync(server, emulator, "redis", $"{redis}|{prefix}|{RedisApiBudgetStore.DefaultBlockSize}");
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
        var key = new StackExchange.Redis.RedisKey(prefix + emulator.InstanceUrl.Host.ToLowerInvariant());
        var counted = (long)await connection.GetDatabase().HashGetAsync(key, "used");
        await connection.GetDatabase().KeyDeleteAsync(key);

        var ok = results.Sum(r => int.Parse(r["ok"], System.Globalization.CultureInfo.InvariantCulture));
        var refused = results.Sum(r => int.Parse(r["budget"], System.Globalization.CultureInfo.InvariantCulture));

        // Never past the limit (Salesforce refused nothing), every call taken was sent, and once both processes had given their
        // unused calls back the shared budget counted exactly what Salesforce did. Near the end a call may be refused while the
        // other process still holds part of a block (blocks shrink to a sixteenth of what is left): fewer than a block go unused.
        Assert.True(results.All(r => r["other"].Trim() == "0"), $"calls that ended otherwise (count, codes per process): {string.Join("; ", results.Select(r => r["other"]))}");
        Assert.InRange(ok, Limit - RedisApiBudgetStore.DefaultBlockSize + 1, Limit);
        Assert.Equal(ok, emulator.Usage.Used);
        Assert.Equal((2 * CallsPerProcess) - ok, refused);
        Assert.Equal(ok, counted);
    }

    [Fact]
    public async Task Two_processes_sharing_a_PostgreSQL_budget_take_exactly_the_allocation_and_never_exceed_it()
    {
        var pg = Environment.GetEnvironmentVariable("ATOM_TEST_PG")
            ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");
        var schema = $"governance_{Guid.NewGuid():N}";
        await using var database = NpgsqlDataSource.Create(pg);
        await using (var create = database.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }

        try
        {
            // As README advises: each process's store holds a small pool (a take is one short statement), so that both fit in
            // a server's max_connections (100 by default) beside everything else; waiting for a pooled connection is bounded by Timeout.
            var connection = new NpgsqlConnectionStringBuilder(pg) { SearchPath = schema, MaxPoolSize = 10, Timeout = 60 }.ConnectionString;
            await RunTwoProcessesAsync("postgres", connection);
        }
        finally
        {
            await using var drop = database.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_background_loop_backs_off_and_stops_before_the_api_limit_while_interactive_calls_still_succeed()
    {
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = 200 });
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = server.BaseAddress;
                o.Resilience.MaxRetryAttempts = 0;
            })
            .AddApiGovernance(o => o.BackgroundMaxDelay = TimeSpan.FromMilliseconds(20));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, emulator.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        var sf = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");
        var governor = provider.GetRequiredService<ApiGovernor>();

        // The background job: one page after another until the governance says stop, as a mirror or an analytics load would.
        var background = 0;
        SalesforceException stopped;
        while (true)
        {
            try
            {
                await QueryAsync(sf, RequestPriority.Background);
                background++;
            }
            catch (SalesforceException e)
            {
                stopped = e;
                break;
            }
        }

        var usedWhenStopped = emulator.Usage.Used;
        var slowed = Assert.Single(governor.GetStatus()).Throttled;
        var interactive = 0;
        for (var i = 0; i < 5; i++)
        {
            await QueryAsync(sf, priority: null);
            interactive++;
        }

        // Defaults: background stops with 5 % (10 calls) left, interactive calls keep a 1 % (2 calls) hard reserve.
        Assert.Equal(SalesforceError.Codes.ApiBudgetExhausted, stopped.ErrorCode);
        Assert.Equal(190, usedWhenStopped);
        Assert.Equal(190, background);
        Assert.True(slowed > 0, "background calls below 20 % left were spaced out");
        Assert.Equal(5, interactive);
        Assert.Equal(195, emulator.Usage.Used);
    }

    private static async Task QueryAsync(SalesforceClient sf, RequestPriority? priority)
    {
        await foreach (var _ in sf.Query.QueryAsync<SObject>("SELECT Id FROM Account LIMIT 1", new QueryOptions { Priority = priority }, Ct))
        {
        }
    }

    private static async Task RunTwoProcessesAsync(string store, string connection)
    {
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = Limit });
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var results = await RunWorkersAsync(server, emulator, store, connection);
        var ok = results.Sum(r => int.Parse(r["ok"], System.Globalization.CultureInfo.InvariantCulture));
        var refused = results.Sum(r => int.Parse(r["budget"], System.Globalization.CultureInfo.InvariantCulture));

        // Every call the org allows was made, none more: Salesforce (the emulator) counted exactly its limit and never
        // answered REQUEST_LIMIT_EXCEEDED; the rest were refused before they were sent.
        Assert.True(results.All(r => r["other"].Trim() == "0"), $"calls that ended otherwise (count, codes per process): {string.Join("; ", results.Select(r => r["other"]))}");
        Assert.Equal(Limit, ok);
        Assert.Equal((2 * CallsPerProcess) - Limit, refused);
        Assert.Equal(Limit, emulator.Usage.Used);
    }

    /// <summary>Runs two budget workers against the emulator at once and returns each one's counts.</summary>
    private static async Task<List<Dictionary<string, string>>> RunWorkersAsync(EmulatorServer server, SalesforceEmulator emulator, string store, string connection)
    {
        var workers = Enumerable.Range(0, 2)
            .Select(_ => BudgetWorker.Start(store, connection, server.BaseAddress, emulator.InstanceUrl, SalesforceEmulatorOptions.DefaultAccessToken, CallsPerProcess))
            .ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.Equal("ready", await worker.StandardOutput.ReadLineAsync(Ct));
            }

            foreach (var worker in workers)
            {
                await worker.StandardInput.WriteLineAsync("go");
                await worker.StandardInput.FlushAsync(Ct);
            }

            var results = new List<Dictionary<string, string>>();
            foreach (var worker in workers)
            {
                var output = await worker.StandardOutput.ReadToEndAsync(Ct);
                using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                exit.CancelAfter(TimeSpan.FromMinutes(5));
                await worker.WaitForExitAsync(exit.Token);
                Assert.True(worker.ExitCode == 0, $"worker exited {worker.ExitCode}: {await worker.StandardError.ReadToEndAsync(Ct)}");
                results.Add(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1]));
            }

            return results;
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill(entireProcessTree: true);
                }

                worker.Dispose();
            }
        }
    }
}
