using System.Text;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Atom.Salesforce.Client.Tests.Caching;

/// <summary>
/// The shared level of the cache on a real Redis (the redis-server ./build.sh test starts, ATOM_TEST_REDIS): what one service
/// instance fetched, another does not fetch again; a write in one instance drops the object's cached queries in the other;
/// and what Redis holds carries no token.
/// </summary>
public sealed class RedisCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Soql = "SELECT Id, Name FROM Account";
    private static readonly QueryOptions Cached = new() { CacheDuration = TimeSpan.FromMinutes(5) };

    private static string Redis =>
        Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
        ?? throw new InvalidOperationException("ATOM_TEST_REDIS is not set: run the tests through ./build.sh test, or set it to a Redis host:port.");

    [Fact]
    public async Task Two_service_instances_share_what_one_of_them_fetched()
    {
        var run = RunPrefix();
        await using var first = Instance(run);
        await using var second = Instance(run);

        await first.For("user-a").SObjects.DescribeAsync("Account", cancellationToken: Ct);
        await first.For("user-a").Limits.GetAsync(Ct);
        await Drain(first.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        // HybridCache hands the value to its caller before its write to the shared level has finished.
        await WaitForRedisKeysAsync(run, 3);

        var describe = await second.For("user-a").SObjects.DescribeAsync("Account", cancellationToken: Ct);
        await second.For("user-a").Limits.GetAsync(Ct);
        var names = await Drain(second.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));

        Assert.Equal(3, first.TotalCalls);
        Assert.Equal(0, second.TotalCalls);
        Assert.Equal("Whizbang", describe!.Name);
        Assert.Equal(["Seen by user-a"], names);

        // User B's describe is B's own, even across instances.
        await second.For("user-b").SObjects.DescribeAsync("Account", cancellationToken: Ct);
        Assert.Equal(1, second.Calls("GET", "sobjects/Account/describe"));
    }

    [Fact]
    public async Task Describe_from_100_concurrent_callers_makes_one_api_call_with_redis_and_none_in_another_instance()
    {
        var run = RunPrefix();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var first = Instance(run, gate.Task);
        await using var second = Instance(run);

        var callers = Enumerable.Range(0, 100).Select(_ => first.For("user-a").SObjects.DescribeAsync("Account", cancellationToken: Ct)).ToList();
        gate.SetResult();
        var describes = await Task.WhenAll(callers);
        Assert.Equal(1, first.Calls("GET", "sobjects/Account/describe"));
        Assert.All(describes, d => Assert.Equal("Whizbang", d!.Name));

        // Single flight is per process; across processes the shared level answers once the value is there.
        await WaitForRedisKeysAsync(run, 1);
        var fromRedis = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => second.For("user-a").SObjects.DescribeAsync("Account", cancellationToken: Ct)));
        Assert.Equal(0, second.TotalCalls);
        Assert.All(fromRedis, d => Assert.Equal("Whizbang", d!.Name));
    }

    [Fact]
    public async Task A_write_in_one_instance_drops_the_cached_queries_of_its_object_in_the_other()
    {
        var run = RunPrefix();
        await using var first = Instance(run);
        await using var second = Instance(run);
        await Drain(first.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        // The shared level is written after the first caller has its answer: wait for it, as the describe test does.
        await WaitForRedisKeysAsync(run, 1);
        await Drain(second.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));
        Assert.Equal(0, second.Calls("GET", "query"));

        await first.For("user-a").SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);
        await Drain(second.For("user-a").Query.QueryAsync<SObject>(Soql, Cached, Ct));

        Assert.Equal(1, second.Calls("GET", "query"));
    }

    [Fact]
    public async Task Redis_holds_no_token_and_every_key_is_scoped_to_the_org()
    {
        var run = RunPrefix();
        await using (var host = Instance(run))
        {
            foreach (var user in CachingHost.Users)
            {
                await host.For(user).SObjects.DescribeAsync("Account", cancellationToken: Ct);
                await host.For(user).SObjects.DescribeGlobalAsync(cancellationToken: Ct);
                await host.For(user).Limits.GetAsync(Ct);
                await Drain(host.For(user).Query.QueryAsync<SObject>(Soql, Cached, Ct));
            }
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        var keys = server.Keys(pattern: run + "*").ToList();
        Assert.NotEmpty(keys);
        var secrets = CachingHost.Users.SelectMany(u => new[] { CachingHost.AccessToken(u), CachingHost.RefreshToken(u) }).Append("test-client-secret").ToList();
        foreach (var key in keys)
        {
            var text = new StringBuilder(key.ToString());
            var type = await db.KeyTypeAsync(key);
            if (type == RedisType.Hash)
            {
                foreach (var field in await db.HashGetAllAsync(key))
                {
                    text.Append(' ').Append(field.Name.ToString()).Append('=').Append(Encoding.UTF8.GetString((byte[])field.Value!));
                }
            }
            else if (type == RedisType.String)
            {
                text.Append(' ').Append(Encoding.UTF8.GetString((byte[])(await db.StringGetAsync(key))!));
            }

            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text.ToString(), StringComparison.Ordinal);
            }

            Assert.Contains(CachingHost.OrgId, key.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>Waits (up to 30 s) until the shared level holds at least <paramref name="count"/> entries of this run.</summary>
    private static async Task WaitForRedisKeysAsync(string run, int count)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        for (var attempt = 0; attempt < 300 && server.Keys(pattern: run + "*").Count() < count; attempt++)
        {
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>A key prefix of this test alone, so that runs and tests never see each other's entries.</summary>
    private static string RunPrefix() => $"atomtest-{Guid.NewGuid():N}:";

    /// <summary>A service instance of its own (its own container, HTTP pipelines and in-memory level) on the shared Redis.</summary>
    private static CachingHost Instance(string run, Task? gate = null) =>
        new(services => services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = Redis;
            o.InstanceName = run;
        }), gate: gate);

    private static async Task<List<string?>> Drain(SalesforcePageable<SObject> rows)
    {
        var names = new List<string?>();
        await foreach (var row in rows)
        {
            names.Add(row.Get<string>("Name"));
        }

        return names;
    }
}
