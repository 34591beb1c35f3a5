using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// Two connected apps in one host, each against its own emulated org over loopback: the default app (the org's
/// <c>emulator-client</c>) and <c>partner-org</c> (another org's <c>partner-client</c>). Each org accepts only the tokens it
/// issued (no fixed access token), as a real org does, so a token sent to the wrong org, or renewed with the wrong
/// connected app, fails. Client-credentials tokens are renewed by minting a new one when the org refuses the old one
/// (Salesforce's OAuth 2.0 Client Credentials Flow issues no refresh token).
/// </summary>
public sealed class NamedAppsTests : IAsyncLifetime
{
    private const string PartnerApp = "partner-org";
    private const string RunAs = "integration@acme.example";
    private const string PartnerRunAs = "integration@partner.example";

    private readonly FakeTimeProvider _clockA = new(DateTimeOffset.UtcNow);
    private readonly FakeTimeProvider _clockB = new(DateTimeOffset.UtcNow);
    private EmulatorServer _orgA = null!;
    private EmulatorServer _orgB = null!;
    private ServiceProvider _provider = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _orgA = await OrgAsync(_clockA, EmulatorOAuthOptions.DefaultClientId, EmulatorOAuthOptions.DefaultClientSecret, RunAs);
        _orgB = await OrgAsync(_clockB, "partner-client", "partner-secret", PartnerRunAs);

        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = EmulatorOAuthOptions.DefaultClientId;
            o.ClientSecret = EmulatorOAuthOptions.DefaultClientSecret;
            o.LoginUrl = _orgA.BaseAddress;
        });
        services.AddAtomSalesforce(PartnerApp, o =>
        {
            o.ClientId = "partner-client";
            o.ClientSecret = "partner-secret";
            o.LoginUrl = _orgB.BaseAddress;
        });
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task<EmulatorServer> OrgAsync(FakeTimeProvider clock, string clientId, string secret, string runAs)
    {
        var options = new SalesforceEmulatorOptions { TimeProvider = clock, SessionTimeout = TimeSpan.FromMinutes(30), AccessToken = null };
        options.OAuth.ConnectedApps.Clear();
        options.OAuth.ConnectedApps.Add(new ConnectedApp(clientId) { ClientSecret = secret, RunAsUsername = runAs });
        options.OAuth.Users.Add(new EmulatorUser(runAs));
        return await new SalesforceEmulator(options).ListenAsync(cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _orgA.DisposeAsync();
        await _orgB.DisposeAsync();
    }

    private ISalesforceOAuth OAuthA => _provider.GetRequiredService<ISalesforceOAuth>();

    private ISalesforceOAuth OAuthB => _provider.GetRequiredKeyedService<ISalesforceOAuth>(PartnerApp);

    private ISalesforceClientFactory FactoryA => _provider.GetRequiredService<ISalesforceClientFactory>();

    private ISalesforceClientFactory FactoryB => _provider.GetRequiredKeyedService<ISalesforceClientFactory>(PartnerApp);

    private ITokenStore StoreB => _provider.GetRequiredKeyedService<ITokenStore>(PartnerApp);

    [Fact]
    public async Task Each_apps_clients_call_their_own_org_with_their_own_tokens_even_for_the_same_user_id()
    {
        // The same application user connected through both apps: the ids collide, the tokens must not.
        var tokenA = await OAuthA.AuthenticateWithClientCredentialsAsync("svc", Ct);
        var tokenB = await OAuthB.AuthenticateWithClientCredentialsAsync("svc", Ct);
        var a = FactoryA.ForUser("svc");
        var b = FactoryB.ForUser("svc");

        var idA = await a.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme (org A)" }, Ct);
        var idB = await b.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Partner (org B)" }, Ct);

        Assert.Equal(_orgA.BaseAddress.Authority, tokenA.InstanceUrl.Authority);
        Assert.Equal(_orgB.BaseAddress.Authority, tokenB.InstanceUrl.Authority);
        Assert.NotEqual(tokenA.AccessToken, tokenB.AccessToken);
        Assert.Equal("Acme (org A)", (await a.SObjects.GetAsync<SObject>("Account", idA, cancellationToken: Ct))["Name"]);
        Assert.Equal("Partner (org B)", (await b.SObjects.GetAsync<SObject>("Account", idB, cancellationToken: Ct))["Name"]);
        Assert.Equal(tokenA.AccessToken, (await _provider.GetRequiredService<ITokenStore>().GetAsync("svc", Ct))!.AccessToken);
        Assert.Equal(tokenB.AccessToken, (await StoreB.GetAsync("svc", Ct))!.AccessToken);
    }

    [Fact]
    public async Task A_user_connected_only_through_one_app_has_no_token_in_the_other()
    {
        await OAuthB.AuthenticateWithClientCredentialsAsync("partner-only", Ct);

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => FactoryA.ForUser("partner-only").Limits.GetAsync(Ct));

        Assert.Equal(SalesforceAuthenticationException.Codes.NoToken, e.ErrorCode);
        Assert.NotNull(await FactoryB.ForUser("partner-only").Limits.GetAsync(Ct));
    }

    [Fact]
    public async Task Renewing_one_apps_expired_session_leaves_the_other_apps_token_alone()
    {
        var firstA = await OAuthA.AuthenticateWithClientCredentialsAsync("svc", Ct);
        var firstB = await OAuthB.AuthenticateWithClientCredentialsAsync("svc", Ct);

        // Org A's session times out; org B's does not.
        _clockA.Advance(TimeSpan.FromHours(1));
        await FactoryA.ForUser("svc").Limits.GetAsync(Ct);
        await FactoryB.ForUser("svc").Limits.GetAsync(Ct);

        var nowA = (await _provider.GetRequiredService<ITokenStore>().GetAsync("svc", Ct))!;
        var nowB = (await StoreB.GetAsync("svc", Ct))!;
        Assert.NotEqual(firstA.AccessToken, nowA.AccessToken);
        Assert.Equal(_orgA.BaseAddress.Authority, nowA.InstanceUrl.Authority);
        Assert.Equal(firstB.AccessToken, nowB.AccessToken);
    }
}
