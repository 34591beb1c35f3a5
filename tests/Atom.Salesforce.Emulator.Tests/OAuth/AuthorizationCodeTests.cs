using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>The web server flow: authorize, then the code grant, with and without PKCE.</summary>
public sealed class AuthorizationCodeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authorize_redirects_with_a_code_and_the_state_and_the_code_buys_a_token_in_Salesforces_shape()
    {
        using var org = new OAuthOrg();

        var redirect = await org.RedirectAsync(state: "st/8+=");
        var token = await org.ExchangeAsync(redirect["code"]!);
        var rest = await org.RestAsync(token.AccessToken);

        Assert.Equal("st/8+=", redirect["state"]);
        Assert.StartsWith("aPrx", redirect["code"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal(
            ["access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"],
            token.Body.EnumerateObject().Select(p => p.Name));
        var adminId = org.Emulator.Org.AdminUserId;
        Assert.Equal($"https://emulator.my.salesforce.com/id/00DHs0000000001MAA/{adminId}", token["id"]);
        Assert.Equal("https://emulator.my.salesforce.com", token["instance_url"]);
        Assert.Equal(("Bearer", "id api refresh_token"), (token["token_type"], token["scope"]));
        Assert.Equal(OAuthOrg.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), token["issued_at"]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(OAuthOrg.ClientSecret), Encoding.UTF8.GetBytes(token["id"] + token["issued_at"])));
        Assert.Equal(signature, token["signature"]);
        Assert.StartsWith("00DHs0000000001!", token.AccessToken, StringComparison.Ordinal);
        Assert.StartsWith("5Aep861", token["refresh_token"], StringComparison.Ordinal);
        Assert.True(token.CacheControl?.NoStore);
        Assert.Equal("application/json; charset=UTF-8", token.ContentType);
        Assert.Equal(HttpStatusCode.OK, rest.Status);
    }

    [Fact]
    public async Task A_code_works_once_and_only_until_it_expires()
    {
        using var org = new OAuthOrg();
        var code = await org.CodeAsync();
        var late = await org.CodeAsync();

        var first = await org.ExchangeAsync(code);
        var again = await org.ExchangeAsync(code);
        org.Time.Advance(TimeSpan.FromMinutes(15));
        var expired = await org.ExchangeAsync(late);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", "invalid authorization code"), (again.Status, again["error"], again["error_description"]));
        Assert.Equal(("invalid_grant", "expired authorization code"), (expired["error"], expired["error_description"]));
        Assert.True(again.CacheControl?.NoStore);
    }

    [Fact]
    public async Task PKCE_is_enforced_when_a_challenge_was_sent_and_then_stands_in_for_the_secret()
    {
        using var org = new OAuthOrg();
        const string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXkdBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        var challenge = OAuthOrg.Challenge(verifier);

        var none = await org.ExchangeAsync(await org.CodeAsync(challenge), verifier: null);
        var wrong = await org.ExchangeAsync(await org.CodeAsync(challenge), verifier: verifier + "x");
        var publicClient = await org.ExchangeAsync(await org.CodeAsync(challenge), verifier, secret: null);
        var withSecret = await org.ExchangeAsync(await org.CodeAsync(challenge), verifier);

        Assert.Equal(("invalid_grant", "invalid code verifier"), (none["error"], none["error_description"]));
        Assert.Equal(("invalid_grant", "invalid code verifier"), (wrong["error"], wrong["error_description"]));
        Assert.Equal(HttpStatusCode.OK, publicClient.Status);
        Assert.Equal(HttpStatusCode.OK, withSecret.Status);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(publicClient.AccessToken)).Status);
    }

    [Fact]
    public async Task Without_PKCE_the_code_grant_needs_the_right_secret_client_and_redirect_uri()
    {
        using var org = new OAuthOrg();

        var noSecret = await org.ExchangeAsync(await org.CodeAsync(), secret: null);
        var badSecret = await org.ExchangeAsync(await org.CodeAsync(), secret: "guess");
        var otherRedirect = await org.ExchangeAsync(await org.CodeAsync(), redirectUri: "https://app.example/other");
        var unknownClient = await org.TokenAsync(
            ("grant_type", "authorization_code"), ("code", await org.CodeAsync()), ("client_id", "nobody"), ("redirect_uri", OAuthOrg.Callback));

        Assert.Equal(("invalid_client", "invalid client credentials"), (noSecret["error"], noSecret["error_description"]));
        Assert.Equal(("invalid_client", "invalid client credentials"), (badSecret["error"], badSecret["error_description"]));
        Assert.Equal(("redirect_uri_mismatch", "redirect_uri must match configuration"), (otherRedirect["error"], otherRedirect["error_description"]));
        Assert.Equal(("invalid_client_id", "client identifier invalid"), (unknownClient["error"], unknownClient["error_description"]));
        Assert.All([noSecret, badSecret, otherRedirect, unknownClient], r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.All([noSecret, badSecret, otherRedirect, unknownClient], r => Assert.DoesNotContain("guess", r.Body.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refresh_token_comes_only_with_the_refresh_token_or_offline_access_scope()
    {
        using var org = new OAuthOrg();

        var api = await org.SignInAsync("api");
        var offline = await org.SignInAsync("api  offline_access");

        Assert.False(api.Has("refresh_token"));
        Assert.Equal("api", api["scope"]);
        Assert.True(offline.Has("refresh_token"));
        Assert.Equal("api offline_access", offline["scope"]);
    }

    [Fact]
    public async Task An_unknown_client_or_callback_gets_an_error_page_and_never_a_redirect()
    {
        using var org = new OAuthOrg(o => o.OAuth.ConnectedApps[0].CallbackUrls.Add(new Uri(OAuthOrg.Callback)));

        using var unknownClient = await org.AuthorizeAsync(("response_type", "code"), ("client_id", "nobody"), ("redirect_uri", OAuthOrg.Callback));
        using var otherCallback = await org.AuthorizeAsync(("response_type", "code"), ("client_id", OAuthOrg.ClientId), ("redirect_uri", "https://evil.example/cb"));
        using var noCallback = await org.AuthorizeAsync(("response_type", "code"), ("client_id", OAuthOrg.ClientId));

        Assert.All([unknownClient, otherCallback, noCallback], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.All([unknownClient, otherCallback, noCallback], r => Assert.Null(r.Headers.Location));
        Assert.Equal("text/html", unknownClient.Content.Headers.ContentType?.MediaType);
        Assert.Contains("invalid_client_id", await unknownClient.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("redirect_uri_mismatch", await otherCallback.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotNull((await org.RedirectAsync())["code"]);
    }

    [Fact]
    public async Task Other_authorize_errors_go_back_on_the_redirect_with_the_state()
    {
        using var org = new OAuthOrg();

        var implicitFlow = await ErrorRedirectAsync(org, ("response_type", "token"));
        var plainChallenge = await ErrorRedirectAsync(org, ("response_type", "code"), ("code_challenge", "abc"), ("code_challenge_method", "plain"));
        var unknownUser = await ErrorRedirectAsync(org, ("response_type", "code"), ("login_hint", "nobody@acme.example"));

        Assert.Equal(("unsupported_response_type", "response type not supported", "s1"), implicitFlow);
        Assert.Equal(("invalid_request", "invalid code challenge", "s1"), plainChallenge);
        Assert.Equal(("access_denied", "end-user denied authorization", "s1"), unknownUser);
    }

    [Fact]
    public async Task The_login_hint_or_the_default_username_picks_who_signs_in()
    {
        using var org = new OAuthOrg(o =>
        {
            o.OAuth.Users.Add(new EmulatorUser("jane@acme.example") { FirstName = "Jane", LastName = "Doe" });
            o.OAuth.Users.Add(new EmulatorUser("sam@acme.example"));
            o.OAuth.DefaultUsername = "sam@acme.example";
        });

        var hinted = await org.ExchangeAsync(await org.CodeAsync(loginHint: "JANE@acme.example"));
        var byDefault = await org.ExchangeAsync(await org.CodeAsync());
        var (_, hintedInfo) = await org.GetWithTokenAsync("/services/oauth2/userinfo", hinted.AccessToken);
        var (_, defaultInfo) = await org.GetWithTokenAsync("/services/oauth2/userinfo", byDefault.AccessToken);

        Assert.Contains("\"preferred_username\":\"jane@acme.example\"", hintedInfo, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"Jane Doe\"", hintedInfo, StringComparison.Ordinal);
        Assert.Contains("\"preferred_username\":\"sam@acme.example\"", defaultInfo, StringComparison.Ordinal);
    }

    private static async Task<(string? Error, string? Description, string? State)> ErrorRedirectAsync(OAuthOrg org, params (string, string?)[] query)
    {
        using var response = await org.AuthorizeAsync([("client_id", OAuthOrg.ClientId), ("redirect_uri", OAuthOrg.Callback), ("state", "s1"), .. query]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var values = HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Null(values["code"]);
        return (values["error"], values["error_description"], values["state"]);
    }
}
