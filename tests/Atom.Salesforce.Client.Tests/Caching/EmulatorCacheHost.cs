using System.Text.Json;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Tests.Caching;

/// <summary>
/// The SDK with caching registered, against the emulator (in-process), whose own request log (<c>/__emulator/stats</c>,
/// not an API call itself) counts what reached the org. The SDK's clock is a fake one that starts a few seconds after the
/// org did (Salesforce's If-Modified-Since has whole seconds), so a test can let a cached describe's duration pass.
/// </summary>
internal sealed class EmulatorCacheHost : IAsyncDisposable
{
    public EmulatorCacheHost(SalesforceEmulator emulator, Action<IServiceCollection>? services = null, Action<SalesforceCacheOptions>? cache = null)
    {
        Emulator = emulator;
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(5));
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Clock);
        collection.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
            .AddCaching(cache);
        services?.Invoke(collection);
        Provider = collection.BuildServiceProvider();
        Provider.GetRequiredService<ITokenStore>()
            .SaveAsync("user-1", new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, Clock.GetUtcNow()))
            .GetAwaiter().GetResult();
    }

    public SalesforceEmulator Emulator { get; }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Provider { get; }

    public SalesforceClient Client() => Provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");

    /// <summary>The status of every request the org served whose path ends with <paramref name="pathEnd"/>, oldest first.</summary>
    public async Task<List<int>> StatusesAsync(string pathEnd)
    {
        using var http = new HttpClient(Emulator.CreateHandler());
        using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri(Emulator.InstanceUrl, "/__emulator/stats"), TestContext.Current.CancellationToken));
        return stats.RootElement.GetProperty("recent").EnumerateArray()
            .Where(r => r.GetProperty("path").GetString()!.TrimEnd('/').EndsWith(pathEnd, StringComparison.Ordinal))
            .Select(r => r.GetProperty("status").GetInt32())
            .ToList();
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
