using System.Net;
using System.Text.RegularExpressions;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>
/// Access tokens look like Salesforce session ids: the org id's first 15 characters, <c>!</c>, then <c>[.\w]*</c>. That is
/// the check the Salesforce CLI makes before it uses a token (sfdx-core <c>accessTokenRegex = /(00D\w{12,15})![.\w]*/</c>).
/// </summary>
public sealed partial class AccessTokenShapeTests
{
    [GeneratedRegex(@"^00D\w{12,15}![.\w]+$")]
    private static partial Regex SessionIdShape();

    [Fact]
    public async Task The_default_and_issued_tokens_have_the_session_id_shape_with_the_orgs_id()
    {
        using var org = new OAuthOrg();
        var issued = await org.SignInAsync();

        Assert.Matches(SessionIdShape(), SalesforceEmulatorOptions.DefaultAccessToken);
        Assert.Equal(SalesforceEmulatorOptions.DefaultAccessToken, new SalesforceEmulatorOptions().AccessToken);
        Assert.Matches(SessionIdShape(), issued.AccessToken);
        Assert.Equal(SalesforceEmulatorOptions.DefaultAccessToken[..15], issued.AccessToken[..15]);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(SalesforceEmulatorOptions.DefaultAccessToken)).Status);
    }

    [Fact]
    public async Task A_configured_token_is_accepted_exactly_as_given()
    {
        using var org = new OAuthOrg(o => o.AccessToken = "my-own-token");

        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync("my-own-token")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(SalesforceEmulatorOptions.DefaultAccessToken)).Status);
    }
}
