using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// 100,000 opportunities queried through every page from the emulator over Kestrel on loopback: the SDK (default batch
/// of 2,000, and the smallest batch of 200) against the raw floor (HttpClient plus source-generated System.Text.Json,
/// following nextRecordsUrl by hand). The time includes the emulator's own work: running the query, snapshotting the
/// rows and writing each page.
/// </summary>
[MemoryDiagnoser]
public class EmulatorQueryBenchmarks
{
    private const int Total = 100_000;
    private const string Soql = "SELECT Id, Name, StageName, Amount, Probability, CloseDate, IsClosed, CreatedDate, LeadSource, Account.Name FROM Opportunity";

    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
    private HttpClient _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        var emulator = new SalesforceEmulator();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        string[] stages = ["Prospecting", "Qualification", "Needs Analysis", "Closed Won", "Closed Lost"];
        string[] sources = ["Web", "Phone Inquiry", "Partner Referral"];
        var accounts = Enumerable.Range(0, 100)
            .Select(i => emulator.Org.Seed("Account", new Dictionary<string, object?> { ["Name"] = $"Account {i}" }))
            .ToArray();
        for (var i = 0; i < Total; i++)
        {
            emulator.Org.Seed("Opportunity", new Dictionary<string, object?>
            {
                ["Name"] = $"Opportunity {i}",
                ["AccountId"] = accounts[i % accounts.Length],
                ["StageName"] = stages[i % stages.Length],
                ["CloseDate"] = new DateOnly(2026, 1, 1).AddDays(i % 365),
                ["Amount"] = 1000m + (i % 97 * 250m),
                ["LeadSource"] = i % 4 == 0 ? null : sources[i % sources.Length],
            });
        }

        var seeded = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine($"// Emulator org: {Total:N0} opportunities (and their {Total:N0} history rows) hold {seeded / 1048576.0:N0} MB");

        _server = emulator.ListenAsync().GetAwaiter().GetResult();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "bench";
            o.LoginUrl = _server.BaseAddress;
        });
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<ITokenStore>()
            .SaveAsync("bench", new SalesforceToken(emulator.Options.AccessToken!, _server.BaseAddress, DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        _client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench");
        _raw = new HttpClient { BaseAddress = _server.BaseAddress };
        _raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.Options.AccessToken);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// Peak working set of the benchmark process (emulator, org, client): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB");
        _raw.Dispose();
        _provider.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient + STJ source-gen, batch 2000")]
    public async Task<int> RawFloor()
    {
        var count = 0;
        string? next = "/services/data/v66.0/query?q=" + Uri.EscapeDataString(Soql);
        while (next is not null)
        {
            using var response = await _raw.GetAsync(next, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var page = await JsonSerializer.DeserializeAsync(stream, BenchmarkJsonContext.Default.RawPage);
            count += page!.Records.Count;
            next = page.Done ? null : page.NextRecordsUrl;
        }

        return Check(count);
    }

    [Benchmark(Description = "SDK QueryAsync<POCO>, batch 2000")]
    public async Task<int> Sdk() => Check(await Count(new QueryOptions()));

    [Benchmark(Description = "SDK QueryAsync<POCO>, batch 200")]
    public async Task<int> SdkSmallBatches() => Check(await Count(new QueryOptions { BatchSize = 200 }));

    private async Task<int> Count(QueryOptions options)
    {
        var count = 0;
        await foreach (var _ in _client.Query.QueryAsync<Opportunity>(Soql, options))
        {
            count++;
        }

        return count;
    }

    private static int Check(int count) => count == Total ? count : throw new InvalidOperationException($"Read {count} records instead of {Total}.");
}
