using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// N Account rows inserted into the emulator served by Kestrel on loopback (a new org per iteration), by each save route and
/// by its raw-HTTP floor, in one run: the SDK's sObject Collections route (the baseline, 200 rows per call, four in flight),
/// the same calls from a plain HttpClient with source-generated System.Text.Json (four in flight), the SDK's Bulk API 2.0
/// ingest with its default polling, the same seven Bulk calls from a plain HttpClient (the same first wait, 50 ms, doubling),
/// and <c>SaveAsync</c> with the default threshold. The API calls of each route are the emulator's own count, printed
/// after each iteration. What it settles: the Bulk route's time against collections at each size (issue 22's ×1.2 at
/// 10,000 rows) and where <see cref="SaveOptions.DefaultBulkThreshold"/> sits.
/// </summary>
[MemoryDiagnoser]
public class BulkRouteBenchmarks
{
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
    private HttpClient _raw = null!;
    private List<AccountRow> _rows = [];
    private string _route = string.Empty;
    private long _callsBefore;

    /// <summary>The number of rows saved per operation.</summary>
    [Params(1_000, 2_000, 5_000, 10_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _rows = [.. Enumerable.Range(0, N).Select(i => new AccountRow { Name = "Account " + i, Industry = "Media", AnnualRevenue = 1000 + i, BillingCity = "Springfield, IL" })];

    [IterationSetup]
    public void NewOrg()
    {
        _emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = 10_000_000 });
        _server = _emulator.ListenAsync().GetAwaiter().GetResult();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "bench";
            o.LoginUrl = _server.BaseAddress;
        });
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<ITokenStore>()
            .SaveAsync("bench", new SalesforceToken(_emulator.Options.AccessToken!, _server.BaseAddress, DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        _client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench");
        _raw = new HttpClient { BaseAddress = _server.BaseAddress };
        _raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.Options.AccessToken);

        // One call of each client outside the measurement builds its pipeline and opens its connection, as in a running application.
        _client.Limits.GetAsync().GetAwaiter().GetResult();
        _raw.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative)).GetAwaiter().GetResult().Dispose();
        _callsBefore = _emulator.Usage.Used;
    }

    [IterationCleanup]
    public void StopOrg()
    {
        Console.WriteLine($"// API calls: {_route}, N={N}: {_emulator.Usage.Used - _callsBefore}");
        _raw.Dispose();
        _provider.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "SDK collections (4 in flight)")]
    public async Task<int> Collections()
    {
        _route = "SDK collections";
        return Check((await _client.Composite.Collections.CreateAsync("Account", _rows)).Count(r => r.Success));
    }

    [Benchmark(Description = "raw HttpClient collections (4 in flight)")]
    public async Task<int> RawCollections()
    {
        _route = "raw collections";
        var saved = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, (N + 199) / 200), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
        {
            var body = new RawCollectionBody { AllOrNone = false, Records = new List<RawAccountRecord>(200) };
            for (var i = chunk * 200; i < Math.Min((chunk + 1) * 200, N); i++)
            {
                var row = _rows[i];
                body.Records.Add(new RawAccountRecord { Name = row.Name, Industry = row.Industry, AnnualRevenue = row.AnnualRevenue, BillingCity = row.BillingCity });
            }

            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, HotPathJsonContext.Default.RawCollectionBody));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _raw.PostAsync(new Uri("/services/data/v66.0/composite/sobjects", UriKind.Relative), content, ct);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var results = await JsonSerializer.DeserializeAsync(stream, HotPathJsonContext.Default.ListRawSaveResult, ct);
            Interlocked.Add(ref saved, results!.Count(r => r.Success));
        });

        return Check(saved);
    }

    [Benchmark(Description = "SDK Bulk.IngestAsync (default polling)")]
    public async Task<int> Bulk()
    {
        _route = "SDK bulk";
        return Check((await _client.Bulk.IngestAsync("Account", SaveOperation.Insert, _rows)).SuccessCount);
    }

    [Benchmark(Description = "raw HttpClient Bulk 2.0 (7 calls, same polling)")]
    public async Task<int> RawBulk()
    {
        _route = "raw bulk";
        const string jobs = "/services/data/v66.0/jobs/ingest";
        using var create = new StringContent("""{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""", Encoding.UTF8, "application/json");
        using var created = await _raw.PostAsync(new Uri(jobs, UriKind.Relative), create);
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var csv = new StringBuilder("Name,Industry,AnnualRevenue,BillingCity\n", N * 48);
        foreach (var row in _rows)
        {
            csv.Append('"').Append(row.Name).Append("\",\"").Append(row.Industry).Append("\",")
                .Append(row.AnnualRevenue?.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",\"").Append(row.BillingCity).Append("\"\n");
        }

        using (var upload = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))
        using (var uploaded = await _raw.PutAsync(new Uri($"{jobs}/{id}/batches", UriKind.Relative), upload))
        {
            uploaded.EnsureSuccessStatusCode();
        }

        using (var close = new StringContent("""{"state":"UploadComplete"}""", Encoding.UTF8, "application/json"))
        using (var closed = await _raw.PatchAsync(new Uri($"{jobs}/{id}", UriKind.Relative), close))
        {
            closed.EnsureSuccessStatusCode();
        }

        var wait = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            await Task.Delay(wait);
            wait *= 2;
            using var info = await _raw.GetAsync(new Uri($"{jobs}/{id}", UriKind.Relative));
            var state = JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString();
            if (state is "JobComplete" or "Failed" or "Aborted")
            {
                break;
            }
        }

        var saved = 0;
        foreach (var kind in new[] { "successfulResults", "failedResults", "unprocessedrecords" })
        {
            using var results = await _raw.GetAsync(new Uri($"{jobs}/{id}/{kind}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            results.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await results.Content.ReadAsStreamAsync());
            var lines = -1;
            while (await reader.ReadLineAsync() is not null)
            {
                lines++;
            }

            saved += kind == "successfulResults" ? lines : 0;
        }

        return Check(saved);
    }

    [Benchmark(Description = "SDK SObjects.SaveAsync (default threshold)")]
    public async Task<int> Save()
    {
        _route = "SaveAsync";
        return Check((await _client.SObjects.SaveAsync("Account", SaveOperation.Insert, _rows)).Count(r => r.Success));
    }

    private int Check(int saved) => saved == N ? saved : throw new InvalidOperationException($"Saved {saved} of {N}.");
}
