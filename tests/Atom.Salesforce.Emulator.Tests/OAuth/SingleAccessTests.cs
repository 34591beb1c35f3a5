using System.Net;
using System.Text.Json;

namespace Atom.Salesforce.Emulator.Tests.OAuth;

/// <summary>
/// The Single Access UI Bridge API, <c>/services/oauth2/singleaccess</c> (Salesforce Help, "Generate a Frontdoor URL to
/// Bridge into UI Sessions"), which <c>sf org open</c> calls: a session's access token is exchanged for a one-time
/// <c>frontdoor_uri</c> on the org's domain that starts the UI at <c>redirect_uri</c>.
/// </summary>
public sealed class SingleAccessTests
{
    [Fact]
    public async Task A_session_gets_a_one_time_frontdoor_URL_starting_at_the_redirect_URI()
    {
        using var org = new OAuthOrg();
        var token = await org.SignInAsync();

        var (status, body) = await org.GetWithTokenAsync("/services/oauth2/singleaccess?redirect_uri=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome", token.AccessToken);
        var (_, again) = await org.GetWithTokenAsync("/services/oauth2/singleaccess", token.AccessToken);
        var (refusedStatus, _) = await org.GetWithTokenAsync("/services/oauth2/singleaccess", "00DHs0000000001!not-a-session");

        var uri = new Uri(JsonDocument.Parse(body).RootElement.GetProperty("frontdoor_uri").GetString()!);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((org.Emulator.InstanceUrl.Host, "/secur/frontdoor.jsp"), (uri.Host, uri.AbsolutePath));
        Assert.Equal("/lightning/setup/SetupOneHome/home", query["startURL"]);
        Assert.False(string.IsNullOrEmpty(query["otp"]));
        Assert.NotEqual(query["otp"], System.Web.HttpUtility.ParseQueryString(new Uri(JsonDocument.Parse(again).RootElement.GetProperty("frontdoor_uri").GetString()!).Query)["otp"]);
        Assert.Equal(HttpStatusCode.Forbidden, refusedStatus);
    }
}
