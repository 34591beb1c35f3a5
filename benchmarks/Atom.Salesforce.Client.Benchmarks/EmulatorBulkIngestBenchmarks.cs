using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// A 10,000-row Bulk API 2.0 insert job against the emulator on a loopback socket: create the job, PUT the CSV, close it,
/// poll, read the successful results. Baseline: the same 10,000 records written straight into the org in-process, the
/// emulator's own cost of validation, defaults and triggers without HTTP, CSV or the job around it.
/// </summary>
[MemoryDiagnoser]
public class EmulatorBulkIngestBenchmarks
{
    private const int Rows = 10_000;

    private string _csv = string.Empty;
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public void Setup()
    {
        var csv = new StringBuilder("Name,Industry,AnnualRevenue,BillingCity,Description\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append("Account ").Append(i).Append(",Media,").Append(1000 + i).Append(",\"Springfield, IL\",\"Row ").Append(i).Append(" with a \"\"quote\"\"\"\n");
        }

        _csv = csv.ToString();
    }

    /// <summary>A new org per iteration, so that every iteration inserts into an org of the same size.</summary>
    [IterationSetup]
    public void NewOrg()
    {
        _emulator = new SalesforceEmulator();
        _server = _emulator.ListenAsync().GetAwaiter().GetResult();
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SalesforceEmulatorOptions.DefaultAccessToken);
    }

    [IterationCleanup]
    public void StopOrg()
    {
        _http.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Report() =>
        Console.WriteLine($"// Peak working set of the benchmark process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");

    [Benchmark(Baseline = true, Description = "org writes in-process (baseline)")]
    public int OrgWrites()
    {
        var org = _emulator.Org;
        var account = org.Schema.Find("Account")!;
        for (var i = 0; i < Rows; i++)
        {
            org.Create(account, new Dictionary<string, object?>
            {
                ["Name"] = "Account " + i,
                ["Industry"] = "Media",
                ["AnnualRevenue"] = (decimal)(1000 + i),
                ["BillingCity"] = "Springfield, IL",
                ["Description"] = $"Row {i} with a \"quote\"",
            });
        }

        return Rows;
    }

    [Benchmark(Description = "Bulk 2.0 insert job over HTTP")]
    public async Task<int> BulkJob()
    {
        using var created = await _http.PostAsJsonAsync("/services/data/v66.0/jobs/ingest", new { @object = "Account", operation = "insert" });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using (var upload = await _http.PutAsync(new Uri($"/services/data/v66.0/jobs/ingest/{id}/batches", UriKind.Relative), new StringContent(_csv, Encoding.UTF8, "text/csv")))
        {
            upload.EnsureSuccessStatusCode();
        }

        using (await _http.PatchAsJsonAsync($"/services/data/v66.0/jobs/ingest/{id}", new { state = "UploadComplete" }))
        {
        }

        string state;
        do
        {
            state = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/services/data/v66.0/jobs/ingest/{id}", UriKind.Relative))).RootElement.GetProperty("state").GetString()!;
        }
        while (state is "UploadComplete" or "InProgress");

        var results = await _http.GetStringAsync(new Uri($"/services/data/v66.0/jobs/ingest/{id}/successfulResults", UriKind.Relative));
        var lines = results.AsSpan().Count('\n') - 1;
        return lines == Rows ? lines : throw new InvalidOperationException($"Expected {Rows} successful rows, got {lines} (job {state}).");
    }
}
