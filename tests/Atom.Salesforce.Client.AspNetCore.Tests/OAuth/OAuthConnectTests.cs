using System.Net;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Atom.Salesforce.Client.AspNetCore.Tests.OAuth;

public sealed class OAuthConnectTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private const string AuthorizePath = "/api/salesforce/enhanced/oauth/authorize";

    private PackHost Host => fixture.Host;

    /// <summary>Starts the flow as <paramref name="user"/> and lets the emulated Salesforce approve it: the callback URL and the flow cookie.</summary>
    private async Task<(Uri Callback, string Cookie)> StartAsync(string user)
    {
        var start = await Host.GetAsync(AuthorizePath, user);
        Assert.Equal(HttpStatusCode.Redirect, start.Status);
        var authorize = start.Location!;
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Equal("http://localhost/api/salesforce/enhanced/oauth/callback", query["redirect_uri"].ToString());
        var cookie = start.Headers["Set-Cookie"].Split(';')[0];
        Assert.StartsWith("atom_sf_oauth=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", start.Headers["Set-Cookie"], StringComparison.OrdinalIgnoreCase);

        using var salesforce = new HttpClient(Host.Emulator.CreateHandler());
        using var approved = await salesforce.GetAsync(authorize, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Found, approved.StatusCode);
        return (approved.Headers.Location!, cookie);
    }

    private async Task<Reply> CallbackAsync(Uri callback, string? user, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, callback.PathAndQuery);
        if (user is not null)
        {
            request.Headers.Add(PackHost.UserHeader, user);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await Host.SendAsync(request);
    }

    [Fact]
    public async Task The_signed_in_user_connects_and_the_tokens_are_stored_for_them()
    {
        const string frank = "frank";
        Assert.Null(await Host.TokenStore.GetAsync(frank, TestContext.Current.CancellationToken));
        var (callback, cookie) = await StartAsync(frank);
        var data = (await CallbackAsync(callback, frank, cookie)).Data;
        Assert.True(data.GetProperty("connected").GetBoolean());
        Assert.Equal(frank, data.GetProperty("user_id").GetString());

        var token = await Host.TokenStore.GetAsync(frank, TestContext.Current.CancellationToken);
        Assert.NotNull(token);
        Assert.NotNull(token.RefreshToken);
        (await Host.PostAsync("accounts/list", frank, new { limit = 1 })).Data.GetProperty("records");

        // A code is used once: replaying the callback finds no flow any more.
        (await CallbackAsync(callback, frank, cookie: null)).AssertError(400, "INVALID_STATE");
    }

    [Fact]
    public async Task The_callback_refuses_another_user_a_wrong_state_and_no_sign_in()
    {
        var (callback, cookie) = await StartAsync("grace");
        (await CallbackAsync(callback, "mallory", cookie)).AssertError(403, "USER_MISMATCH");
        (await CallbackAsync(callback, null, cookie)).AssertError(401, "NOT_AUTHENTICATED");

        var tampered = new Uri(callback.ToString().Replace("state=", "state=x", StringComparison.Ordinal));
        (await CallbackAsync(tampered, "grace", cookie)).AssertError(400, "INVALID_STATE");
        (await CallbackAsync(callback, "grace", "atom_sf_oauth=forged")).AssertError(400, "INVALID_STATE");
        Assert.Null(await Host.TokenStore.GetAsync("grace", TestContext.Current.CancellationToken));
        Assert.Null(await Host.TokenStore.GetAsync("mallory", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Authorize_needs_a_signed_in_user_and_a_salesforce_refusal_is_reported()
    {
        (await Host.GetAsync(AuthorizePath, signedInAs: null)).AssertError(401, "NOT_AUTHENTICATED");
        (await Host.GetAsync("/api/salesforce/enhanced/oauth/callback?error=access_denied&state=x", "henry")).AssertError(400, "access_denied");
    }

    [Fact]
    public async Task Disconnect_revokes_the_token_at_salesforce_deletes_it_and_audits_it()
    {
        const string ivy = "ivy";
        var (callback, cookie) = await StartAsync(ivy);
        (await CallbackAsync(callback, ivy, cookie)).Data.GetProperty("connected");
        var refreshToken = (await Host.TokenStore.GetAsync(ivy, TestContext.Current.CancellationToken))!.RefreshToken!;

        var data = (await Host.PostAsync("oauth/disconnect", ivy, new { })).Data;
        Assert.True(data.GetProperty("disconnected").GetBoolean());
        Assert.Equal(ivy, data.GetProperty("user_id").GetString());

        Assert.Null(await Host.TokenStore.GetAsync(ivy, TestContext.Current.CancellationToken));
        Assert.Equal("revoked", (await Host.AuditActionsAsync(ivy))[^1]);
        (await Host.PostAsync("accounts/list", ivy, new { limit = 1 })).AssertError(401, "no_token");

        // Salesforce no longer honours the refresh token.
        using var salesforce = new HttpClient(Host.Emulator.CreateHandler());
        using var refresh = await salesforce.PostAsync(new Uri(Host.Emulator.InstanceUrl, "/services/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = "emulator-client", ["client_secret"] = "emulator-secret",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Contains("invalid_grant", await refresh.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Disconnecting again, or another user, is refused or harmless: nothing is stored.
        Assert.True((await Host.PostAsync("oauth/disconnect", ivy, new { })).Data.GetProperty("disconnected").GetBoolean());
        (await Host.PostAsync("oauth/disconnect", ivy, new { user_id = PackHost.Alice })).AssertError(403, "USER_MISMATCH");
        (await Host.PostAsync("oauth/disconnect", signedInAs: null, new { })).AssertError(401, "NOT_AUTHENTICATED");
        Assert.NotNull(await Host.TokenStore.GetAsync(PackHost.Alice, TestContext.Current.CancellationToken));
    }
}
