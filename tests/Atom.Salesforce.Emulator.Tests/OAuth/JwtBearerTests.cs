using System.Net;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>The JWT bearer grant: RS256 against the app's certificate, then iss, aud, exp and sub.</summary>
public sealed class JwtBearerTests
{
    private const string Grant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    [Fact]
    public async Task A_signed_assertion_for_a_user_signs_that_user_in_without_a_refresh_token()
    {
        using var org = NewOrg();

        var token = await org.TokenAsync(("grant_type", Grant), ("assertion", Assertion(org)));
        var (status, info) = await org.GetWithTokenAsync("/services/oauth2/userinfo", token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.False(token.Has("refresh_token"));
        Assert.True(token.CacheControl?.NoStore);
        Assert.Equal("Bearer", token["token_type"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"preferred_username\":\"integration@acme.example\"", info, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(token.AccessToken)).Status);
    }

    [Theory]
    [InlineData("https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com/")]
    [InlineData("https://emulator.my.salesforce.com")]
    public async Task The_login_hosts_and_the_orgs_own_URL_are_valid_audiences(string audience)
    {
        using var org = NewOrg();

        var token = await org.TokenAsync(("grant_type", Grant), ("assertion", Assertion(org, aud: audience)));

        Assert.Equal(HttpStatusCode.OK, token.Status);
    }

    [Fact]
    public async Task Each_broken_claim_gets_Salesforces_error()
    {
        using var org = NewOrg();
        var now = OAuthOrg.Start.ToUnixTimeSeconds();

        var otherKey = await RefusedAsync(org, Jwt.Sign(Jwt.OtherKey, Claims()));
        var hs256 = await RefusedAsync(org, Jwt.Sign(Jwt.Key, Claims(), alg: "HS256"));
        var garbage = await RefusedAsync(org, "not.a-jwt");
        var audience = await RefusedAsync(org, Assertion(org, aud: "https://evil.example"));
        var expired = await RefusedAsync(org, Assertion(org, exp: now));
        var tooFar = await RefusedAsync(org, Assertion(org, exp: now + 600));
        var unknownUser = await RefusedAsync(org, Assertion(org, sub: "nobody@acme.example"));
        var unknownApp = await RefusedAsync(org, Assertion(org, iss: "nobody"));

        Assert.Equal(("invalid_grant", "invalid assertion"), otherKey);
        Assert.Equal(("invalid_grant", "invalid assertion"), hs256);
        Assert.Equal(("invalid_grant", "invalid assertion"), garbage);
        Assert.Equal(("invalid_grant", "audience is invalid"), audience);
        Assert.Equal(("invalid_grant", "expired authorization code"), expired);
        Assert.Equal(("invalid_grant", "invalid assertion"), tooFar);
        Assert.Equal(("invalid_grant", "user hasn't approved this consumer"), unknownUser);
        Assert.Equal(("invalid_client_id", "client identifier invalid"), unknownApp);
    }

    [Fact]
    public async Task An_app_without_a_certificate_refuses_every_assertion()
    {
        using var org = new OAuthOrg();

        var refused = await RefusedAsync(org, Assertion(org));

        Assert.Equal(("invalid_grant", "invalid assertion"), refused);
    }

    private static OAuthOrg NewOrg() => new(o =>
    {
        o.OAuth.ConnectedApps[0].JwtCertificate = Jwt.Certificate;
        o.OAuth.Users.Add(new Atom.Salesforce.Emulator.OAuth.EmulatorUser("integration@acme.example"));
    });

    private static Dictionary<string, object> Claims(
        string iss = OAuthOrg.ClientId, string sub = "integration@acme.example", string aud = "https://login.salesforce.com", long? exp = null, DateTimeOffset? now = null) => new()
    {
        ["iss"] = iss,
        ["sub"] = sub,
        ["aud"] = aud,
        ["exp"] = exp ?? (now ?? OAuthOrg.Start).AddMinutes(2).ToUnixTimeSeconds(),
    };

    private static string Assertion(
        OAuthOrg org, string iss = OAuthOrg.ClientId, string sub = "integration@acme.example", string aud = "https://login.salesforce.com", long? exp = null) =>
        Jwt.Sign(Jwt.Key, Claims(iss, sub, aud, exp, org.Time.GetUtcNow()));

    private static async Task<(string? Error, string? Description)> RefusedAsync(OAuthOrg org, string assertion)
    {
        var result = await org.TokenAsync(("grant_type", Grant), ("assertion", assertion));
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        return (result["error"], result["error_description"]);
    }
}
