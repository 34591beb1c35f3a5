using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Routing;

public sealed class MapAtomSalesforceTests
{
    [Fact]
    public void Mapping_without_the_sdk_or_the_endpoint_services_says_what_to_call()
    {
        var bareBuilder = WebApplication.CreateBuilder();
        bareBuilder.Logging.ClearProviders();
        var bare = bareBuilder.Build();
        var noSdk = Assert.Throws<InvalidOperationException>(() => bare.MapAtomSalesforce());
        Assert.Contains("AddAtomSalesforce", noSdk.Message, StringComparison.Ordinal);

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAtomSalesforce(o => o.ClientId = "x");
        var sdkOnly = builder.Build();
        var noEndpoints = Assert.Throws<InvalidOperationException>(() => sdkOnly.MapAtomSalesforce());
        Assert.Contains("AddEndpoints", noEndpoints.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => sdkOnly.MapAtomSalesforce("api/no-slash"));
    }

    [Fact]
    public async Task Conventions_on_the_returned_group_apply_to_every_route()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddAtomSalesforce(o => o.ClientId = "x").AddEndpoints();
        await using var app = builder.Build();
        app.MapAtomSalesforce("/sf").AddEndpointFilter((context, next) =>
            ValueTask.FromResult<object?>(Results.Text("filtered", statusCode: 418)));
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = app.GetTestClient();
        foreach (var path in new[] { "/sf/accounts/list", "/sf/health", "/sf/analytics/pipeline" })
        {
            using var response = await http.PostAsync(path, new StringContent("{}"), TestContext.Current.CancellationToken);
            Assert.Equal(418, (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task A_custom_prefix_serves_the_routes_under_it()
    {
        await using var host = await PackHost.StartAsync(prefix: "/crm");
        (await host.PostAsync("accounts/list", PackHost.Alice, new { limit = 1 }, prefix: "/crm")).Data.GetProperty("records");
    }
}

public sealed class PackConventionsTests
{
    [Fact]
    public async Task Authorization_and_rate_limiting_on_the_group_cover_every_route()
    {
        await using var host = await PackHost.StartAsync(
            services: b => b.Services.AddRateLimiter(o =>
            {
                o.RejectionStatusCode = 429;
                o.AddFixedWindowLimiter("pack", w =>
                {
                    w.PermitLimit = 3;
                    w.Window = TimeSpan.FromHours(1);
                    w.QueueLimit = 0;
                });
            }),
            conventions: g => g.RequireAuthorization().RequireRateLimiting("pack"));

        // Not signed in: the authorization middleware refuses before the pack runs, on every route.
        Assert.Equal(401, (int)(await host.PostAsync("health", signedInAs: null, new { })).Status);
        Assert.Equal(401, (int)(await host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Status);

        for (var i = 0; i < 3; i++)
        {
            (await host.PostAsync("health", PackHost.Alice, new { })).Data.GetProperty("status");
        }

        Assert.Equal(429, (int)(await host.PostAsync("accounts/list", PackHost.Alice, new { })).Status);
    }
}
