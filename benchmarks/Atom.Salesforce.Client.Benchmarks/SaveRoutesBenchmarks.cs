using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Saving N Account rows through each route of the SDK against the emulator, in-process (no socket): single requests,
/// sObject Collections, Bulk API 2.0, and <c>SaveAsync</c> (which picks one). Baseline: the collections floor written by
/// hand, a plain HttpClient posting ceil(N/200) bodies, one at a time (reflection System.Text.Json). A new org per iteration,
/// so that every iteration inserts into an empty org. The API calls each route used are printed after each iteration.
/// </summary>
[MemoryDiagnoser]
public class SaveRoutesBenchmarks : SaveRoutesBase
{
    /// <summary>The number of rows saved per operation.</summary>
    [Params(1_000, 10_000)]
    public int N { get => Count; set => Count = value; }

    [Benchmark(Description = "SDK single requests")]
    public async Task<int> Single()
    {
        Route = "single requests";
        var saved = 0;
        foreach (var row in Rows)
        {
            await Client.SObjects.CreateAsync("Account", row);
            saved++;
        }

        return Check(saved);
    }
}

/// <summary>The same routes at 100,000 rows, without single requests (100,000 calls).</summary>
[MemoryDiagnoser]
public class SaveRoutes100kBenchmarks : SaveRoutesBase
{
    /// <summary>The number of rows saved per operation.</summary>
    [Params(100_000)]
    public int N { get => Count; set => Count = value; }
}

/// <summary>The routes every size runs.</summary>
public abstract class SaveRoutesBase
{
    private SalesforceEmulator _emulator = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
    private HttpClient _raw = null!;
    private List<Row> _rows = [];
    private string _route = string.Empty;

    protected int Count { get; set; }

    protected SalesforceClient Client => _client;

    protected List<Row> Rows => _rows;

    protected string Route { get => _route; set => _route = value; }

    public sealed class Row
    {
        public string? Name { get; set; }
        public string? Industry { get; set; }
        public decimal? AnnualRevenue { get; set; }
        public string? BillingCity { get; set; }
    }

    [GlobalSetup]
    public void Setup() =>
        _rows = Enumerable.Range(0, Count).Select(i => new Row { Name = "Account " + i, Industry = "Media", AnnualRevenue = 1000 + i, BillingCity = "Springfield, IL" }).ToList();

    [IterationSetup]
    public void NewOrg()
    {
        _emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = 10_000_000 });
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "bench").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(_emulator.CreateHandler));
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<ITokenStore>().SaveAsync("bench", new SalesforceToken(_emulator.Options.AccessToken!, _emulator.InstanceUrl, DateTimeOffset.UtcNow))
            .GetAwaiter().GetResult();
        _client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench");
        _raw = new HttpClient(_emulator.CreateHandler()) { BaseAddress = _emulator.InstanceUrl };
        _raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.Options.AccessToken);
    }

    [IterationCleanup]
    public void StopOrg()
    {
        Console.WriteLine($"// API calls: {_route}, N={Count}: {_emulator.Usage.Used}");
        _raw.Dispose();
        _provider.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient, collections of 200 (baseline)")]
    public async Task<int> RawCollections()
    {
        _route = "raw collections";
        var saved = 0;
        for (var offset = 0; offset < _rows.Count; offset += 200)
        {
            var records = _rows.Skip(offset).Take(200).Select(r => new { attributes = new { type = "Account" }, r.Name, r.Industry, r.AnnualRevenue, r.BillingCity });
            using var content = new StringContent(JsonSerializer.Serialize(new { allOrNone = false, records }), Encoding.UTF8, "application/json");
            using var response = await _raw.PostAsync(new Uri("/services/data/v66.0/composite/sobjects", UriKind.Relative), content);
            using var results = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            saved += results.RootElement.EnumerateArray().Count(e => e.GetProperty("success").GetBoolean());
        }

        return Check(saved);
    }

    [Benchmark(Description = "SDK Composite.Collections")]
    public async Task<int> Collections()
    {
        _route = "collections";
        return Check((await _client.Composite.Collections.CreateAsync("Account", _rows)).Count(r => r.Success));
    }

    [Benchmark(Description = "SDK Bulk.IngestAsync")]
    public async Task<int> Bulk()
    {
        _route = "bulk";
        var result = await _client.Bulk.IngestAsync("Account", SaveOperation.Insert, _rows,
            new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(10) });
        return Check(result.SuccessCount);
    }

    [Benchmark(Description = "SDK SObjects.SaveAsync (auto)")]
    public async Task<int> Save()
    {
        _route = "SaveAsync";
        var results = await _client.SObjects.SaveAsync("Account", SaveOperation.Insert, _rows,
            new SaveOptions { Bulk = new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(10) } });
        return Check(results.Count(r => r.Success));
    }

    protected int Check(int saved) => saved == Count ? saved : throw new InvalidOperationException($"Saved {saved} of {Count}.");
}
