using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Emulator.Tests.Infrastructure;

/// <summary>An emulated org with the SDK wired to it in-process, as an app's tests would use it.</summary>
internal sealed class EmulatedOrg : IAsyncDisposable
{
    public const string UserId = "user-1";

    private readonly ServiceProvider _services;

    public EmulatedOrg(SalesforceEmulatorOptions? options = null)
    {
        Emulator = new SalesforceEmulator(options);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = Emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(Emulator.CreateHandler));
        _services = services.BuildServiceProvider();
        var store = _services.GetRequiredService<ITokenStore>();
        store.SaveAsync(UserId, new SalesforceToken(Emulator.Options.AccessToken!, Emulator.InstanceUrl, DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        Client = _services.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);
        Http = new HttpClient(Emulator.CreateHandler()) { BaseAddress = Emulator.InstanceUrl };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", Emulator.Options.AccessToken);
    }

    public SalesforceEmulator Emulator { get; }

    /// <summary>The SDK's client for <see cref="UserId"/>.</summary>
    public SalesforceClient Client { get; }

    /// <summary>A plain HttpClient with the org's token, for wire-level checks.</summary>
    public HttpClient Http { get; }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _services.DisposeAsync();
    }
}
