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
    }
}
