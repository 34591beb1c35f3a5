using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// One <c>SObjects.CreateAsync</c> through the whole SDK (pipeline, auth handler, request building, telemetry) against the
/// raw floor: HttpClient plus source-generated System.Text.Json, the bearer token set by hand. Both talk to the same
/// in-memory server, which reads the body and answers 201 with Salesforce's create response.
/// </summary>
[MemoryDiagnoser]
public class SingleCreateBenchmarks
{
    private readonly HotPathTransport _transport = new();
    private readonly AccountRow _row = new() { Name = "Acme Widgets", Industry = "Media", AnnualRevenue = 125_000m, BillingCity = "Springfield, IL" };
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
    private HttpClient _raw = null!;

    /// <summary><c>memory</c>: an in-memory handler (the SDK's own cost alone); <c>loopback</c>: Kestrel on a loopback socket.</summary>
    [Params("memory", "loopback")]
    public string Transport { get; set; } = "memory";

    [GlobalSetup]
    public void Setup() => (_provider, _client, _raw) = _transport.Start(Transport);

    [GlobalCleanup]
    public void Cleanup() => _transport.Dispose();

    [Benchmark(Baseline = true, Description = "raw HttpClient + STJ source-gen")]
    public async Task<string> RawFloor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/services/data/v66.0/sobjects/Account/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HotPathServer.AccessToken);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(_row, HotPathJsonContext.Default.AccountRow));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var result = await JsonSerializer.DeserializeAsync(stream, HotPathJsonContext.Default.RawSaveResult);
        return result!.Id!;
    }

    [Benchmark(Description = "SDK SObjects.CreateAsync")]
    public Task<string> Sdk() => _client.SObjects.CreateAsync("Account", _row);
}

/// <summary>
/// 1,000 rows saved as sObject Collections, one request of 200 at a time, through the whole SDK against the raw floor
/// (HttpClient posting five bodies written with source-generated System.Text.Json and reading five result arrays). Both
/// talk to the same in-memory server, which reads each body and answers 200 results.
/// </summary>
[MemoryDiagnoser]
public class CollectionsSaveBenchmarks
{
    /// <summary>The number of rows per operation.</summary>
    public const int Rows = 1_000;

    private readonly HotPathTransport _transport = new();
    private readonly CollectionOptions _oneAtATime = new() { MaxConcurrency = 1 };
    private List<AccountRow> _rows = [];
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
    private HttpClient _raw = null!;

    /// <summary><c>memory</c>: an in-memory handler (the SDK's own cost alone); <c>loopback</c>: Kestrel on a loopback socket.</summary>
    [Params("memory", "loopback")]
    public string Transport { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _rows = [.. Enumerable.Range(0, Rows).Select(i => new AccountRow { Name = "Account " + i, Industry = "Media", AnnualRevenue = 1000 + i, BillingCity = "Springfield, IL" })];
        (_provider, _client, _raw) = _transport.Start(Transport);
    }

    [GlobalCleanup]
    public void Cleanup() => _transport.Dispose();

    [Benchmark(Baseline = true, Description = "raw HttpClient + STJ source-gen, 5 × 200")]
    public async Task<int> RawFloor()
    {
        var saved = 0;
        for (var offset = 0; offset < _rows.Count; offset += 200)
        {
            var body = new RawCollectionBody { AllOrNone = false, Records = new List<RawAccountRecord>(200) };
            for (var i = offset; i < Math.Min(offset + 200, _rows.Count); i++)
            {
                var row = _rows[i];
                body.Records.Add(new RawAccountRecord { Name = row.Name, Industry = row.Industry, AnnualRevenue = row.AnnualRevenue, BillingCity = row.BillingCity });
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/services/data/v66.0/composite/sobjects/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HotPathServer.AccessToken);
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, HotPathJsonContext.Default.RawCollectionBody));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var results = await JsonSerializer.DeserializeAsync(stream, HotPathJsonContext.Default.ListRawSaveResult);
            saved += results!.Count(r => r.Success);
        }

        return Check(saved);
    }

    [Benchmark(Description = "SDK Collections.CreateAsync, MaxConcurrency 1")]
    public async Task<int> Sdk() => Check((await _client.Composite.Collections.CreateAsync("Account", _rows, _oneAtATime)).Count(r => r.Success));

    private static int Check(int saved) => saved == Rows ? saved : throw new InvalidOperationException($"Saved {saved} of {Rows}.");
}

