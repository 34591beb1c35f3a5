using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// What the API governance (issue 20) adds to one call: <c>SObjects.GetAsync</c> over a Kestrel loopback socket without
/// governance (the baseline) and with <c>AddApiGovernance()</c> (a concurrency slot, one call taken from the in-memory budget,
/// <c>Sforce-Limit-Info</c> read back) and, when <c>ATOM_TEST_REDIS</c> is set, with the budget in Redis (one Lua script per block of calls).
/// The server answers every call with a record and <c>Sforce-Limit-Info</c>, so the budget never runs short.
/// </summary>
[MemoryDiagnoser]
public class GovernanceBenchmarks
{
    private const string Token = "00Dbench!governance";
    private static readonly byte[] Record = Encoding.UTF8.GetBytes("""{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001000000000001AAA"},"Id":"001000000000001AAA","Name":"Acme"}""");
    private WebApplication _app = null!;
    private ServiceProvider _plain = null!;
    private ServiceProvider _governed = null!;
    private ServiceProvider? _redis;
    private SalesforceClient _plainClient = null!;
    private SalesforceClient _governedClient = null!;
    private SalesforceClient? _redisClient;
    private Governance.ApiGovernor _governor = null!;
    private Governance.ApiGovernor? _redisGovernor;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Sforce-Limit-Info"] = "api-usage=18/1000000000";
            context.Response.ContentLength = Record.Length;
            await context.Response.Body.WriteAsync(Record);
        });
        _app.StartAsync().GetAwaiter().GetResult();
        var instance = new Uri(_app.Urls.First());
        (_plain, _plainClient) = Client(instance, _ => { });
        (_governed, _governedClient) = Client(instance, b => b.AddApiGovernance());
        _governor = _governed.GetRequiredService<Governance.ApiGovernor>();
        if (Environment.GetEnvironmentVariable("ATOM_TEST_REDIS") is { Length: > 0 } redis)
        {
            (_redis, _redisClient) = Client(instance, b => b.AddApiGovernance().AddRedisApiBudget(redis, $"atom-sf-bench:{Guid.NewGuid():N}:"));
            _redisGovernor = _redis.GetRequiredService<Governance.ApiGovernor>();

            // The allocation known, as after the first answer: calls are then taken from Redis in blocks.
            _redisGovernor.ObserveAsync("127.0.0.1", new Models.ApiUsage(18, 1_000_000_000), exact: true, default).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _governed.Dispose();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }

    [Benchmark(Baseline = true, Description = "GetAsync, no governance")]
    public Task<SObject> NoGovernance() => _plainClient.SObjects.GetAsync<SObject>("Account", "001000000000001AAA");

    [Benchmark(Description = "GetAsync, governance (in-memory budget)")]
    public Task<SObject> InMemoryBudget() => _governedClient.SObjects.GetAsync<SObject>("Account", "001000000000001AAA");

    /// <summary>
    /// The governance's own work per call, without the socket: a slot, one call taken from the in-memory budget, the slot
    /// given back. Against the baseline this is the overhead the per-call budget check adds, free of the loopback's noise.
    /// </summary>
    [Benchmark(Description = "budget check alone (slot + in-memory take + release)")]
    public async Task<int> CheckAlone()
    {
        using var lease = await _governor.AcquireAsync("127.0.0.1", Governance.RequestPriority.Interactive, default);
        return 0;
    }

    /// <summary>The same with the budget in Redis, taken in blocks of <c>RedisApiBudgetStore.DefaultBlockSize</c>: one Lua script per block.</summary>
    [Benchmark(Description = "budget check alone (slot + Redis take in blocks + release)")]
    public async Task<int> CheckAloneRedis()
    {
        using var lease = await (_redisGovernor ?? _governor).AcquireAsync("127.0.0.1", Governance.RequestPriority.Interactive, default);
        return 0;
    }

    [Benchmark(Description = "GetAsync, governance (Redis budget)")]
    public Task<SObject> RedisBudget() => (_redisClient ?? _governedClient).SObjects.GetAsync<SObject>("Account", "001000000000001AAA");

    private static (ServiceProvider, SalesforceClient) Client(Uri instance, Action<ISalesforceBuilder> configure)
    {
        var services = new ServiceCollection();
        configure(services.AddAtomSalesforce(o =>
        {
            o.ClientId = "bench";
            o.LoginUrl = instance;
        }));
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ITokenStore>().SaveAsync("bench", new SalesforceToken(Token, instance, DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        return (provider, provider.GetRequiredService<ISalesforceClientFactory>().ForUser("bench"));
    }
}
