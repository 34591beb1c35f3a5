using Atom.Salesforce.Client.Analytics.DependencyInjection;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Infrastructure;

/// <summary>
/// The emulator's demo org wired to the SDK in-process, as an application would wire a real org, with the clock fixed
/// at <see cref="Clock"/>. <see cref="Shared"/> is one read-only demo org (scale 0.1) for tests that only read.
/// </summary>
public sealed class DemoOrg : IAsyncDisposable
{
    /// <summary>The org clock of every demo org here.</summary>
    public static readonly DateTimeOffset Clock = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<Task<DemoOrg>> SharedOrg = new(() => StartAsync(0.1, CancellationToken.None));

    private readonly ServiceProvider _provider;

    private DemoOrg(SalesforceEmulator emulator, ServiceProvider provider, SalesforceClient client, FakeTimeProvider time)
    {
        Emulator = emulator;
        _provider = provider;
        Client = client;
        Time = time;
    }

    /// <summary>The emulator serving the org.</summary>
    public SalesforceEmulator Emulator { get; }

    /// <summary>A client for the org's user.</summary>
    public SalesforceClient Client { get; }

    /// <summary>The fake clock both the emulator and the SDK read.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The container the SDK and the analytics were registered in.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>A demo org at scale 0.1 shared by every test that only reads; never write to it.</summary>
    public static Task<DemoOrg> Shared => SharedOrg.Value;

    /// <summary>Starts a fresh demo org of the given scale.</summary>
    public static async Task<DemoOrg> StartAsync(double scale, CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider(Clock);
        var emulator = new SalesforceEmulator(new() { TimeProvider = clock, DemoData = new DemoDataOptions { Scale = scale } });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
            .AddAnalytics();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(
            "user-1", new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, Clock.AddHours(1)), cancellationToken);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");
        return new DemoOrg(emulator, provider, client, clock);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
