using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Identity;

public sealed class IdentityTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task No_signed_in_user_is_401()
    {
        (await Host.PostAsync("accounts/list", signedInAs: null, new { })).AssertError(401, "NOT_AUTHENTICATED");
        (await Host.PostAsync("accounts/list", signedInAs: null, new { user_id = PackHost.Alice })).AssertError(401, "NOT_AUTHENTICATED");
    }

    [Fact]
    public async Task A_body_user_id_naming_another_user_is_403_and_never_uses_their_tokens()
    {
        // Bob has no Salesforce connection; naming Alice must not borrow hers.
        (await Host.PostAsync("accounts/list", PackHost.Bob, new { user_id = PackHost.Alice })).AssertError(403, "USER_MISMATCH");
        (await Host.PostAsync("accounts/list", PackHost.Bob, new { })).AssertError(401, "no_token");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { user_id = PackHost.Alice })).Data.GetProperty("records");
    }

    [Fact]
    public async Task A_revoked_token_is_401_and_the_message_never_shows_a_token()
    {
        const string carol = "carol-revoked";
        await Host.TokenStore.SaveAsync(carol, new SalesforceToken("00Dsecret!RevokedTokenValue", Host.Emulator.InstanceUrl, DateTimeOffset.UtcNow)
        {
            RefreshToken = "5AepRefreshSecretValue",
            InvalidatedAt = DateTimeOffset.UtcNow,
            InvalidationReason = "invalid_grant: expired access/refresh token",
        }, TestContext.Current.CancellationToken);
        var reply = await Host.PostAsync("accounts/list", carol, new { });
        reply.AssertError(401, "invalid_grant");
        Assert.DoesNotContain("Secret", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_without_a_refresh_token_is_401()
    {
        const string dave = "dave-expired";
        await Host.TokenStore.SaveAsync(dave, new SalesforceToken("00Dexpired!SessionNoLongerKnown", Host.Emulator.InstanceUrl, DateTimeOffset.UtcNow.AddHours(-5)), TestContext.Current.CancellationToken);
        var reply = await Host.PostAsync("accounts/list", dave, new { });
        Assert.Equal(401, (int)reply.Status);
        Assert.Equal("unauthorized", reply.Root.GetProperty("error").GetString());
        Assert.DoesNotContain("00Dexpired", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trusted_mode_takes_the_user_from_the_body_and_requires_it()
    {
        await using var trusted = await PackHost.StartAsync(o => o.TrustBodyUserId = true, Host.Emulator, conventions: g => g.RequireAuthorization());
        (await trusted.PostAsync("accounts/list", "billing-service", new { user_id = PackHost.Alice, limit = 1 })).Data.GetProperty("records");
        (await trusted.PostAsync("accounts/list", "billing-service", new { limit = 1 })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await trusted.PostAsync("accounts/list", "billing-service", new { user_id = PackHost.Bob })).AssertError(401, "no_token");

        // Nobody authenticated: the group's authorization answers before the pack, and nobody learns about Alice.
        var anonymous = await trusted.GetAsync($"/api/salesforce/enhanced/health?user_id={PackHost.Alice}", signedInAs: null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.DoesNotContain(Host.Emulator.InstanceUrl.Host, anonymous.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Trusted_mode_refuses_to_start_when_the_routes_do_not_require_authorization()
    {
        foreach (var allowAnonymous in new[] { false, true })
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseTestServer();
            builder.Services.AddAuthorization();
            builder.Services.AddAtomSalesforce(o => o.ClientId = "x").AddEndpoints(o => o.TrustBodyUserId = true);
            await using var app = builder.Build();
            var group = app.MapAtomSalesforce();
            if (allowAnonymous)
            {
                group.RequireAuthorization().AllowAnonymous();
            }

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains("TrustBodyUserId", refused.Message, StringComparison.Ordinal);
            Assert.Contains("RequireAuthorization", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Trusted_mode_starts_behind_a_fallback_policy()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddAtomSalesforce(o => o.ClientId = "x").AddEndpoints(o => o.TrustBodyUserId = true);
        await using var app = builder.Build();
        app.MapAtomSalesforce();
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(app.Services.GetService<Atom.Salesforce.Client.Auth.ITokenStore>());
    }

    [Fact]
    public async Task The_user_claim_is_configurable()
    {
        await using var custom = await PackHost.StartAsync(o => o.UserIdClaimType = "tenant_user");
        // The test sign-in sets only NameIdentifier, so with another claim configured nobody is recognised.
        (await custom.PostAsync("accounts/list", PackHost.Alice, new { })).AssertError(401, "NOT_AUTHENTICATED");
    }
}
