using System.Net;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Issue 20: what a cache hit costs against the call it saves. Baseline: an uncached describe over HTTP on loopback, to the
/// emulator listening on 127.0.0.1 (a real socket, no TLS, no network latency: far cheaper than a real org, which adds a
/// round trip of tens to hundreds of milliseconds and one API call of the org's daily allocation). Also: the same call to a
/// fake org in memory (no socket: the SDK's own cost). Hits: from memory (HybridCache's L1), and through a real Redis
/// (ATOM_TEST_REDIS): a describe-sized value read from Redis on every hit, and a cached query (every hit asks Redis by
/// default, QueryLocalDuration zero).
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private const string Soql = "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy'";
    private static readonly QueryOptions CachedQuery = new() { CacheDuration = TimeSpan.FromHours(1) };

    private ServiceProvider _plain = null!;
    private ServiceProvider _memory = null!;
    private ServiceProvider _redis = null!;
    private SalesforceClient _plainClient = null!;
    private SalesforceClient _memoryClient = null!;
    private SalesforceClient _redisClient = null!;
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _loopback = null!;
    private SalesforceClient _loopbackClient = null!;
    private SalesforceCache _redisCache = null!;
    private SalesforceCacheEntryOptions _l2Only = null!;
    private System.Text.Json.Serialization.Metadata.JsonTypeInfo<Validated<SObjectDescribe>> _describeInfo = null!;
    private Validated<SObjectDescribe> _describe = null!;
    private string _l2Key = null!;

    [GlobalSetup]
    public void Setup()
    {
        var redis = Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
            ?? throw new InvalidOperationException("CacheBenchmarks need Redis: set ATOM_TEST_REDIS to a host:port.");
        (_plain, _plainClient) = Build(null);
        (_memory, _memoryClient) = Build(static b => b.AddCaching());
        (_redis, _redisClient) = Build(b =>
        {
            b.Services.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis;
                o.InstanceName = "atombench-" + Guid.NewGuid().ToString("N") + ":";
            });
            b.AddCaching();
        });

        // Fill the caches.
        foreach (var client in new[] { _memoryClient, _redisClient })
        {
            client.SObjects.DescribeAsync("Account").GetAwaiter().GetResult();
            DrainAsync(client.Query.QueryAsync<SObject>(Soql, CachedQuery)).GetAwaiter().GetResult();
        }

        // The emulator on loopback, and a client with no cache.
        _emulator = new SalesforceEmulator();
        _server = _emulator.ListenAsync().GetAwaiter().GetResult();
        var loopback = new ServiceCollection();
        loopback.AddAtomSalesforce(o =>
        {
            o.ClientId = "bench-client";
            o.LoginUrl = _server.BaseAddress;
        });
        _loopback = loopback.BuildServiceProvider();
        _loopback.GetRequiredService<ITokenStore>().SaveAsync("bench-user", new SalesforceToken(_emulator.Options.AccessToken!, _server.BaseAddress, DateTimeOffset.UtcNow))
            .GetAwaiter().GetResult();
        _loopbackClient = _loopback.GetRequiredService<ISalesforceClientFactory>().ForUser("bench-user");

        // A describe kept in Redis only (no copy in memory): every hit reads and parses it from Redis.
        _redisCache = _redis.GetRequiredService<SalesforceCache>();
        _describeInfo = Validated<SObjectDescribe>.TypeInfo(SalesforceJsonContext.Default.SObjectDescribe);
        _describe = new Validated<SObjectDescribe>(_redisClient.SObjects.DescribeAsync("Account").GetAwaiter().GetResult()!, DateTimeOffset.UtcNow);
        _l2Only = new SalesforceCacheEntryOptions { Expiration = TimeSpan.FromHours(1), LocalExpiration = TimeSpan.Zero, Kind = SalesforceCacheKinds.Describe };
        _l2Key = "atombench-l2:" + Guid.NewGuid().ToString("N");
        DescribeRedisL2Hit().AsTask().GetAwaiter().GetResult();
        Thread.Sleep(1000); // HybridCache writes the shared level in the background.
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _memory.Dispose();
        _redis.Dispose();
        _loopback.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "describe, uncached, HTTP on loopback (emulator)")]
    public Task<SObjectDescribe?> DescribeLoopbackUncached() => _loopbackClient.SObjects.DescribeAsync("Account");

    [Benchmark(Description = "describe, uncached (fake org in memory)")]
    public Task<SObjectDescribe?> DescribeUncached() => _plainClient.SObjects.DescribeAsync("Account");

    [Benchmark(Description = "describe, cache hit in memory")]
    public Task<SObjectDescribe?> DescribeMemoryHit() => _memoryClient.SObjects.DescribeAsync("Account");

    [Benchmark(Description = "describe, cache hit with Redis as L2 (served from L1)")]
    public Task<SObjectDescribe?> DescribeRedisConfiguredHit() => _redisClient.SObjects.DescribeAsync("Account");

    [Benchmark(Description = "describe, cache hit read from Redis (no copy in memory)")]
    public async ValueTask<SObjectDescribe> DescribeRedisL2Hit() =>
        (await _redisCache.GetOrCreateAsync(_l2Key, _describe, static (d, _) => ValueTask.FromResult(d), _l2Only, _describeInfo)).Value;

    [Benchmark(Description = "query of 10 rows, uncached (fake org in memory)")]
    public Task<int> QueryUncached() => DrainAsync(_plainClient.Query.QueryAsync<SObject>(Soql));

    [Benchmark(Description = "query of 10 rows, cache hit in memory")]
    public Task<int> QueryMemoryHit() => DrainAsync(_memoryClient.Query.QueryAsync<SObject>(Soql, CachedQuery));

    [Benchmark(Description = "query of 10 rows, cache hit through Redis (L2 read + stamp check)")]
    public Task<int> QueryRedisHit() => DrainAsync(_redisClient.Query.QueryAsync<SObject>(Soql, CachedQuery));

    private static async Task<int> DrainAsync(SalesforcePageable<SObject> rows)
    {
        var count = 0;
        await foreach (var _ in rows)
        {
            count++;
        }

        return count;
    }

    private static (ServiceProvider, SalesforceClient) Build(Action<ISalesforceBuilder>? configure)
    {
        var services = new ServiceCollection();
        var builder = services.AddAtomSalesforce(o =>
            {
                o.ClientId = "bench-client";
                o.ClientSecret = "bench-secret";
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => new FakeOrg()));
        configure?.Invoke(builder);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ITokenStore>().SaveAsync("bench-user", new SalesforceToken(
            "00D5g000000AbCdEAK!AQ4AQBenchAccessToken", new Uri("https://acme.my.salesforce.com"), DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri("https://login.salesforce.com/id/00D5g000000AbCdEAK/0055g000001XyZaAAK"),
        }).GetAwaiter().GetResult();
        return (provider, provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench-user"));
    }

    /// <summary>An org in memory: a recorded describe, and a query page of 10 Accounts.</summary>
    private sealed class FakeOrg : HttpMessageHandler
    {
        private static readonly byte[] Describe = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "sobject_describe.json"));
        private static readonly byte[] Page = Encoding.UTF8.GetBytes(
            "{\"totalSize\":10,\"done\":true,\"records\":[" + string.Join(",", Enumerable.Range(0, 10).Select(i =>
                $"{{\"attributes\":{{\"type\":\"Account\",\"url\":\"/services/data/v66.0/sobjects/Account/001000000000{i:D3}AAA\"}},\"Id\":\"001000000000{i:D3}AAA\",\"Name\":\"Account {i}\",\"Industry\":\"Energy\"}}"))
            + "]}");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.RequestUri!.AbsolutePath.Contains("/describe", StringComparison.Ordinal) ? Describe : Page;
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
