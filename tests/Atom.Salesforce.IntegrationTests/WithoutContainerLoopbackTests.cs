using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>A client factory made from options without a container, against the emulator on a real loopback socket.</summary>
public sealed class WithoutContainerLoopbackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_factory_made_from_options_queries_the_emulator_over_loopback_and_refreshes_an_expired_token()
    {
        var emulator = new SalesforceEmulator();
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var tokens = new InMemoryTokenStore();
        // An access token Salesforce no longer accepts, with a refresh token: the auth handler must refresh it on the 401.
        var refreshToken = await SignInAsync(server.BaseAddress);
        await tokens.SaveAsync("user-1", new SalesforceToken("expired-access-token", emulator.InstanceUrl, DateTimeOffset.UtcNow) { RefreshToken = refreshToken }, Ct);
        var options = new SalesforceOptions { ClientId = "emulator-client", ClientSecret = "emulator-secret", LoginUrl = server.BaseAddress };

        await using var factory = SalesforceClientFactory.Create(options, tokens);
        var sf = factory.ForUser("user-1");
        var id = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Loopback" }, Ct);
        var names = await sf.Query.QueryAsync<SObject>($"SELECT Name FROM Account WHERE Id = '{id}'", cancellationToken: Ct).Select(a => a.Get<string>("Name")).ToListAsync(Ct);

        Assert.Equal(["Loopback"], names);
        var stored = await tokens.GetAsync("user-1", Ct);
        Assert.NotNull(stored);
        Assert.NotEqual("expired-access-token", stored.AccessToken);
    }

    [Fact]
    public async Task Factories_of_two_connected_apps_registered_as_keyed_services_refresh_each_with_its_own_app()
    {
        var emulator = new SalesforceEmulator();
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var refreshToken = await SignInAsync(server.BaseAddress);
        var expired = new SalesforceToken("expired-access-token", emulator.InstanceUrl, DateTimeOffset.UtcNow) { RefreshToken = refreshToken };
        var issuingAppTokens = new InMemoryTokenStore();
        var otherAppTokens = new InMemoryTokenStore();
        await issuingAppTokens.SaveAsync("user-1", expired, Ct);
        await otherAppTokens.SaveAsync("user-1", expired, Ct);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<ISalesforceClientFactory>("issuing", SalesforceClientFactory.Create(
            new SalesforceOptions { ClientId = "emulator-client", ClientSecret = "emulator-secret", LoginUrl = server.BaseAddress }, issuingAppTokens));
        services.AddKeyedSingleton<ISalesforceClientFactory>("other", SalesforceClientFactory.Create(
            new SalesforceOptions { ClientId = "other-client", ClientSecret = "other-secret", LoginUrl = server.BaseAddress }, otherAppTokens));
        await using var provider = services.BuildServiceProvider();

        var issuing = provider.GetRequiredKeyedService<ISalesforceClientFactory>("issuing").ForUser("user-1");
        var other = provider.GetRequiredKeyedService<ISalesforceClientFactory>("other").ForUser("user-1");
        var limits = await issuing.Limits.GetAsync(Ct);

        // Salesforce refreshes a token only for the connected app it was issued to: the other app's refresh is refused.
        Assert.True(limits["DailyApiRequests"].Max > 0);
        var refused = await Assert.ThrowsAnyAsync<SalesforceException>(() => other.Limits.GetAsync(Ct));
        Assert.False(refused.IsTransient);
        Assert.NotEqual("expired-access-token", (await issuingAppTokens.GetAsync("user-1", Ct))!.AccessToken);
    }

    private static async Task<string> SignInAsync(Uri login)
    {
        const string Callback = "https://app.example/oauth/callback";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = login };
        using var authorize = await http.GetAsync(new Uri($"/services/oauth2/authorize?response_type=code&client_id=emulator-client&redirect_uri={Uri.EscapeDataString(Callback)}", UriKind.Relative), Ct);
        var code = System.Web.HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["code"]!;
        using var exchange = await http.PostAsync(new Uri("/services/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = "emulator-client", ["client_secret"] = "emulator-secret", ["redirect_uri"] = Callback,
        }), Ct);
        using var body = System.Text.Json.JsonDocument.Parse(await exchange.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("refresh_token").GetString()!;
    }
}
