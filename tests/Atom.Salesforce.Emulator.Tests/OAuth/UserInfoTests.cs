using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>userinfo, the identity URL, and the options checked when the org is made.</summary>
public sealed class UserInfoTests
{
    [Fact]
    public async Task Userinfo_has_the_standard_claims_of_the_tokens_user_and_the_orgs_URLs()
    {
        using var org = new OAuthOrg(o => o.OAuth.Users.Add(new EmulatorUser("jane@acme.example") { FirstName = "Jane", LastName = "Doe", Email = "jane.doe@acme.example" }));
        var token = await org.ExchangeAsync(await org.CodeAsync(loginHint: "jane@acme.example"));

        var (status, body) = await org.GetWithTokenAsync("/services/oauth2/userinfo", token.AccessToken);
        using var json = JsonDocument.Parse(body);
        var claims = json.RootElement;
        string? Claim(string name) => claims.GetProperty(name).GetString();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(token["id"], Claim("sub"));
        Assert.Equal(token["id"]![(token["id"]!.LastIndexOf('/') + 1)..], Claim("user_id"));
        Assert.StartsWith("005", Claim("user_id"), StringComparison.Ordinal);
        Assert.Equal("00DHs0000000001MAA", Claim("organization_id"));
        Assert.Equal(("jane@acme.example", "Jane Doe", "jane.doe@acme.example"), (Claim("preferred_username"), Claim("name"), Claim("email")));
        Assert.Equal(("Jane", "Doe"), (Claim("given_name"), Claim("family_name")));
        Assert.Equal(("GMT", "en_US", "STANDARD"), (Claim("zoneinfo"), Claim("locale"), Claim("user_type")));
        Assert.True(claims.GetProperty("active").GetBoolean());
        Assert.Equal("https://emulator.my.salesforce.com/services/data/v{version}/", claims.GetProperty("urls").GetProperty("rest").GetString());
        Assert.Equal("https://emulator.my.salesforce.com/services/data/v{version}/query/", claims.GetProperty("urls").GetProperty("query").GetString());
    }

    [Fact]
    public async Task The_identity_URL_of_the_token_response_answers_with_the_user()
    {
        using var org = new OAuthOrg();
        var token = await org.SignInAsync();
        var path = new Uri(token["id"]!).AbsolutePath;

        var (status, body) = await org.GetWithTokenAsync(path, token.AccessToken);
        var (badUserStatus, badUser) = await org.GetWithTokenAsync("/id/00DHs0000000001MAA/001Hs0000000001AAA", token.AccessToken);
        using var json = JsonDocument.Parse(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(token["id"], json.RootElement.GetProperty("id").GetString());
        Assert.Equal(EmulatorOAuthOptions.AdminUsername, json.RootElement.GetProperty("username").GetString());
        Assert.True(json.RootElement.GetProperty("asserted_user").GetBoolean());
        Assert.Equal((HttpStatusCode.NotFound, "Bad_Id"), (badUserStatus, badUser));
    }

    [Fact]
    public async Task Userinfo_without_a_token_or_with_an_unknown_one_is_forbidden()
    {
        using var org = new OAuthOrg();

        var missing = await org.GetWithTokenAsync("/services/oauth2/userinfo", null);
        var unknown = await org.GetWithTokenAsync("/services/oauth2/userinfo", "00DHs0000000001!nothing");
        var configured = await org.GetWithTokenAsync("/services/oauth2/userinfo?oauth_token=" + Uri.EscapeDataString(SalesforceEmulatorOptions.DefaultAccessToken), null);

        Assert.Equal((HttpStatusCode.Forbidden, "Missing_OAuth_Token"), missing);
        Assert.Equal((HttpStatusCode.Forbidden, "Bad_OAuth_Token"), unknown);
        Assert.Equal(HttpStatusCode.OK, configured.Status);
    }

    [Fact]
    public void The_admin_is_the_documented_username_and_options_naming_unknown_users_or_twice_the_same_app_fail_at_once()
    {
        var emulator = new SalesforceEmulator();
        var admin = emulator.Org.Find(emulator.Org.AdminUserId)!;

        var runAs = new SalesforceEmulatorOptions();
        runAs.OAuth.ConnectedApps[0].RunAsUsername = "nobody@acme.example";
        var defaultUser = new SalesforceEmulatorOptions();
        defaultUser.OAuth.DefaultUsername = "nobody@acme.example";
        var twice = new SalesforceEmulatorOptions();
        twice.OAuth.ConnectedApps.Add(new ConnectedApp(EmulatorOAuthOptions.DefaultClientId));

        Assert.Equal(EmulatorOAuthOptions.AdminUsername, admin["Username"]);
        Assert.Contains("nobody@acme.example", Assert.Throws<ArgumentException>(() => new SalesforceEmulator(runAs)).Message, StringComparison.Ordinal);
        Assert.Contains("nobody@acme.example", Assert.Throws<ArgumentException>(() => new SalesforceEmulator(defaultUser)).Message, StringComparison.Ordinal);
        Assert.Contains(EmulatorOAuthOptions.DefaultClientId, Assert.Throws<ArgumentException>(() => new SalesforceEmulator(twice)).Message, StringComparison.Ordinal);
    }
}
