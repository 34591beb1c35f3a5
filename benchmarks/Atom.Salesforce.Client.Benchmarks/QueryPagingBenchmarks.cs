using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// 10,000 records in five pages through the whole SDK (DI, retry pipeline, auth handler, request building, paging) against the raw
/// floor: HttpClient plus source-generated System.Text.Json, streamed. Both read the same bytes from the same in-memory
/// server, so the difference is the SDK's own cost.
/// </summary>
[MemoryDiagnoser]
public class QueryPagingBenchmarks
{
    private const int PageSize = 2000;
    private const int Total = 10_000;
    private const string Instance = "https://bench.my.salesforce.com";

    private ServiceProvider _provider = null!;
    private SalesforceClient _client = null!;
    private HttpClient _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        var server = new InMemoryServer();
        for (var page = 0; page < Total / PageSize; page++)
        {
            var next = page + 1 < Total / PageSize ? $"/services/data/v66.0/query/01gBENCH-{(page + 1) * PageSize}" : null;
            var path = page == 0 ? "/services/data/v66.0/query/" : $"/services/data/v66.0/query/01gBENCH-{page * PageSize}";
            server.Pages[path] = QueryPageData.Page(page * PageSize, PageSize, Total, next);
        }

        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "bench")
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => server));
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<ITokenStore>()
            .SaveAsync("bench", new SalesforceToken("00Dbench!token", new Uri(Instance), DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        _client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench");
        _raw = new HttpClient(server, disposeHandler: false) { BaseAddress = new Uri(Instance) };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _provider.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient + STJ source-gen")]
    public async Task<int> RawFloor()
    {
        var count = 0;
        string? next = "/services/data/v66.0/query/?q=SELECT+Id+FROM+Opportunity";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "00Dbench!token");
            using var response = await _raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var page = await JsonSerializer.DeserializeAsync(stream, BenchmarkJsonContext.Default.RawPage);
            count += page!.Records.Count;
            next = page.Done ? null : page.NextRecordsUrl;
        }

        return count;
    }

    [Benchmark(Description = "SDK QueryAsync<POCO>")]
    public async Task<int> Sdk()
    {
        var count = 0;
        await foreach (var _ in _client.Query.QueryAsync<Opportunity>("SELECT Id FROM Opportunity"))
        {
            count++;
        }

        return count;
    }

    /// <summary>Answers each query path with its prepared page, like a fast org on loopback.</summary>
    private sealed class InMemoryServer : HttpMessageHandler
    {
        public Dictionary<string, byte[]> Pages { get; } = new(StringComparer.Ordinal);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var response = Pages.TryGetValue(path, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new ByteArrayContent([]) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