/// <summary>
/// N Account rows saved into the emulator served by Kestrel on loopback, a new org per iteration: sObject Collections
/// (the baseline, 200 rows per call, four in flight) against a Bulk API 2.0 job with the default polling, with the
/// fixed one-second first poll of earlier releases, and <c>SaveAsync</c> (which picks one by <see cref="SaveOptions.BulkThreshold"/>).
/// The API calls of each route are the emulator's own count, printed after each iteration. The emulator finishes a job
/// while it closes it, so the wait before the first poll is the whole of Bulk's waiting here.
/// </summary>
[MemoryDiagnoser]
public class SaveRouteThresholdBenchmarks
{
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
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

        // One call outside the measurement builds the HTTP pipeline and opens the connection, as in a running application.
        _client.Limits.GetAsync().GetAwaiter().GetResult();
        _callsBefore = _emulator.Usage.Used;
    }

    [IterationCleanup]
    public void StopOrg()
    {
        Console.WriteLine($"// API calls: {_route}, N={N}: {_emulator.Usage.Used - _callsBefore}");
        _provider.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "SDK Collections.CreateAsync (4 in flight)")]
    public async Task<int> Collections()
    {
        _route = "collections";
        return Check((await _client.Composite.Collections.CreateAsync("Account", _rows)).Count(r => r.Success));
    }

    [Benchmark(Description = "SDK Bulk.IngestAsync, default polling")]
    public async Task<int> Bulk()
    {
        _route = "bulk, default polling";
        return Check((await _client.Bulk.IngestAsync("Account", SaveOperation.Insert, _rows)).SuccessCount);
    }

    [Benchmark(Description = "SDK Bulk.IngestAsync, first poll after 1 s (old default)")]
    public async Task<int> BulkOneSecond()
    {
        _route = "bulk, 1 s";
        var options = new BulkIngestOptions { PollInterval = TimeSpan.FromSeconds(1), MaxPollInterval = TimeSpan.FromSeconds(30) };
        return Check((await _client.Bulk.IngestAsync("Account", SaveOperation.Insert, _rows, options)).SuccessCount);
    }

    [Benchmark(Description = "SDK SObjects.SaveAsync (auto)")]
    public async Task<int> Save()
    {
        _route = "SaveAsync";
        return Check((await _client.SObjects.SaveAsync("Account", SaveOperation.Insert, _rows)).Count(r => r.Success));
    }

    private int Check(int saved) => saved == N ? saved : throw new InvalidOperationException($"Saved {saved} of {N}.");
}

/// <summary>An Account as a user writes it.</summary>
public sealed class AccountRow
{
    public string? Name { get; set; }
    public string? Industry { get; set; }
    public decimal? AnnualRevenue { get; set; }
    public string? BillingCity { get; set; }
}

/// <summary>The floor's collections record: attributes and the same four fields.</summary>
public sealed class RawAccountRecord
{
    [JsonPropertyName("attributes")] public RawAttributes Attributes { get; set; } = RawAttributes.Account;
    public string? Name { get; set; }
    public string? Industry { get; set; }
    public decimal? AnnualRevenue { get; set; }
    public string? BillingCity { get; set; }
}

/// <summary>A record's attributes.</summary>
public sealed class RawAttributes
{
    public static readonly RawAttributes Account = new() { Type = "Account" };

    [JsonPropertyName("type")] public string? Type { get; set; }
}

