using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Docs.Tests.Snippets;

/// <summary>
/// The world a runnable snippet runs in: an emulator org on a loopback socket (as the README's emulator command serves
/// it), and the ambient names wired to it. <c>builder</c> is configured the way a reader's appsettings.json would be
/// (<c>Salesforce:ClientId</c>, <c>Salesforce:LoginUrl</c> = the emulator); <c>provider</c> and <c>sf</c> are a
/// connected user's, whose token the emulator accepts.
/// </summary>
public sealed class SnippetOrg : IAsyncDisposable
{
    /// <summary>The user id <c>sf</c> belongs to.</summary>
    public const string UserId = "user-1";

    /// <summary>The demo org's "today": the date the README's figures are produced with (<c>--today 2026-06-30</c>).</summary>
    public static readonly DateTimeOffset Today = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private WebApplicationBuilder? _builder;
    private WebApplication? _app;

    private SnippetOrg(SalesforceEmulator emulator, EmulatorServer server, ServiceProvider provider, TimeProvider clock)
    {
        Emulator = emulator;
        Server = server;
        _provider = provider;
        Clock = clock;
        Client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);
    }

    /// <summary>The org.</summary>
    public SalesforceEmulator Emulator { get; }

    /// <summary>The org's socket.</summary>
    public EmulatorServer Server { get; }

    /// <summary>The org's clock: <see cref="Today"/> when the org was made, moving on in real time.</summary>
    public TimeProvider Clock { get; }

    /// <summary><c>sf</c>: the connected user's client, for the snippet and for the test's own checks.</summary>
    public SalesforceClient Client { get; }

    /// <summary><c>provider</c>.</summary>
    public IServiceProvider Provider => _provider;

    /// <summary>Registered on <c>builder.Services</c> before the snippet runs, when a scenario needs to reach the snippet's app.</summary>
    public List<Action<IServiceCollection>> BuilderServices { get; } = [];

    /// <summary><c>builder</c>, made on first use.</summary>
    public WebApplicationBuilder Builder => _builder ??= CreateBuilder();

    /// <summary><c>app</c>: <c>builder.Build()</c> on first use.</summary>
    public WebApplication App => _app ??= Builder.Build();

    /// <summary>An org (empty, or what <paramref name="configure"/> sets: demo data, custom fields), served on a free loopback port.</summary>
    public static async Task<SnippetOrg> StartAsync(Action<SalesforceEmulatorOptions>? configure, CancellationToken cancellationToken)
    {
        var clock = new ShiftedClock(Today);
        var options = new SalesforceEmulatorOptions { TimeProvider = clock, DailyApiLimit = 1_000_000 };
        configure?.Invoke(options);
        var emulator = new SalesforceEmulator(options);
        var server = await emulator.ListenAsync(cancellationToken: cancellationToken);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.ClientSecret = "emulator-secret";
                o.LoginUrl = server.BaseAddress;
            })
            .AddAnalytics();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, Token(emulator), cancellationToken);
        return new SnippetOrg(emulator, server, provider, clock);
    }

    /// <summary>A token the emulator accepts (its configured access token), as a user's OAuth connection would store.</summary>
    public static SalesforceToken Token(SalesforceEmulator emulator) =>
        new(emulator.Options.AccessToken ?? throw new InvalidOperationException("The emulator has no access token."), emulator.InstanceUrl, DateTimeOffset.UtcNow);

    /// <summary>The value of an ambient name.</summary>
    public object Resolve(string name, CancellationToken cancellationToken) => name switch
    {
        "builder" => Builder,
        "app" => App,
        "provider" => Provider,
        "sf" => Client,
        "ct" => cancellationToken,
        _ => throw new InvalidOperationException($"No ambient name '{name}'."),
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _provider.DisposeAsync();
        await Server.DisposeAsync();
    }

    private WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = "emulator-client",
            ["Salesforce:ClientSecret"] = "emulator-secret",
            ["Salesforce:LoginUrl"] = Server.BaseAddress.ToString(),
            ["MyOrg:AccessToken"] = Emulator.Options.AccessToken,
            ["MyOrg:InstanceUrl"] = Emulator.InstanceUrl.ToString(),
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.TryAddSingleton<TimeProvider>(Clock);
        foreach (var add in BuilderServices)
        {
            add(builder.Services);
        }

        return builder;
    }

    /// <summary>A clock that reads <paramref name="start"/> when made and then moves on in real time; timers are real.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => start + (DateTimeOffset.UtcNow - _origin);
    }
}
