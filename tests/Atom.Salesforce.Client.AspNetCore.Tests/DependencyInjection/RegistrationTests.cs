using System.Net;
using Atom.Salesforce.Client.AspNetCore.Configuration;
using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    [Fact]
    public void Public_methods_check_their_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => EndpointsSalesforceBuilderExtensions.AddEndpoints(null!));
        Assert.Throws<ArgumentNullException>(() => SalesforceEndpointRouteBuilderExtensions.MapAtomSalesforce(null!));
        Assert.Throws<ArgumentNullException>(() => SalesforceEnvironmentServiceCollectionExtensions.AddAtomSalesforceFromEnvironment(null!, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddAtomSalesforceFromEnvironment(null!));
        Assert.Throws<ArgumentNullException>(() => SalesforceEnvironmentConfiguration.LoginUrl(null!));
        Assert.Throws<ArgumentNullException>(() => SalesforceEnvironmentConfiguration.DatabaseConnectionString(null!));
    }

    [Fact]
    public void Registering_twice_registers_nothing_twice_and_keeps_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "x")
            .AddEndpoints(o => o.MaxListLimit = 500)
            .AddEndpoints(o => o.DefaultListLimit = 20);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SalesforceEndpointOptions>>().Value;
        Assert.Equal(500, options.MaxListLimit);
        Assert.Equal(20, options.DefaultListLimit);
        Assert.Single(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == EndpointsSalesforceBuilderExtensions.HealthCheckName);
    }

    [Theory]
    [InlineData("MaxRequestBodyBytes")]
    [InlineData("DefaultListLimit")]
    [InlineData("ConnectedRedirectPath")]
    [InlineData("UserIdClaimType")]
    public async Task Invalid_options_stop_the_host_at_start_naming_the_setting(string setting)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAtomSalesforce(o => o.ClientId = "x").AddEndpoints(o =>
        {
            switch (setting)
            {
                case "MaxRequestBodyBytes": o.MaxRequestBodyBytes = 10; break;
                case "DefaultListLimit": o.DefaultListLimit = o.MaxListLimit + 1; break;
                case "ConnectedRedirectPath": o.ConnectedRedirectPath = "https://evil.example.com/"; break;
                default: o.UserIdClaimType = " "; break;
            }
        });
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_uri_outside_the_prefix_maps_the_callback_there_and_a_connected_path_redirects()
    {
        await using var host = await PackHost.StartAsync(o =>
        {
            o.RedirectUri = new Uri("http://localhost/auth/salesforce/done");
            o.ConnectedRedirectPath = "/settings";
        });
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToList();
        Assert.Contains("/auth/salesforce/done", endpoints);

        var start = await host.GetAsync("/api/salesforce/enhanced/oauth/authorize", "judy");
        var cookie = start.Headers["Set-Cookie"].Split(';')[0];
        Assert.Contains("path=/auth/salesforce/done", start.Headers["Set-Cookie"], StringComparison.OrdinalIgnoreCase);
        using var salesforce = new HttpClient(host.Emulator.CreateHandler());
        using var approved = await salesforce.GetAsync(start.Location!, TestContext.Current.CancellationToken);
        Assert.Equal("/auth/salesforce/done", approved.Headers.Location!.AbsolutePath);

        using var callback = new HttpRequestMessage(HttpMethod.Get, approved.Headers.Location.PathAndQuery);
        callback.Headers.Add(PackHost.UserHeader, "judy");
        callback.Headers.Add("Cookie", cookie);
        var done = await host.SendAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.Equal("/settings", done.Location!.OriginalString);
        Assert.NotNull(await host.TokenStore.GetAsync("judy", TestContext.Current.CancellationToken));
    }
}
