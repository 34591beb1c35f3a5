using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.OpenApi;

public sealed class OpenApiDocumentTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private static readonly string[] JsonRoutes =
    [
        "accounts/list", "accounts/create", "accounts/get", "accounts/update", "accounts/delete",
        "contacts/list", "contacts/create", "contacts/update", "contacts/activities",
        "opportunities/list", "opportunities/create", "opportunities/update", "opportunities/stage-advance",
        "leads/list", "leads/create", "leads/score", "leads/convert", "analytics/pipeline", "analytics/leads", "analytics/accounts", "analytics/performance", "health",
        "oauth/disconnect", "oauth/logins",
        "webhooks/create", "webhooks/list", "webhooks/delete", "webhooks/rotate-secret", "webhooks/enable",
    ];

    /// <summary>The schema itself: a <c>$ref</c> (to a named component) followed, an <c>allOf</c> of one reference too.</summary>
    internal static JsonElement Deref(JsonElement doc, JsonElement schema)
    {
        while (true)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = Pointer(doc, reference.GetString()!);
            }
            else if (schema.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1)
            {
                schema = all[0];
            }
            else
            {
                return schema;
            }
        }
    }

    internal static JsonElement Pointer(JsonElement doc, string pointer)
    {
        Assert.StartsWith("#/components/", pointer, StringComparison.Ordinal);
        var node = doc;
        foreach (var segment in pointer[2..].Split('/'))
        {
            Assert.True(node.TryGetProperty(segment, out node), $"{pointer} does not resolve");
        }

        return node;
    }

    [Fact]
    public async Task The_document_describes_every_route_its_body_and_the_error_envelope()
    {
        var doc = (await fixture.Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        Assert.Equal("3.0.3", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        Assert.Equal(
            JsonRoutes.Select(r => "/api/salesforce/enhanced/" + r).Append("/api/salesforce/enhanced/oauth/authorize").Append("/api/salesforce/enhanced/oauth/callback").Order(StringComparer.Ordinal),
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var route in JsonRoutes)
        {
            var post = paths.GetProperty("/api/salesforce/enhanced/" + route).GetProperty("post");
            var body = Deref(doc, post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            Assert.True(body.GetProperty("properties").TryGetProperty("user_id", out _), route);
            Assert.Equal(route != "oauth/logins", body.GetProperty("properties").TryGetProperty("username", out _));
            Assert.True(Deref(doc, post.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties").TryGetProperty("data", out _), route);
            var badRequest = Deref(doc, post.GetProperty("responses").GetProperty("400"));
            Assert.Equal("#/components/schemas/ErrorEnvelope", badRequest.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        }

        Assert.True(paths.GetProperty("/api/salesforce/enhanced/health").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/salesforce/enhanced/oauth/logins").TryGetProperty("get", out _));
        var required = Deref(doc, paths.GetProperty("/api/salesforce/enhanced/accounts/update").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("required");
        Assert.Equal(["account_id", "account_data"], required.EnumerateArray().Select(e => e.GetString()).ToArray());
        var envelope = doc.GetProperty("components").GetProperty("schemas").GetProperty("ErrorEnvelope").GetProperty("properties");
        Assert.Equal(["ok", "error", "message", "status_code", "error_code", "service"], envelope.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task The_description_names_every_kind_of_route_the_document_lists()
    {
        // The info block is what a reader of a generated client or a browsable page sees first; it went stale once
        // ("pipeline analytics" after four analytics routes shipped), so it is held to the route table.
        var doc = (await fixture.Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        var description = doc.GetProperty("info").GetProperty("description").GetString()!;
        var words = new Dictionary<string, string>
        {
            ["accounts/list"] = "accounts", ["contacts/list"] = "contacts", ["contacts/activities"] = "activities",
            ["opportunities/stage-advance"] = "stage advance", ["leads/convert"] = "convert", ["leads/score"] = "score",
            ["analytics/pipeline"] = "pipeline", ["analytics/leads"] = "leads", ["analytics/accounts"] = "accounts",
            ["analytics/performance"] = "performance", ["health"] = "health", ["oauth/authorize"] = "OAuth",
        };
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var (route, word) in words)
        {
            Assert.Contains("/api/salesforce/enhanced/" + route, paths);
            Assert.Contains(word, description, StringComparison.Ordinal);
        }

        Assert.Contains("analytics of the pipeline, leads, accounts and sales performance", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analytics/pipeline")]
    [InlineData("analytics/leads")]
    [InlineData("analytics/accounts")]
    [InlineData("analytics/performance")]
    public async Task The_analytics_schemas_name_every_property_the_routes_answer_with(string route)
    {
        var doc = (await fixture.Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        var envelope = Deref(doc, doc.GetProperty("paths").GetProperty("/api/salesforce/enhanced/" + route).GetProperty("post").GetProperty("responses")
            .GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var schema = Deref(doc, envelope.GetProperty("properties").GetProperty("data"));

        var data = (await fixture.Host.PostAsync(route, PackHost.Alice, new { })).Data;

        Assert.Equal(
            data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_documented_spellings_come_first_and_the_packs_own_follow_as_aliases()
    {
        var doc = (await fixture.Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        JsonElement Body(string route) => Deref(doc, doc.GetProperty("paths").GetProperty("/api/salesforce/enhanced/" + route).GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties");
        static string[] Names(JsonElement properties) => [.. properties.EnumerateObject().Select(p => p.Name)];

        Assert.Equal(["user_id", "account_id", "opportunity_data", "username"], Names(Body("opportunities/create")));
        var fixedRange = Body("analytics/pipeline").GetProperty("date_range").GetProperty("oneOf")[1];
        Assert.Equal(["start_date", "end_date", "start", "end"], Names(fixedRange.GetProperty("properties")));
        Assert.Equal("last_30_days", Body("analytics/leads").GetProperty("date_range").GetProperty("oneOf")[0].GetProperty("example").GetString());
        Assert.Equal(["lead_source", "lead_sources", "owners", "statuses", "industries"], Names(Body("analytics/leads").GetProperty("filters").GetProperty("properties")));
        Assert.Equal(["lead_source", "lead_sources", "owners", "stages"], Names(Body("analytics/pipeline").GetProperty("filters").GetProperty("properties")));
        Assert.StartsWith("The Opportunity field to group by, case-insensitive: StageName", Body("analytics/pipeline").GetProperty("group_by").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accounts/list", "query")]
    [InlineData("accounts/create", "account_data")]
    [InlineData("opportunities/create", "account_id")]
    [InlineData("leads/create", "lead_data")]
    [InlineData("analytics/pipeline", "date_range")]
    [InlineData("analytics/leads", "filters")]
    public async Task The_documented_bodies_are_the_examples_and_fit_their_schemas(string route, string documentedProperty)
    {
        var doc = (await fixture.Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        var json = doc.GetProperty("paths").GetProperty("/api/salesforce/enhanced/" + route).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json");

        var example = json.GetProperty("example");
        var properties = Deref(doc, json.GetProperty("schema")).GetProperty("properties");

        Assert.Equal("user123", example.GetProperty("user_id").GetString());
        Assert.True(example.TryGetProperty(documentedProperty, out _));
        Assert.All(example.EnumerateObject(), p => Assert.True(properties.TryGetProperty(p.Name, out _), $"{route}: {p.Name}"));
    }
}

/// <summary>The document as a browsable page and a client generator read it: named types, the sign-in, nothing dangling.</summary>
public sealed class OpenApiComponentsTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    [Fact]
    public async Task Bodies_answers_and_report_types_are_named_components_and_every_reference_resolves()
    {
        var doc = (await fixture.Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[]
        {
            "ErrorEnvelope", "AccountsListRequest", "AccountsListResponse", "RecordList", "SalesforceRecord", "RecordWrite",
            "AnalyticsPipelineRequest", "AnalyticsPipelineResponse", "PipelineReport", "AtRiskDeal", "ForecastPeriod",
            "LeadReport", "StaleLead", "AccountReport", "AccountInsight", "PerformanceReport", "OwnerPerformance", "HealthData",
        })
        {
            Assert.True(schemas.TryGetProperty(name, out _), name);
        }

        // A route's body and answer are references, not inline objects.
        var post = doc.GetProperty("paths").GetProperty("/api/salesforce/enhanced/analytics/pipeline").GetProperty("post");
        Assert.Equal("#/components/schemas/AnalyticsPipelineRequest", post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/AnalyticsPipelineResponse", post.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());

        // No object type is written out twice: each titled schema appears once, under components.
        var references = new List<string>();
        var inlineTitles = new List<string>();
        Walk(doc.GetProperty("paths"), references, inlineTitles);
        foreach (var schema in schemas.EnumerateObject())
        {
            foreach (var child in schema.Value.EnumerateObject())
            {
                Walk(child.Value, references, inlineTitles);
            }
        }

        Assert.Empty(inlineTitles);
        Assert.NotEmpty(references);
        foreach (var reference in references.Distinct())
        {
            OpenApiDocumentTests.Pointer(doc, reference);
        }
    }

    private static void Walk(JsonElement node, List<string> references, List<string> inlineTitles)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (property.Name == "$ref")
                    {
                        references.Add(property.Value.GetString()!);
                    }
                    else if (property.Name == "title" && property.Value.ValueKind == JsonValueKind.String && node.TryGetProperty("type", out _))
                    {
                        inlineTitles.Add(property.Value.GetString()!);
                    }
                    else if (property.Name is not ("example" or "examples"))
                    {
                        Walk(property.Value, references, inlineTitles);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item, references, inlineTitles);
                }

                break;
        }
    }

    [Fact]
    public async Task Routes_that_act_for_a_user_name_the_hosts_cookie_sign_in_as_their_security()
    {
        // The pack acts for the user the host signs in; a host with cookie sign-in gets that cookie as the security scheme.
        await using var host = await PackHost.StartAsync(services: b =>
        {
            b.Services.AddAuthentication().AddCookie();
            b.Services.AddRateLimiter(_ => { });
        });
        var doc = (await host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;

        var cookie = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Cookies");
        Assert.Equal("apiKey", cookie.GetProperty("type").GetString());
        Assert.Equal("cookie", cookie.GetProperty("in").GetString());
        Assert.Equal(".AspNetCore.Cookies", cookie.GetProperty("name").GetString());

        var paths = doc.GetProperty("paths");
        var list = paths.GetProperty("/api/salesforce/enhanced/accounts/list").GetProperty("post").GetProperty("security");
        Assert.Equal(["Cookies"], list.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToArray());

        // health answers without a user too: {} (no sign-in) is one of its options.
        var health = paths.GetProperty("/api/salesforce/enhanced/health").GetProperty("post").GetProperty("security");
        Assert.Contains(health.EnumerateArray(), r => !r.EnumerateObject().Any());
    }

    [Fact]
    public async Task The_host_can_add_to_the_document()
    {
        await using var host = await PackHost.StartAsync(o => o.ConfigureOpenApiDocument = d => d["info"]!["x-sample"] = "yes");
        var doc = (await host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        Assert.Equal("yes", doc.GetProperty("info").GetProperty("x-sample").GetString());
    }
}
