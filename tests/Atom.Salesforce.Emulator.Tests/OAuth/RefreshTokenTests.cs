using System.Net;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>The refresh-token grant, with and without rotation.</summary>
public sealed class RefreshTokenTests
{
    [Fact]
    public async Task Without_rotation_the_refresh_token_stays_good_and_no_new_one_comes_back()
    {
        using var org = new OAuthOrg();
        var signedIn = await org.SignInAsync();

        var first = await Refresh(org, signedIn["refresh_token"]);
        var second = await Refresh(org, signedIn["refresh_token"]);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.False(first.Has("refresh_token"));
        Assert.NotEqual(signedIn.AccessToken, first.AccessToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(signedIn["id"], first["id"]);
        Assert.Equal(signedIn["scope"], first["scope"]);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(first.AccessToken)).Status);
    }

    [Fact]
    public async Task With_rotation_each_refresh_returns_a_new_refresh_token_and_the_old_one_stops_working()
    {
        using var org = new OAuthOrg(o => o.OAuth.ConnectedApps[0].RotateRefreshTokens = true);
        var signedIn = await org.SignInAsync();

        var rotated = await Refresh(org, signedIn["refresh_token"]);
        var reused = await Refresh(org, signedIn["refresh_token"]);
        var next = await Refresh(org, rotated["refresh_token"]);

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.StartsWith("5Aep861", rotated["refresh_token"], StringComparison.Ordinal);
        Assert.NotEqual(signedIn["refresh_token"], rotated["refresh_token"]);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", "expired access/refresh token"), (reused.Status, reused["error"], reused["error_description"]));
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.NotEqual(rotated["refresh_token"], next["refresh_token"]);
    }

    [Fact]
    public async Task An_unknown_refresh_token_another_clients_token_or_a_missing_secret_is_refused()
    {
        using var org = new OAuthOrg(o => o.OAuth.ConnectedApps.Add(new ConnectedApp("other-client") { ClientSecret = "other-secret" }));
        var signedIn = await org.SignInAsync();

        var unknown = await Refresh(org, "5Aep861nothing");
        var otherClient = await org.TokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", signedIn["refresh_token"]), ("client_id", "other-client"), ("client_secret", "other-secret"));
        var noSecret = await Refresh(org, signedIn["refresh_token"], secret: null);
        var missing = await org.TokenAsync(("grant_type", "refresh_token"), ("client_id", OAuthOrg.ClientId), ("client_secret", OAuthOrg.ClientSecret));

        Assert.Equal(("invalid_grant", "expired access/refresh token"), (unknown["error"], unknown["error_description"]));
        Assert.Equal(("invalid_grant", "expired access/refresh token"), (otherClient["error"], otherClient["error_description"]));
        Assert.Equal(("invalid_client", "invalid client credentials"), (noSecret["error"], noSecret["error_description"]));
        Assert.Equal(("invalid_grant", "expired access/refresh token"), (missing["error"], missing["error_description"]));
        Assert.Equal(HttpStatusCode.OK, (await Refresh(org, signedIn["refresh_token"])).Status);
    }

    [Fact]
    public async Task A_grant_won_with_PKCE_and_no_secret_refreshes_without_a_secret()
    {
        using var org = new OAuthOrg();
        const string verifier = "M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag-abc";
        var signedIn = await org.ExchangeAsync(await org.CodeAsync(OAuthOrg.Challenge(verifier)), verifier, secret: null);

        var refreshed = await Refresh(org, signedIn["refresh_token"], secret: null);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(refreshed.AccessToken)).Status);
    }

    private static Task<TokenResult> Refresh(OAuthOrg org, string? refreshToken, string? secret = OAuthOrg.ClientSecret) =>
        org.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", OAuthOrg.ClientId), ("client_secret", secret));
}
