using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Samples.WebApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>The web API sample with nothing configured: the emulator's demo org, the development user, every route at once.</summary>
public sealed class WebApiSampleTests : IClassFixture<WebApplicationFactory<WebApiSample>>
{
    private readonly WebApplicationFactory<WebApiSample> _factory;

    public WebApiSampleTests(WebApplicationFactory<WebApiSample> factory) => _factory = factory;

    private static async Task<JsonElement> PostAsync(HttpClient http, string route, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/salesforce/enhanced/" + route, body, TestContext.Current.CancellationToken);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
        Assert.True(response.StatusCode == HttpStatusCode.OK && root.GetProperty("ok").GetBoolean(), $"{route}: {(int)response.StatusCode} {root}");
        return root.GetProperty("data");
    }

    [Fact]
    public async Task With_nothing_configured_the_development_user_gets_answers_from_the_demo_org()
    {
        using var http = _factory.CreateClient();
        var health = await PostAsync(http, "health", new { user_id = "dev-user" });
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("valid", health.GetProperty("token").GetProperty("status").GetString());

        var accounts = await PostAsync(http, "accounts/list", new { limit = 5 });
        Assert.Equal(5, accounts.GetProperty("count").GetInt32());

        var pipeline = await PostAsync(http, "analytics/pipeline", new { date_range = "LAST_N_DAYS:365", group_by = "stage" });
        Assert.True(pipeline.GetProperty("count").GetInt32() > 0);

        using var other = await http.PostAsJsonAsync("/api/salesforce/enhanced/accounts/list", new { user_id = "someone-else" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task It_serves_the_openapi_document_and_the_health_checks()
    {
        using var http = _factory.CreateClient();
        var document = await http.GetFromJsonAsync<JsonElement>("/api/salesforce/enhanced/openapi.json", TestContext.Current.CancellationToken);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/salesforce/enhanced/accounts/list", out _));
        using var healthz = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact]
    public async Task A_request_adds_no_log_line_at_the_default_level()
    {
        // The sample's appsettings.json: ASP.NET Core's per-request lines and Npgsql at Warning; the SDK itself logs a
        // Salesforce call that works at Debug only. So a request that works leaves the console quiet.
        using var factory = _factory.WithWebHostBuilder(web => web.ConfigureServices(s => s.AddLogging(b => b.AddFakeLogging())));
        using var http = factory.CreateClient();
        await PostAsync(http, "accounts/list", new { limit = 2 });
        var collector = factory.Services.GetRequiredService<FakeLogCollector>();
        collector.Clear();

        await PostAsync(http, "accounts/list", new { limit = 2 });
        await PostAsync(http, "contacts/list", new { limit = 2 });

        var lines = collector.GetSnapshot().Where(l => l.Level >= LogLevel.Information).Select(l => $"{l.Category}: {l.Message}").ToList();
        Assert.True(lines.Count == 0, string.Join("\n", lines));
    }
}
