using System.Net;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>Issued tokens expire after the session timeout and can be revoked, with Salesforce's answers.</summary>
public sealed class SessionAndRevokeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_issued_access_token_expires_after_the_session_timeout_and_the_refresh_token_gets_a_new_one()
    {
        using var org = new OAuthOrg(o => o.SessionTimeout = TimeSpan.FromMinutes(30));
        var signedIn = await org.SignInAsync();

        org.Time.Advance(TimeSpan.FromMinutes(29));
        var before = await org.RestAsync(signedIn.AccessToken);
        org.Time.Advance(TimeSpan.FromMinutes(1));
        var after = await org.RestAsync(signedIn.AccessToken);
        var (userInfoStatus, userInfoBody) = await org.GetWithTokenAsync("/services/oauth2/userinfo", signedIn.AccessToken);
        var refreshed = await org.TokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", signedIn["refresh_token"]), ("client_id", OAuthOrg.ClientId), ("client_secret", OAuthOrg.ClientSecret));

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", after.Body);
        Assert.Equal((HttpStatusCode.Forbidden, "Bad_OAuth_Token"), (userInfoStatus, userInfoBody));
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(refreshed.AccessToken)).Status);
        Assert.Equal(org.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), refreshed["issued_at"]);
    }

    [Fact]
    public async Task Revoking_an_access_token_ends_that_session_only()
    {
        using var org = new OAuthOrg();
        var first = await org.SignInAsync();
        var second = await org.SignInAsync();

        var revoked = await org.RevokeAsync(first.AccessToken);
        var again = await org.RevokeAsync(first.AccessToken);

        Assert.Equal((HttpStatusCode.OK, string.Empty), revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(first.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(second.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("""{"error":"invalid_token","error_description":"invalid token"}""", again.Body);
    }

    [Fact]
    public async Task Revoking_a_refresh_token_ends_every_access_token_issued_from_it()
    {
        using var org = new OAuthOrg(o => o.OAuth.ConnectedApps[0].RotateRefreshTokens = true);
        var signedIn = await org.SignInAsync();
        var refreshed = await org.TokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", signedIn["refresh_token"]), ("client_id", OAuthOrg.ClientId), ("client_secret", OAuthOrg.ClientSecret));
        var other = await org.SignInAsync();

        var revoked = await org.RevokeAsync(refreshed["refresh_token"]!);
        var reuse = await org.TokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", refreshed["refresh_token"]), ("client_id", OAuthOrg.ClientId), ("client_secret", OAuthOrg.ClientSecret));

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(signedIn.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(refreshed.AccessToken)).Status);
        Assert.Equal(("invalid_grant", "expired access/refresh token"), (reuse["error"], reuse["error_description"]));
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(other.AccessToken)).Status);
    }

    [Fact]
    public async Task Revoke_refuses_unknown_tokens_and_the_configured_token_which_OAuth_did_not_issue()
    {
        using var org = new OAuthOrg();

        var unknown = await org.RevokeAsync("00DHs0000000001!nothing");
        var configured = await org.RevokeAsync(SalesforceEmulatorOptions.DefaultAccessToken);
        var signedIn = await org.SignInAsync();
        using var blindGet = await org.Http.GetAsync(new Uri("/services/oauth2/revoke?token=" + Uri.EscapeDataString(signedIn["refresh_token"]!), UriKind.Relative), Ct);

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid_token","error_description":"invalid token"}"""), unknown);
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"unsupported_token_type","error_description":"this token type is not supported"}"""), configured);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(SalesforceEmulatorOptions.DefaultAccessToken)).Status);
        Assert.Equal(HttpStatusCode.OK, blindGet.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(signedIn.AccessToken)).Status);
    }
}
