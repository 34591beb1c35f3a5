using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Consumer;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

/// <summary>
/// Issue 20: a change made outside the SDK (the Salesforce UI, another integration) reaches the cached queries through Change
/// Data Capture: the hosted consumer's change event of an object drops the object's cached queries, in its own instance and,
/// through Redis, in every other. End to end against the emulator's Pub/Sub API and REST API.
/// </summary>
public sealed class ChangeEventCacheInvalidationTests : IAsyncLifetime
{
    private const string OrgId = "00DHs0000000001MAA";
    private const string UserId = "integration-user";
    private const string Soql = "SELECT Id, Name FROM Account WHERE Industry = 'Cdc'";
    private static readonly QueryOptions Cached = new() { CacheDuration = TimeSpan.FromMinutes(30) };

    private readonly SalesforceEmulatorOptions _options = new();
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = new SalesforceEmulator(_options);
        _server = await _emulator.ListenAsync(cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_change_event_drops_the_cached_queries_of_its_object_in_the_consumers_instance()
    {
        await using var app = await StartAsync(redisPrefix: null, consumer: true);
        var client = app.Client();
        Assert.Empty(await NamesAsync(client));

        await WriteOutsideTheSdkCacheAsync("Acme");

        await UntilAsync(async () => (await NamesAsync(client)).Contains("Acme"), "the cached query shows the account written elsewhere");
    }

    [Fact]
    public async Task A_change_event_read_by_one_instance_drops_the_cached_queries_in_another_through_redis()
    {
        var prefix = $"atomtest-{Guid.NewGuid():N}:";
        await using var consumer = await StartAsync(prefix, consumer: true);
        await using var reader = await StartAsync(prefix, consumer: false);
        var client = reader.Client();
        Assert.Empty(await NamesAsync(client));
        Assert.Empty(await NamesAsync(client));

        await WriteOutsideTheSdkCacheAsync("Globex");

        // The reader runs no consumer: only the consumer instance's invalidation, through Redis, can make it read again.
        await UntilAsync(async () => (await NamesAsync(client)).Contains("Globex"), "the other instance's cached query shows the account");
    }

    private static async Task<List<string?>> NamesAsync(SalesforceClient client)
    {
        var names = new List<string?>();
        await foreach (var row in client.Query.QueryAsync<SObject>(Soql, Cached, Ct))
        {
            names.Add(row.Get<string>("Name"));
        }

        return names;
    }

    /// <summary>A write by another system: a client of its own, with no cache, so nothing but the change event can invalidate.</summary>
    private async Task WriteOutsideTheSdkCacheAsync(string name)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "other-system";
            o.LoginUrl = _server.BaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        await SaveTokenAsync(provider);
        var other = provider.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);
        var account = new SObject("Account") { ["Name"] = name, ["Industry"] = "Cdc" };
        await other.SObjects.CreateAsync("Account", account, Ct);
    }

    private async Task<App> StartAsync(string? redisPrefix, bool consumer)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (redisPrefix is not null)
        {
            var redis = Environment.GetEnvironmentVariable("ATOM_TEST_REDIS")
                ?? throw new InvalidOperationException("ATOM_TEST_REDIS is not set: run the tests through ./build.sh test, or set it to a Redis host:port.");
            services.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis;
                o.InstanceName = redisPrefix;
            });
        }

        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator";
                o.LoginUrl = _server.BaseAddress;
            })
            .AddPubSub(o => o.Endpoint = _server.PubSubAddress!)
            .AddCaching();
        if (consumer)
        {
            // Every change event of Account since the org started (the test's write among them).
            services.AddAtomSalesforceChangeEvents(o =>
            {
                o.UserId = UserId;
                o.StartFromEarliest = true;
            }).AddCacheInvalidation("Account");
        }

        var provider = services.BuildServiceProvider();
        await SaveTokenAsync(provider);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(Ct);
        }

        return new App(provider, hosted);
    }

    private Task SaveTokenAsync(IServiceProvider provider) =>
        provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken(_options.AccessToken!, _server.BaseAddress, DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri(_server.BaseAddress, $"/id/{OrgId}/005Hs00000000001AAA"),
        }, Ct);

    /// <summary>Polls (every 100 ms) until <paramref name="condition"/> holds; fails after a generous minute.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(100, Ct);
        }
    }

    private sealed class App(ServiceProvider provider, List<IHostedService> hosted) : IAsyncDisposable
    {
        public SalesforceClient Client() => provider.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);

        public async ValueTask DisposeAsync()
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(CancellationToken.None);
            }

            await provider.DisposeAsync();
        }
    }
}
