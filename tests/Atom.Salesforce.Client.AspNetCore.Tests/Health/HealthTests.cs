using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Health;

public sealed class HealthTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task Health_for_a_connected_user_reports_token_database_salesforce_and_api_usage()
    {
        foreach (var reply in new[] { await Host.GetAsync("/api/salesforce/enhanced/health", PackHost.Alice), await Host.PostAsync("health", PackHost.Alice, new { }) })
        {
            var data = reply.Data;
            Assert.Equal("healthy", data.GetProperty("status").GetString());
            Assert.Equal(PackHost.Alice, data.GetProperty("user_id").GetString());
            Assert.Equal("valid", data.GetProperty("token").GetProperty("status").GetString());
            Assert.Equal("ok", data.GetProperty("database").GetProperty("status").GetString());
            Assert.Equal("reachable", data.GetProperty("salesforce").GetProperty("status").GetString());
            var usage = data.GetProperty("salesforce").GetProperty("api_usage");
            Assert.Equal(15_000, usage.GetProperty("max").GetInt64());
            Assert.Equal(usage.GetProperty("max").GetInt64() - usage.GetProperty("used").GetInt64(), usage.GetProperty("remaining").GetInt64());
        }
    }

    [Fact]
    public async Task Health_without_a_connection_is_degraded_and_without_a_user_checks_the_store_only()
    {
        var bob = (await Host.PostAsync("health", PackHost.Bob, new { })).Data;
        Assert.Equal("degraded", bob.GetProperty("status").GetString());
        Assert.Equal("missing", bob.GetProperty("token").GetProperty("status").GetString());
        Assert.Equal("skipped", bob.GetProperty("salesforce").GetProperty("status").GetString());

        var anonymous = (await Host.GetAsync("/api/salesforce/enhanced/health", signedInAs: null)).Data;
        Assert.Equal("healthy", anonymous.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("user_id").ValueKind);
        Assert.Equal("ok", anonymous.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("skipped", anonymous.GetProperty("token").GetProperty("status").GetString());

        (await Host.PostAsync("health", PackHost.Bob, new { user_id = PackHost.Alice })).AssertError(403, "USER_MISMATCH");
    }

    [Fact]
    public async Task A_revoked_token_is_reported()
    {
        await Host.TokenStore.SaveAsync("erin", new SalesforceToken("x", Host.Emulator.InstanceUrl, DateTimeOffset.UtcNow) { InvalidatedAt = DateTimeOffset.UtcNow }, TestContext.Current.CancellationToken);
        var data = (await Host.PostAsync("health", "erin", new { })).Data;
        Assert.Equal("revoked", data.GetProperty("token").GetProperty("status").GetString());
        Assert.Equal("degraded", data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_for_a_user_with_several_logins_checks_the_named_login_and_asks_for_one_without_username()
    {
        const string Hana = "hana";
        const string Production = "hana@acme.example";
        const string Sandbox = "hana@acme.example.uat";
        var ct = TestContext.Current.CancellationToken;
        var token = new SalesforceToken(Host.Emulator.Options.AccessToken!, Host.Emulator.InstanceUrl, DateTimeOffset.UtcNow);

        // The production login holds a session the emulated org never issued: Salesforce refuses it.
        await Host.TokenStore.SaveAsync(Hana, token with { Username = Production, AccessToken = "00Dxx0000000001!AQ4AQ.hana-production" }, ct);
        await Host.TokenStore.SaveAsync(Hana, token with { Username = Sandbox }, ct);

        // Without username the route does not pick one: like every route, it asks which.
        (await Host.PostAsync("health", Hana, new { })).AssertError(400, "LOGIN_REQUIRED");
        (await Host.GetAsync("/api/salesforce/enhanced/health", Hana)).AssertError(400, "LOGIN_REQUIRED");

        foreach (var reply in new[]
        {
            await Host.PostAsync("health", Hana, new { username = Sandbox }),
            await Host.GetAsync($"/api/salesforce/enhanced/health?username={Uri.EscapeDataString(Sandbox)}", Hana),
        })
        {
            var sandbox = reply.Data;
            Assert.Equal(("healthy", Hana, Sandbox), (sandbox.GetProperty("status").GetString(), sandbox.GetProperty("user_id").GetString(), sandbox.GetProperty("username").GetString()));
            Assert.Equal("valid", sandbox.GetProperty("token").GetProperty("status").GetString());
            Assert.Equal("reachable", sandbox.GetProperty("salesforce").GetProperty("status").GetString());
        }

        // The production login is checked with its own token, which Salesforce refuses: the sandbox's is never used for it.
        var production = (await Host.PostAsync("health", Hana, new { username = Production })).Data;
        Assert.Equal(("degraded", Production), (production.GetProperty("status").GetString(), production.GetProperty("username").GetString()));
        Assert.Equal("rejected", production.GetProperty("token").GetProperty("status").GetString());
        Assert.Equal("ok", production.GetProperty("database").GetProperty("status").GetString());

        // Another signed-in user learns nothing of Hana's logins: naming her is refused, naming her username checks his own.
        (await Host.PostAsync("health", PackHost.Bob, new { user_id = Hana, username = Sandbox })).AssertError(403, "USER_MISMATCH");
        var bob = await Host.PostAsync("health", PackHost.Bob, new { username = Sandbox });
        Assert.Equal(PackHost.Bob, bob.Data.GetProperty("user_id").GetString());
        Assert.Equal("missing", bob.Data.GetProperty("token").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, bob.Data.GetProperty("token").GetProperty("instance_url").ValueKind);
        Assert.Equal("skipped", bob.Data.GetProperty("salesforce").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_aspnet_health_check_uses_the_configured_user()
    {
        await using var host = await PackHost.StartAsync(o => o.HealthCheckUserId = PackHost.Alice, Host.Emulator);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        var entry = report.Entries[EndpointsSalesforceBuilderExtensions.HealthCheckName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("reachable", entry.Data["salesforce"]);
        Assert.Equal(15_000L, entry.Data["api_requests_max"]);

        await using var unconnected = await PackHost.StartAsync(o => o.HealthCheckUserId = "nobody", Host.Emulator);
        var degraded = await unconnected.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, degraded.Entries[EndpointsSalesforceBuilderExtensions.HealthCheckName].Status);
        // A configured user with several logins: the store answered, but which login to check is not configured.
        await using var several = await PackHost.StartAsync(o => o.HealthCheckUserId = "ivan", Host.Emulator);
        var token = new SalesforceToken(Host.Emulator.Options.AccessToken!, Host.Emulator.InstanceUrl, DateTimeOffset.UtcNow);
        await several.TokenStore.SaveAsync("ivan", token with { Username = "ivan@acme.example" }, TestContext.Current.CancellationToken);
        await several.TokenStore.SaveAsync("ivan", token with { Username = "ivan@acme.example.uat" }, TestContext.Current.CancellationToken);
        var unpicked = (await several.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken))
            .Entries[EndpointsSalesforceBuilderExtensions.HealthCheckName];
        Assert.Equal((HealthStatus.Degraded, "ok", "several_logins"), (unpicked.Status, unpicked.Data["database"], unpicked.Data["token"]));
    }

    [Fact]
    public async Task The_aspnet_health_check_reports_the_cache_hit_ratio()
    {
        await using var host = await PackHost.StartAsync(o => o.HealthCheckUserId = PackHost.Alice, Host.Emulator);
        var sdk = host.Services.GetRequiredService<Atom.Salesforce.Client.DependencyInjection.ISalesforceClientFactory>().ForUser(PackHost.Alice);
        // A miss (one API call), then two hits.
        for (var i = 0; i < 3; i++)
        {
            await sdk.SObjects.DescribeAsync("Contact", cancellationToken: TestContext.Current.CancellationToken);
        }

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken))
            .Entries[EndpointsSalesforceBuilderExtensions.HealthCheckName];

        var hits = (long)entry.Data["cache_hits"];
        var misses = (long)entry.Data["cache_misses"];
        Assert.True(hits >= 2 && misses >= 1, $"hits {hits}, misses {misses}");
        Assert.Equal((double)hits / (hits + misses), (double)entry.Data["cache_hit_ratio"], 9);
    }
}
