using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;

namespace Atom.Salesforce.Client.AspNetCore.Tests.OAuth;

/// <summary>
/// A user with several Salesforce logins: the routes take <c>username</c> to pick one, refuse to guess without it, and
/// <c>oauth/logins</c> lists them (never a token).
/// </summary>
public sealed class MultiLoginTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private const string Gina = "gina";
    private const string Production = "gina@acme.example";
    private const string Sandbox = "gina@acme.example.uat";

    private PackHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task ConnectBothAsync()
    {
        var token = new SalesforceToken(Host.Emulator.Options.AccessToken!, Host.Emulator.InstanceUrl, DateTimeOffset.UtcNow) { Email = "gina@acme.example" };

        // The production login holds a token the emulated org never issued: disconnecting it must not revoke the shared one.
        await Host.TokenStore.SaveAsync(Gina, token with { Username = Production, AccessToken = "00Dxx0000000001!AQ4AQ.gina-production" }, Ct);
        await Host.TokenStore.SaveAsync(Gina, token with { Username = Sandbox }, Ct);
    }

    [Fact]
    public async Task A_request_names_the_login_with_username_and_without_it_is_told_to()
    {
        await ConnectBothAsync();

        (await Host.PostAsync("accounts/list", Gina, new { limit = 1 })).AssertError(400, "LOGIN_REQUIRED");
        var data = (await Host.PostAsync("accounts/list", Gina, new { username = Sandbox, limit = 1 })).Data;
        Assert.Equal(System.Text.Json.JsonValueKind.Array, data.GetProperty("records").ValueKind);
        (await Host.PostAsync("accounts/list", Gina, new { username = "nobody@acme.example", limit = 1 })).AssertError(401, "no_token");
        (await Host.PostAsync("accounts/list", Gina, new { username = " ", limit = 1 })).AssertError(400, "INVALID_REQUEST");
    }

    [Fact]
    public async Task The_logins_route_lists_them_and_disconnect_with_username_removes_only_that_one()
    {
        await ConnectBothAsync();

        var listed = await Host.GetAsync("/api/salesforce/enhanced/oauth/logins", Gina);
        var logins = listed.Data.GetProperty("logins").EnumerateArray().ToList();
        Assert.Equal([Production, Sandbox], logins.Select(l => l.GetProperty("username").GetString()));
        Assert.All(logins, l => Assert.True(l.GetProperty("is_active").GetBoolean()));
        Assert.Equal(Host.Emulator.InstanceUrl.AbsoluteUri, logins[0].GetProperty("instance_url").GetString());
        Assert.DoesNotContain(Host.Emulator.Options.AccessToken!, listed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("gina-production", listed.Text, StringComparison.Ordinal);

        Assert.True((await Host.PostAsync("oauth/disconnect", Gina, new { username = Production })).Data.GetProperty("disconnected").GetBoolean());

        var left = (await Host.PostAsync("oauth/logins", Gina, new { })).Data.GetProperty("logins").EnumerateArray();
        Assert.Equal([Sandbox], left.Select(l => l.GetProperty("username").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Array, (await Host.PostAsync("accounts/list", Gina, new { limit = 1 })).Data.GetProperty("records").ValueKind);
    }
}
