using System.Net;
using System.Security.Cryptography;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>The OAuth flows over real sockets against the loopback org, which checks PKCE and JWT signatures itself.</summary>
public sealed class OAuthLoopbackTests : IAsyncLifetime
{
    private static readonly RSA JwtKey = RSA.Create(2048);

    private LoopbackOrg _org = null!;
    private ServiceProvider _provider = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ISalesforceOAuth OAuth => _provider.GetRequiredService<ISalesforceOAuth>();

    private ITokenStore Tokens => _provider.GetRequiredService<ITokenStore>();

    public async ValueTask InitializeAsync()
    {
        _org = await LoopbackOrg.StartAsync();
        _org.JwtPublicKey = JwtKey;
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "loop-client";
            o.ClientSecret = "loop-secret";
            o.LoginUrl = _org.BaseUrl;
            o.JwtPrivateKeyPem = JwtKey.ExportPkcs8PrivateKeyPem();
        });
        _provider = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _org.DisposeAsync();
    }

    [Fact]
    public async Task A_user_connects_with_the_web_server_flow_and_PKCE_then_their_session_is_refreshed_read_and_revoked()
    {
        var callback = new Uri("http://127.0.0.1/salesforce/callback");
        var request = OAuth.CreateAuthorizationRequest(callback, "api refresh_token");

        // The browser's part: follow the authorize URL to the redirect.
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirect = await browser.GetAsync(request.AuthorizationUrl, Ct);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.Equal(callback.GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.True(SalesforceAuthorizationRequest.IsExpectedState(request.State, query["state"]));

        var token = await OAuth.ExchangeCodeAsync("web-user", query["code"]!, request.CodeVerifier, callback, Ct);
        var record = await _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("web-user")
            .SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", cancellationToken: Ct);
        var info = await OAuth.GetUserInfoAsync("web-user", Ct);
        await OAuth.RevokeAsync("web-user", Ct);

        Assert.Equal((LoopbackOrg.RefreshToken, SalesforceGrantType.AuthorizationCode), (token.RefreshToken, token.GrantType));
        Assert.Equal("Acme", record["Name"]);
        Assert.Equal(["authorization_code", "refresh_token"], _org.Grants);
        Assert.Equal("005loop", info.UserId);
        Assert.Equal([LoopbackOrg.RefreshToken], _org.RevokedTokens);
        Assert.Null(await Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task A_code_exchange_with_the_wrong_verifier_is_refused_and_nothing_is_stored()
    {
        var callback = new Uri("http://127.0.0.1/salesforce/callback");
        var request = OAuth.CreateAuthorizationRequest(callback);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirect = await browser.GetAsync(request.AuthorizationUrl, Ct);
        var code = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
        var otherVerifier = OAuth.CreateAuthorizationRequest(callback).CodeVerifier;

        var e = await Assert.ThrowsAsync<Atom.Salesforce.Client.Errors.SalesforceAuthenticationException>(
            () => OAuth.ExchangeCodeAsync("web-user", code, otherVerifier, callback, Ct));

        Assert.Equal("invalid_grant", e.ErrorCode);
        Assert.Equal("invalid code verifier", e.ErrorDescription);
        Assert.Null(await Tokens.GetAsync("web-user", Ct));
    }

    [Fact]
    public async Task The_JWT_bearer_flow_signs_in_and_signs_a_new_assertion_when_the_session_expires()
    {
        var token = await OAuth.AuthenticateWithJwtAsync("jwt-user", "integration@loop.example", Ct);
        var client = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("jwt-user");
        await client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", cancellationToken: Ct);

        // The session ends: the org refuses the stored access token, and the SDK mints a new one by itself.
        await Tokens.SaveAsync("jwt-user", token with { AccessToken = LoopbackOrg.ExpiredToken }, Ct);
        var record = await client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", cancellationToken: Ct);

        Assert.Equal((LoopbackOrg.FreshToken, SalesforceGrantType.JwtBearer, null), (token.AccessToken, token.GrantType, token.RefreshToken));
        Assert.Equal("Acme", record["Name"]);
        Assert.Equal(["urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:jwt-bearer"], _org.Grants);
        Assert.Equal("integration@loop.example", _org.LastJwtSubject);
        Assert.Equal(LoopbackOrg.FreshToken, (await Tokens.GetAsync("jwt-user", Ct))!.AccessToken);
    }
}
