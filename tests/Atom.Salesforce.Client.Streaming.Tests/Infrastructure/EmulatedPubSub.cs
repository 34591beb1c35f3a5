using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

/// <summary>
/// The emulator on loopback (its REST API and its Pub/Sub API, a real HTTP/2 server) and the SDK registered against it the
/// documented way (<c>AddAtomSalesforce(...).AddPubSub(...)</c>), with the emulator's access token stored for
/// <see cref="UserId"/>: what the end-to-end tests start from.
/// </summary>
internal sealed record EmulatedPubSub(SalesforceEmulatorOptions Options, EmulatorServer Server, ServiceProvider Provider) : IAsyncDisposable
{
    public const string OrgId = "00DHs0000000001MAA";
    public const string UserId = "user-1";

    /// <summary>The REST client of <see cref="UserId"/>.</summary>
    public SalesforceClient Salesforce => Provider.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);

    /// <summary>The Pub/Sub client of <see cref="UserId"/>.</summary>
    public PubSubClient PubSub => Provider.GetRequiredService<IPubSubClientFactory>().ForUser(UserId);

    public static async Task<EmulatedPubSub> StartAsync(SalesforceEmulatorOptions options, CancellationToken cancellationToken)
    {
        var server = await new SalesforceEmulator(options).ListenAsync(cancellationToken: cancellationToken);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator";
                o.LoginUrl = server.BaseAddress;
            })
            .AddPubSub(o => o.Endpoint = server.PubSubAddress!);
        var provider = services.BuildServiceProvider();
        var rig = new EmulatedPubSub(options, server, provider);
        try
        {
            await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken(options.AccessToken!, server.BaseAddress, DateTimeOffset.UtcNow)
            {
                IdentityUrl = new Uri(server.BaseAddress, $"/id/{OrgId}/005Hs00000000001AAA"),
            }, cancellationToken);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Server.DisposeAsync();
    }
}