/// <summary>The floor's collections body.</summary>
public sealed class RawCollectionBody
{
    [JsonPropertyName("allOrNone")] public bool AllOrNone { get; set; }
    [JsonPropertyName("records")] public List<RawAccountRecord> Records { get; set; } = [];
}

/// <summary>Salesforce's save result.</summary>
public sealed class RawSaveResult
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("success")] public bool Success { get; set; }
    [JsonPropertyName("errors")] public List<RawError> Errors { get; set; } = [];
}

/// <summary>One error of a save result.</summary>
public sealed class RawError
{
    [JsonPropertyName("statusCode")] public string? StatusCode { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>Source-generated metadata for the hot-path floors.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccountRow))]
[JsonSerializable(typeof(RawCollectionBody))]
[JsonSerializable(typeof(RawSaveResult))]
[JsonSerializable(typeof(List<RawSaveResult>))]
public sealed partial class HotPathJsonContext : JsonSerializerContext;

/// <summary>
/// A fast org in memory: reads every request body, answers a create with 201 and a collections save with one result per
/// record (200). The SDK's pipeline and the raw floor both end here.
/// </summary>
internal sealed class HotPathServer : HttpMessageHandler
{
    public const string Instance = "https://bench.my.salesforce.com";
    public const string AccessToken = "00Dbench!token";

    public static readonly byte[] Created = """{"id":"001RO0000012345AAA","success":true,"errors":[]}"""u8.ToArray();
    public static readonly byte[] Saved200 = Encoding.UTF8.GetBytes(
        "[" + string.Join(',', Enumerable.Range(0, 200).Select(i => $$"""{"id":"001RO00000{{i:D5}}AAA","success":true,"errors":[]}""")) + "]");

    /// <summary>The answer to a request for <paramref name="path"/>: 201 for a create, 200 results for a collections save.</summary>
    public static (int Status, byte[] Body) Answer(string path) => path switch
    {
        "/services/data/v66.0/sobjects/Account/" => (201, Created),
        "/services/data/v66.0/composite/sobjects/" => (200, Saved200),
        _ => (404, []),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        var (status, body) = Answer(request.RequestUri!.AbsolutePath);
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>
/// Where the hot-path benchmarks send: <see cref="HotPathServer"/> in memory, or the same answers from Kestrel on a
/// loopback socket (the SDK's default <c>SocketsHttpHandler</c> and a plain <c>HttpClient</c> both connect to it).
/// </summary>
internal sealed class HotPathTransport : IDisposable
{
    private WebApplication? _app;
    private ServiceProvider? _provider;
    private HttpClient? _raw;

    public (ServiceProvider Provider, SalesforceClient Client, HttpClient Raw) Start(string transport)
    {
        Uri instance;
        var services = new ServiceCollection();
        if (transport == "loopback")
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.Run(async context =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
                var (status, body) = HotPathServer.Answer(context.Request.Path.Value ?? string.Empty);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body);
            });
            _app.StartAsync().GetAwaiter().GetResult();
            instance = new Uri(_app.Urls.First());
            services.AddAtomSalesforce(o =>
            {
                o.ClientId = "bench";
                o.LoginUrl = instance;
            });
            _raw = new HttpClient { BaseAddress = instance };
        }
        else
        {
            var server = new HotPathServer();
            instance = new Uri(HotPathServer.Instance);
            services.AddAtomSalesforce(o => o.ClientId = "bench").ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => server));
            _raw = new HttpClient(server, disposeHandler: false) { BaseAddress = instance };
        }

        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<ITokenStore>()
            .SaveAsync("bench", new SalesforceToken(HotPathServer.AccessToken, instance, DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        return (_provider, _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench"), _raw);
    }

    public void Dispose()
    {
        _raw?.Dispose();
        _provider?.Dispose();
        if (_app is not null)
        {
            _app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)_app).Dispose();
        }
    }
}
