using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>The client-credentials and username-password grants, and grants the org does not know.</summary>
public sealed class ClientCredentialsAndPasswordTests
{
    [Fact]
    public async Task Client_credentials_in_the_form_or_a_Basic_header_sign_in_the_run_as_user()
    {
        using var org = new OAuthOrg(o =>
        {
            o.OAuth.Users.Add(new EmulatorUser("integration@acme.example"));
            o.OAuth.ConnectedApps[0].RunAsUsername = "integration@acme.example";
        });
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OAuthOrg.ClientId}:{OAuthOrg.ClientSecret}")));

        var inForm = await org.TokenAsync(("grant_type", "client_credentials"), ("client_id", OAuthOrg.ClientId), ("client_secret", OAuthOrg.ClientSecret));
        var inHeader = await org.TokenAsync(basic, ("grant_type", "client_credentials"));
        var (_, info) = await org.GetWithTokenAsync("/services/oauth2/userinfo", inHeader.AccessToken);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (inForm.Status, inHeader.Status));
        Assert.False(inForm.Has("refresh_token"));
        Assert.Equal(inForm["id"], inHeader["id"]);
        Assert.Contains("\"preferred_username\":\"integration@acme.example\"", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_credentials_without_the_right_secret_or_client_are_refused()
    {
        using var org = new OAuthOrg();

        var wrong = await org.TokenAsync(("grant_type", "client_credentials"), ("client_id", OAuthOrg.ClientId), ("client_secret", "guess"));
        var missing = await org.TokenAsync(("grant_type", "client_credentials"), ("client_id", OAuthOrg.ClientId));
        var unknown = await org.TokenAsync(("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", OAuthOrg.ClientSecret));

        Assert.Equal(("invalid_client", "invalid client credentials"), (wrong["error"], wrong["error_description"]));
        Assert.Equal(("invalid_client", "invalid client credentials"), (missing["error"], missing["error_description"]));
        Assert.Equal(("invalid_client_id", "client identifier invalid"), (unknown["error"], unknown["error_description"]));
    }

    [Fact]
    public async Task The_password_flow_takes_the_password_followed_by_the_security_token()
    {
        using var org = new OAuthOrg(o =>
        {
            o.OAuth.Users.Add(new EmulatorUser("jane@acme.example") { Password = "s3cret!", SecurityToken = "TOKEN42" });
            o.OAuth.Users.Add(new EmulatorUser(EmulatorOAuthOptions.AdminUsername) { Password = "admin-pass" });
            o.OAuth.Users.Add(new EmulatorUser("nopass@acme.example"));
        });

        var jane = await Password(org, "jane@acme.example", "s3cret!TOKEN42");
        var admin = await Password(org, "ADMIN@emulator.atom", "admin-pass");
        var noToken = await Password(org, "jane@acme.example", "s3cret!");
        var noPassword = await Password(org, "nopass@acme.example", "anything");
        var unknown = await Password(org, "nobody@acme.example", "s3cret!TOKEN42");
        var noSecret = await org.TokenAsync(("grant_type", "password"), ("client_id", OAuthOrg.ClientId), ("username", "jane@acme.example"), ("password", "s3cret!TOKEN42"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (jane.Status, admin.Status));
        Assert.False(jane.Has("refresh_token"));
        Assert.EndsWith("/" + org.Emulator.Org.AdminUserId, admin["id"], StringComparison.Ordinal);
        Assert.All([noToken, noPassword, unknown], r => Assert.Equal(("invalid_grant", "authentication failure"), (r["error"], r["error_description"])));
        Assert.Equal("invalid_client", noSecret["error"]);
        Assert.All([noToken, noPassword, unknown, noSecret], r => Assert.DoesNotContain("s3cret", r.Body.GetRawText(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("implicit")]
    [InlineData("urn:ietf:params:oauth:grant-type:saml2-bearer")]
    public async Task A_missing_or_unknown_grant_type_is_unsupported(string? grantType)
    {
        using var org = new OAuthOrg();

        var result = await org.TokenAsync(("grant_type", grantType), ("client_id", OAuthOrg.ClientId));

        Assert.Equal((HttpStatusCode.BadRequest, "unsupported_grant_type", "grant type not supported"), (result.Status, result["error"], result["error_description"]));
    }

    private static Task<TokenResult> Password(OAuthOrg org, string username, string password) =>
        org.TokenAsync(("grant_type", "password"), ("client_id", OAuthOrg.ClientId), ("client_secret", OAuthOrg.ClientSecret), ("username", username), ("password", password));
}
