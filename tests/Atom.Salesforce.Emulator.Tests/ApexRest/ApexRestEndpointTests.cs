using System.Net;
using System.Text;
using Atom.Salesforce.Emulator.Apex;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.ApexRest;

/// <summary>
/// <c>/services/apexrest</c> on the wire: Salesforce's urlMapping rules, the shapes of its errors, and what a handler sees
/// of the request (what Apex reads from <c>RestContext.request</c>).
/// </summary>
public sealed class ApexRestEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Orders")]
    [InlineData("/Orders*")]
    [InlineData("/Or*ders")]
    [InlineData("/Orders/*x")]
    [InlineData("*")]
    [InlineData("")]
    public void A_url_mapping_that_breaks_Salesforce_rules_is_refused(string urlMapping)
    {
        var emulator = new SalesforceEmulator();

        Assert.ThrowsAny<ArgumentException>(() => emulator.MapApexRest(urlMapping, new ApexRestResource()));
    }

    [Fact]
    public void A_mapping_is_at_most_255_characters_and_taken_once()
    {
        var emulator = new SalesforceEmulator();
        emulator.MapApexRest("/Orders/*", new ApexRestResource());
        emulator.MapApexRest("/*", new ApexRestResource());
        emulator.MapApexRest("/Orders/*/lines", new ApexRestResource());
        emulator.MapApexRest("/" + new string('a', 254), new ApexRestResource());

        Assert.Throws<ArgumentException>(() => emulator.MapApexRest("/Orders/*", new ApexRestResource()));
        Assert.Throws<ArgumentException>(() => emulator.MapApexRest("/" + new string('a', 255), new ApexRestResource()));
        Assert.Throws<ArgumentNullException>(() => emulator.MapApexRest("/Other", null!));
    }

    [Fact]
    public async Task An_unknown_path_is_404_NOT_FOUND_as_Salesforce_words_it_and_no_session_is_401()
    {
        await using var org = new EmulatedOrg();
        org.Emulator.MapApexRest("/Orders/*", new ApexRestResource { HttpGet = _ => ApexRestResponse.Empty() });
        using var anonymous = new HttpClient(org.Emulator.CreateHandler()) { BaseAddress = org.Emulator.InstanceUrl };

        using var unknown = await org.Http.GetAsync("/services/apexrest/Invoices/1", Ct);
        using var root = await org.Http.GetAsync("/services/apexrest/", Ct);
        using var noSession = await anonymous.GetAsync("/services/apexrest/Orders/1", Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("""[{"message":"Could not find a match for URL","errorCode":"NOT_FOUND"}]""", await unknown.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
        Assert.Contains("INVALID_SESSION_ID", await noSession.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handler_sees_the_request_as_Apex_does_and_its_status_headers_and_body_go_back_as_set()
    {
        await using var org = new EmulatedOrg();
        ApexRestRequest? seen = null;
        org.Emulator.MapApexRest("/Orders/*", new ApexRestResource
        {
            HttpPut = r =>
            {
                seen = r;
                var response = new ApexRestResponse { StatusCode = 202, ResponseBody = "ok"u8.ToArray(), ContentType = "text/plain" };
                response.Headers["X-Order"] = r.RequestUri;
                return response;
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Put, "/services/apexrest/Orders/42?mode=fast&tag=a%20b")
        {
            Content = new StringContent("""{"name":"Widgets"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Tenant", "t1");

        using var response = await org.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/Orders/42", response.Headers.GetValues("X-Order").Single());
        Assert.NotNull(seen);
        Assert.Equal(("PUT", "/Orders/42", "/services/apexrest/Orders/*"), (seen.HttpMethod, seen.RequestUri, seen.ResourcePath));
        Assert.Equal(("fast", "a b"), (seen.Params["mode"], seen.Params["tag"]));
        Assert.Equal("t1", seen.Headers["x-tenant"]);
        Assert.Equal("Widgets", seen.ReadJson<Dictionary<string, string>>()!["name"]);
        Assert.StartsWith("005", seen.UserId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trailing_wildcard_also_matches_the_bare_path_and_HEAD_runs_the_get_method_without_a_body()
    {
        await using var org = new EmulatedOrg();
        var gets = 0;
        org.Emulator.MapApexRest("/Orders/*", new ApexRestResource { HttpGet = _ => { gets++; return ApexRestResponse.Json(new { Count = gets }); } });

        using var bare = await org.Http.GetAsync("/services/apexrest/Orders", Ct);
        using var head = await org.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/services/apexrest/Orders/1"), Ct);

        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("""{"Count":1}""", await bare.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(2, gets);
    }

    [Fact]
    public async Task A_method_the_resource_lacks_is_405_malformed_JSON_is_400_and_an_uncaught_exception_is_500_APEX_ERROR()
    {
        await using var org = new EmulatedOrg();
        org.Emulator.MapApexRest("/Orders", new ApexRestResource
        {
            HttpGet = _ => throw new InvalidOperationException("Attempt to de-reference a null object"),
            HttpPost = r => ApexRestResponse.Json(r.ReadJson<Dictionary<string, object>>()),
        });

        using var patch = await org.Http.PatchAsync("/services/apexrest/Orders", new StringContent("{}"), Ct);
        using var malformed = await org.Http.PostAsync("/services/apexrest/Orders", new StringContent("{\"name\":", Encoding.UTF8, "application/json"), Ct);
        using var boom = await org.Http.GetAsync("/services/apexrest/Orders", Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
        Assert.Contains("\"errorCode\":\"METHOD_NOT_ALLOWED\"", await patch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("Allowed are HEAD,GET,POST", await patch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("\"errorCode\":\"JSON_PARSER_ERROR\"", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        Assert.Equal(
            """[{"message":"System.InvalidOperationException: Attempt to de-reference a null object","errorCode":"APEX_ERROR"}]""",
            await boom.Content.ReadAsStringAsync(Ct));
    }
}
