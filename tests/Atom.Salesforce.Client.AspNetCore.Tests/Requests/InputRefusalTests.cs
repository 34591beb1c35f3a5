using System.Net.Http.Headers;
using System.Text;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Requests;

/// <summary>
/// Every input the caller controls is refused with the envelope (400, 413 or 415), never a 500: relative dates reaching
/// outside the calendar, text that is not Unicode, numbers out of range, wrong JSON kinds, bodies not declared as JSON.
/// </summary>
public sealed class InputRefusalTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Theory]
    [InlineData("analytics/pipeline", "LAST_N_DAYS:99999999")]
    [InlineData("analytics/pipeline", "N_DAYS_AGO:2147483647")]
    [InlineData("analytics/pipeline", "NEXT_N_FISCAL_QUARTERS:2147483647")]
    [InlineData("analytics/leads", "N_YEARS_AGO:1001")]
    [InlineData("analytics/accounts", "NEXT_N_MONTHS:12001")]
    [InlineData("analytics/performance", "LAST_N_WEEKS:52001")]
    [InlineData("contacts/activities", "LAST_99999999_DAYS")]
    [InlineData("analytics/pipeline", "LAST_N_DAYS:2147483648")]
    public async Task Relative_dates_out_of_range_are_400(string route, string literal)
    {
        var body = route == "contacts/activities"
            ? (object)new { contact_id = "003000000000000AAA", date_range = literal }
            : new { date_range = literal };
        (await Host.PostAsync(route, PackHost.Alice, body)).AssertError(400, "INVALID_DATE_RANGE", SalesforceEndpointErrors.ValidationError);
    }

    [Fact]
    public async Task The_largest_relative_ranges_and_the_extreme_fixed_dates_salesforce_accepts_still_answer()
    {
        Assert.Equal(System.Text.Json.JsonValueKind.Object, (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "LAST_N_DAYS:365000" })).Data.ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "N_FISCAL_YEARS_AGO:1000" })).Data.ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "1700-01-01", end_date = "4000-12-31" } })).Data.ValueKind);
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "0001-01-01", end_date = "2026-01-01" } }))
            .AssertError(400, "INVALID_DATE_RANGE");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "2026-01-01", end_date = "9999-12-31" } }))
            .AssertError(400, "INVALID_DATE_RANGE");
    }

    [Theory]
    [InlineData("{\"query\": \"Name = '\\ud800'\"}")]
    [InlineData("{\"query\": \"Name = '\\udfff\\ud800'\"}")]
    [InlineData("{\"fields\": [\"Name\", \"\\ud83d\"]}")]
    [InlineData("{\"\\ud800\": 1}")]
    public async Task A_lone_surrogate_anywhere_is_400(string body)
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, body)).AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);
    }

    [Fact]
    public async Task A_lone_surrogate_in_field_values_is_400_and_a_pair_is_text()
    {
        (await Host.PostAsync("accounts/create", PackHost.Alice, "{\"account_data\": {\"Name\": \"x\\ud800y\"}}")).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/create", PackHost.Alice, "{\"account_data\": {\"Name\": \"Pair \\ud83d\\ude00 Co\"}}")).Data.GetProperty("id");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    public async Task Invalid_utf8_in_a_string_or_a_name_is_400(byte[] bad)
    {
        foreach (var (before, after) in new[] { ("{\"query\": \"Name = '", "'\"}"), ("{\"", "\": 1}"), ("{\"account_data\": {\"Name\": \"", "\"}}") })
        {
            var route = before.Contains("account_data", StringComparison.Ordinal) ? "accounts/create" : "accounts/list";
            var bytes = Encoding.UTF8.GetBytes(before).Concat(bad).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/salesforce/enhanced/{route}") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(PackHost.UserHeader, PackHost.Alice);
            var reply = await Host.SendAsync(request);
            Assert.Equal(400, (int)reply.Status);
            reply.AssertError(400, reply.Root.GetProperty("error_code").GetString()!, SalesforceEndpointErrors.ValidationError);
        }
    }

    [Theory]
    [InlineData("accounts/list", "{\"limit\": 2147483648}")]
    [InlineData("accounts/list", "{\"limit\": -2147483649}")]
    [InlineData("accounts/list", "{\"limit\": 1e400}")]
    [InlineData("accounts/list", "{\"limit\": 1.5}")]
    [InlineData("accounts/list", "{\"limit\": \"50\"}")]
    [InlineData("accounts/list", "{\"fields\": {\"a\": 1}}")]
    [InlineData("accounts/list", "{\"query\": 5}")]
    [InlineData("accounts/list", "{\"fields\": [1, 2]}")]
    [InlineData("accounts/create", "{\"account_data\": {\"AnnualRevenue\": 1e400}}")]
    [InlineData("accounts/create", "{\"account_data\": {\"Name\": [\"x\"]}}")]
    [InlineData("accounts/create", "{\"account_data\": \"Name=x\"}")]
    [InlineData("analytics/pipeline", "{\"date_range\": 5}")]
    [InlineData("analytics/pipeline", "{\"date_range\": {\"start_date\": 20250101, \"end_date\": \"2025-12-31\"}}")]
    [InlineData("analytics/pipeline", "{\"date_range\": {\"start_date\": \"2025-02-30\", \"end_date\": \"2025-12-31\"}}")]
    [InlineData("analytics/leads", "{\"filters\": {\"lead_source\": \"Web\"}}")]
    [InlineData("leads/score", "{\"lead_id\": true}")]
    public async Task Numbers_out_of_range_and_wrong_kinds_are_400(string route, string body)
    {
        var reply = await Host.PostAsync(route, PackHost.Alice, body);
        Assert.Equal(400, (int)reply.Status);
        reply.AssertError(400, reply.Root.GetProperty("error_code").GetString()!, SalesforceEndpointErrors.ValidationError);
    }

    [Theory]
    [InlineData("text/plain", "{\"limit\": 5}")]
    [InlineData("text/plain; charset=utf-8", "{}")]
    [InlineData("application/x-www-form-urlencoded", "limit=5")]
    [InlineData("multipart/form-data; boundary=x", "--x--")]
    [InlineData("application/json; charset=iso-8859-1", "{}")]
    [InlineData("application/xml", "<limit>5</limit>")]
    [InlineData(null, "{\"limit\": 5}")]
    public async Task Bodies_not_declared_as_json_are_415(string? contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/salesforce/enhanced/accounts/list") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Headers.Add(PackHost.UserHeader, PackHost.Alice);
        (await Host.SendAsync(request)).AssertError(415, "UNSUPPORTED_MEDIA_TYPE", SalesforceEndpointErrors.ValidationError);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/problem+json")]
    public async Task Json_content_types_are_accepted(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/salesforce/enhanced/accounts/list") { Content = new StringContent("{\"limit\": 1}") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add(PackHost.UserHeader, PackHost.Alice);
        Assert.Single((await Host.SendAsync(request)).Data.GetProperty("records").EnumerateArray());
    }
}
