using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
/// The SDK's own <see cref="ISalesforceOAuth"/> against the emulator over Kestrel: the emulator checks PKCE, secrets, JWT
/// signatures and session timeouts itself, so these flows run as against a real org.
/// </summary>
public sealed class EmulatorOAuthTests : IAsyncLifetime
{
    private const string IntegrationUser = "integration@acme.example";

    private static readonly RSA JwtKey = RSA.Create(2048);

    private readonly FakeTimeProvider _orgClock = new(DateTimeOffset.UtcNow);
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ISalesforceOAuth OAuth => _provider.GetRequiredService<ISalesforceOAuth>();

    private ITokenStore Tokens => _provider.GetRequiredService<ITokenStore>();

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions { TimeProvider = _orgClock, SessionTimeout = TimeSpan.FromMinutes(30), AccessToken = null };
        var app = options.OAuth.ConnectedApps[0];
        app.RotateRefreshTokens = true;
        app.CallbackUrls.Add(new Uri("http://127.0.0.1/salesforce/callback"));
        app.JwtCertificate = new CertificateRequest("CN=Atom integration", JwtKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        app.RunAsUsername = IntegrationUser;
        options.OAuth.Users.Add(new EmulatorUser(IntegrationUser) { FirstName = "Integration", LastName = "User" });
        _emulator = new SalesforceEmulator(options);
        _server = await _emulator.ListenAsync(cancellationToken: Ct);

        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = EmulatorOAuthOptions.DefaultClientId;
            o.ClientSecret = EmulatorOAuthOptions.DefaultClientSecret;
            o.LoginUrl = _server.BaseAddress;
            o.JwtPrivateKeyPem = JwtKey.ExportPkcs8PrivateKeyPem();
        });
        _provider = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_web_server_flow_with_PKCE_signs_in_refreshes_when_the_session_times_out_reads_userinfo_and_revokes()
    {
        var callback = new Uri("http://127.0.0.1/salesforce/callback");
        var request = OAuth.CreateAuthorizationRequest(callback, "api refresh_token");
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirect = await browser.GetAsync(request.AuthorizationUrl, Ct);
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query);
        Assert.True(SalesforceAuthorizationRequest.IsExpectedState(request.State, query["state"]));

        var signedIn = await OAuth.ExchangeCodeAsync("web-user", query["code"]!, request.CodeVerifier, callback, Ct);
        var client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("web-user");
        var id = await client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);

        // The session times out on the org's clock: the next call gets 401, and the SDK refreshes and replays it.
        _orgClock.Advance(TimeSpan.FromMinutes(31));
        var account = await client.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct);
        var refreshed = (await Tokens.GetAsync("web-user", Ct))!;
        var info = await OAuth.GetUserInfoAsync("web-user", Ct);
        await OAuth.RevokeAsync("web-user", Ct);

        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal((SalesforceGrantType.AuthorizationCode, "api refresh_token"), (signedIn.GrantType, signedIn.Scope));
        Assert.Equal(_emulator.InstanceUrl, signedIn.InstanceUrl);
        Assert.Equal("Acme", account["Name"]);
        Assert.NotEqual(signedIn.AccessToken, refreshed.AccessToken);
        Assert.NotEqual(signedIn.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(EmulatorOAuthOptions.AdminUsername, info.PreferredUsername);
        Assert.Equal(signedIn.IdentityUrl?.ToString(), info.Subject);
        Assert.Null(await Tokens.GetAsync("web-user", Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(refreshed.AccessToken));
    }

    [Fact]
    public async Task A_code_exchanged_with_the_wrong_verifier_is_refused_and_nothing_is_stored()
    {
        var callback = new Uri("http://127.0.0.1/salesforce/callback");
        var request = OAuth.CreateAuthorizationRequest(callback);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirect = await browser.GetAsync(request.AuthorizationUrl, Ct);
        var code = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;

        var e = await Assert.ThrowsAsync<SalesforceAuthenticationException>(
            () => OAuth.ExchangeCodeAsync("web-user", code, OAuth.CreateAuthorizationRequest(callback).CodeVerifier, callback, Ct));

        Assert.Equal(("invalid_grant", "invalid code verifier"), (e.ErrorCode, e.ErrorDescription));
        Assert.Null(await Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task The_JWT_bearer_flow_signs_in_and_signs_a_new_assertion_when_the_session_ends()
    {
        var token = await OAuth.AuthenticateWithJwtAsync("jwt-user", IntegrationUser, Ct);
        var client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("jwt-user");
        var id = await client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Globex" }, Ct);

        // The org ends the session; the SDK has no refresh token and mints a new one with a fresh assertion.
        await RevokeAsync(token.AccessToken);
        var account = await client.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct);
        var info = await OAuth.GetUserInfoAsync("jwt-user", Ct);

        Assert.Equal((SalesforceGrantType.JwtBearer, null), (token.GrantType, token.RefreshToken));
        Assert.Equal("Globex", account["Name"]);
        Assert.NotEqual(token.AccessToken, (await Tokens.GetAsync("jwt-user", Ct))!.AccessToken);
        Assert.Equal((IntegrationUser, "Integration User"), (info.PreferredUsername, info.Name));
    }

    [Fact]
    public async Task The_client_credentials_flow_runs_as_the_apps_run_as_user()
    {
        var token = await OAuth.AuthenticateWithClientCredentialsAsync("service", Ct);
        var client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("service");
        var id = await client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Initech" }, Ct);
        var info = await OAuth.GetUserInfoAsync("service", Ct);

        Assert.Equal((SalesforceGrantType.ClientCredentials, null), (token.GrantType, token.RefreshToken));
        Assert.StartsWith("001", id, StringComparison.Ordinal);
        Assert.Equal(IntegrationUser, info.PreferredUsername);
        Assert.Equal(info.UserId, token.IdentityUrl!.Segments[^1]);
    }

    private async Task<HttpStatusCode> RestStatusAsync(string accessToken)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, "services/data/v66.0/limits"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private async Task RevokeAsync(string token)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(
            new Uri(_server.BaseAddress, "services/oauth2/revoke"), new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
