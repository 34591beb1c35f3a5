using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        var health = await PostAsync(http, "health", new { user_id = "user123" });
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
        await PostAsync(http, "analytics/pipeline", new { group_by = "owner" });
        using (await http.GetAsync("/", TestContext.Current.CancellationToken))
        {
        }

        var lines = collector.GetSnapshot().Where(l => l.Level >= LogLevel.Information).Select(l => $"{l.Category}: {l.Message}").ToList();
        Assert.True(lines.Count == 0, string.Join("\n", lines));
    }

    [Fact]
    public async Task The_page_at_the_root_loads_nothing_but_what_the_app_serves()
    {
        using var http = _factory.CreateClient();
        using var page = await http.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // Offline: no CDN, no absolute URL at all (scripts, styles, fonts, the document), and no telemetry.
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);

        // Everything the page names (script src, link href, the favicon and the OpenAPI document it renders) is the app's own.
        var assets = Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value)
            .Concat(Regex.Matches(html, "\"(?:url|favicon)\":\"([^\"]+)\"").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.Contains(assets, a => a.EndsWith("openapi.json", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(new Uri(new Uri("http://localhost/"), asset), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
            Assert.True((await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 0, asset);
        }
    }

    private static readonly string[] DocumentedRoutes =
        ["accounts/list", "accounts/create", "opportunities/create", "leads/create", "analytics/pipeline", "analytics/leads"];

    [Fact]
    public async Task The_openapi_document_has_named_schemas_the_sign_in_and_the_documented_bodies()
    {
        using var http = _factory.CreateClient();
        var doc = await http.GetFromJsonAsync<JsonElement>("/api/salesforce/enhanced/openapi.json", TestContext.Current.CancellationToken);
        var components = doc.GetProperty("components");
        foreach (var name in new[] { "AccountsListRequest", "AccountsListResponse", "RecordList", "AnalyticsPipelineRequest", "PipelineReport", "LeadReport", "ErrorEnvelope" })
        {
            Assert.True(components.GetProperty("schemas").TryGetProperty(name, out _), name);
        }

        // The sample's sign-in (the cookie of /signin) is the security scheme; the page says how requests are signed in.
        Assert.Equal("cookie", components.GetProperty("securitySchemes").GetProperty("Cookies").GetProperty("in").GetString());
        Assert.Contains("user123", doc.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);

        foreach (var reference in References(doc).Distinct())
        {
            var node = doc;
            Assert.StartsWith("#/components/", reference, StringComparison.Ordinal);
            foreach (var segment in reference[2..].Split('/'))
            {
                Assert.True(node.TryGetProperty(segment, out node), reference);
            }
        }

        foreach (var route in DocumentedRoutes)
        {
            var example = Example(doc, route);
            Assert.Equal("user123", example.GetProperty("user_id").GetString());
        }
    }

    public static TheoryData<string> DocumentedRouteData() => [.. DocumentedRoutes];

    [Theory]
    [MemberData(nameof(DocumentedRouteData))]
    public async Task Each_example_of_the_page_sent_as_it_is_answers_from_the_demo_org(string route)
    {
        // What a newcomer does on the page: pick a route, send its example as shown.
        using var http = _factory.CreateClient();
        var doc = await http.GetFromJsonAsync<JsonElement>("/api/salesforce/enhanced/openapi.json", TestContext.Current.CancellationToken);
        using var content = new StringContent(Example(doc, route).GetRawText(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/salesforce/enhanced/" + route, content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode} {text}");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Analytics_answers_name_the_owners_and_accounts_they_list()
    {
        using var http = _factory.CreateClient();
        // The performance report reads the org's users itself: its owner names are the reference.
        var performance = await PostAsync(http, "analytics/performance", new { });
        var names = performance.GetProperty("owners").EnumerateArray().ToDictionary(o => o.GetProperty("owner_id").GetString()!, o => o.GetProperty("name").GetString());
        Assert.NotEmpty(names);

        var pipeline = await PostAsync(http, "analytics/pipeline", new { group_by = "owner" });
        Assert.NotEmpty(pipeline.GetProperty("groups").EnumerateArray());
        foreach (var group in pipeline.GetProperty("groups").EnumerateArray())
        {
            var id = group.GetProperty("key").GetString()!;
            Assert.Equal(names[id], group.GetProperty("owner_name").GetString());
        }

        Assert.NotEmpty(pipeline.GetProperty("at_risk").EnumerateArray());
        foreach (var deal in pipeline.GetProperty("at_risk").EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(deal.GetProperty("opportunity_name").GetString()));
            Assert.False(string.IsNullOrEmpty(deal.GetProperty("account_name").GetString()));
        }

        var leads = await PostAsync(http, "analytics/leads", new { group_by = "owner" });
        foreach (var group in leads.GetProperty("groups").EnumerateArray())
        {
            Assert.Equal(names[group.GetProperty("key").GetString()!], group.GetProperty("owner_name").GetString());
        }

        var accounts = await PostAsync(http, "analytics/accounts", new { group_by = "owner", limit = 5 });
        foreach (var account in accounts.GetProperty("accounts").EnumerateArray())
        {
            Assert.Equal(names[account.GetProperty("owner_id").GetString()!], account.GetProperty("owner_name").GetString());
        }

        // Grouped by something else, the key is no owner and gets no owner name.
        var byStage = await PostAsync(http, "analytics/pipeline", new { group_by = "stage" });
        Assert.All(byStage.GetProperty("groups").EnumerateArray(), g => Assert.False(g.TryGetProperty("owner_name", out _)));
    }

    private static JsonElement Example(JsonElement doc, string route) => doc.GetProperty("paths").GetProperty("/api/salesforce/enhanced/" + route)
        .GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

    private static IEnumerable<string> References(JsonElement node)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in node.EnumerateObject())
            {
                if (property.Name == "$ref")
                {
                    yield return property.Value.GetString()!;
                }
                else
                {
                    foreach (var reference in References(property.Value))
                    {
                        yield return reference;
                    }
                }
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var reference in node.EnumerateArray().SelectMany(References))
            {
                yield return reference;
            }
        }
    }
}
