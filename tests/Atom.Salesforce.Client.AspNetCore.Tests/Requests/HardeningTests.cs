using System.Text;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Faults;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Requests;

public sealed class HardeningTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{\"limit\": 5")]
    [InlineData("{limit: 5}")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"limit\": 5, \"limit\": 6}")]
    [InlineData("not json at all")]
    public async Task Malformed_json_is_a_400_envelope(string body)
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, body)).AssertError(400, "MALFORMED_JSON");
    }

    [Fact]
    public async Task An_oversized_body_is_413_whether_or_not_it_declares_its_length()
    {
        var big = "{\"query\": \"" + new string('a', 70 * 1024) + "\"}";
        (await Host.PostAsync("accounts/list", PackHost.Alice, big)).AssertError(413, "REQUEST_TOO_LARGE");

        // Chunked: no Content-Length, the limit still holds while reading.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/salesforce/enhanced/accounts/list")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add(PackHost.UserHeader, PackHost.Alice);
        (await Host.SendAsync(request)).AssertError(413, "REQUEST_TOO_LARGE");
    }

    [Fact]
    public async Task Unknown_properties_and_wrong_kinds_are_refused()
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { quer = "Name = 'x'" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { fields = "Name" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { query = "Name = 'a\u0000'" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { fields = Enumerable.Repeat("Name", 201).ToArray() })).AssertError(400, "INVALID_REQUEST");
    }

    [Theory]
    [InlineData("Name = 'x') OR (Id != null")]
    [InlineData("Name = 'x'; DELETE FROM Account")]
    [InlineData("Id IN (SELECT AccountId FROM Contact)")]
    [InlineData("Name = 'x' LIMIT 1")]
    [InlineData("Password__c = 'x'")]
    [InlineData("CALENDAR_YEAR(CreatedDate) = 2020")]
    [InlineData("Name = :bind")]
    [InlineData("Name = 'x' /* comment */")]
    [InlineData("Name = 'x' ORDER BY Name")]
    [InlineData("Name = 'unterminated")]
    public async Task Query_injection_attempts_are_malformed_queries(string condition)
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { query = condition })).AssertError(400, "MALFORMED_QUERY");
    }

    [Fact]
    public async Task A_refused_filter_is_logged_as_a_refused_request_not_as_a_failure()
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { query = "Password__c = 'refused-filter'" })).AssertError(400, "MALFORMED_QUERY");

        // The caller's input, refused before any call: a Debug line (5004), never the Error of an unexpected failure (5002).
        Assert.Contains(Host.Logs.Lines, l => l.StartsWith("Debug ", StringComparison.Ordinal) && l.Contains("[5004]", StringComparison.Ordinal)
            && l.Contains("400 MALFORMED_QUERY", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Logs.Lines, l => l.Contains("SoqlFilterException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_or_in_the_query_cannot_widen_the_routes_own_condition()
    {
        var account = await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "Narrow Co" } });
        var accountId = account.Data.GetProperty("id").GetString()!;
        await Host.PostAsync("contacts/create", PackHost.Alice, new { contact_data = new { LastName = "Only", AccountId = accountId } });
        var reply = await Host.PostAsync("contacts/list", PackHost.Alice, new { account_id = accountId, query = "LastName = 'Only' OR LastName != 'Only'", limit = 2000 });
        Assert.Single(reply.Data.GetProperty("records").EnumerateArray());
    }

    [Fact]
    public async Task Injection_attempts_in_the_other_string_fields_are_refused_or_kept_literal()
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { fields = new[] { "Name FROM User --" } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { fields = new[] { "(SELECT Id FROM Contacts)" } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("accounts/get", PackHost.Alice, new { account_id = "001' OR Id != '" })).AssertError(400, "INVALID_ID");
        (await Host.PostAsync("contacts/list", PackHost.Alice, new { account_id = "x' OR Name != '" })).AssertError(400, "INVALID_ID");
        (await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new Dictionary<string, object> { ["Name = 'x'"] = "y" } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { user_id = "alice' OR '1'='1" })).AssertError(403, "USER_MISMATCH");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { group_by = "StageName, OwnerId" })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = "LAST_N_DAYS:90' OR '1'='1" })).AssertError(400, "INVALID_DATE_RANGE");
        (await Host.PostAsync("contacts/activities", PackHost.Alice, new { contact_id = "003' OR WhoId != '" })).AssertError(400, "INVALID_ID");
        (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = "006000000000000' OR" })).AssertError(400, "INVALID_ID");

        // Values go to Salesforce as JSON values: quotes and SOQL stay text.
        const string name = "O'Brien'); DELETE FROM Account WHERE Name != ('";
        var created = await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = name } });
        var id = created.Data.GetProperty("id").GetString()!;
        var record = await fixture.Sdk.SObjects.GetAsync<SObject>("Account", id, ["Name"], Ct);
        Assert.Equal(name, record.Get<string>("Name"));
        var found = await Host.PostAsync("accounts/list", PackHost.Alice, new { query = "Name = 'O\\'Brien\\'); DELETE FROM Account WHERE Name != (\\''" });
        Assert.Equal(id, Assert.Single(found.Data.GetProperty("records").EnumerateArray()).GetProperty("Id").GetString());

        // Pipeline filters are matched in memory: an injected owner id matches nobody.
        var filtered = await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { filters = new { owners = new[] { "x' OR OwnerId != '" } } });
        Assert.Equal(0, filtered.Data.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Injection_attempts_in_the_analytics_and_scoring_routes_match_nothing_or_are_refused()
    {
        const string injected = "x' OR OwnerId != '";
        var leads = await Host.PostAsync("analytics/leads", PackHost.Alice, new { filters = new { lead_sources = new[] { injected }, statuses = new[] { "Open') OR ('1'='1" } } });
        Assert.Equal(0, leads.Data.GetProperty("total").GetProperty("leads").GetInt32());
        var accounts = await Host.PostAsync("analytics/accounts", PackHost.Alice, new { filters = new { owners = new[] { injected } } });
        Assert.Empty(accounts.Data.GetProperty("accounts").EnumerateArray());
        var performance = await Host.PostAsync("analytics/performance", PackHost.Alice, new { filters = new { owners = new[] { injected } } });
        Assert.Empty(performance.Data.GetProperty("owners").EnumerateArray());

        (await Host.PostAsync("analytics/leads", PackHost.Alice, new { group_by = "LeadSource, Company" })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { period = "year' OR '1'='1" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/performance", PackHost.Alice, new { date_range = "THIS_YEAR OR Id != null" })).AssertError(400, "INVALID_DATE_RANGE");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_data = new Dictionary<string, object> { ["LastName = 'x'"] = "y" } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = "00Q' OR Id != '" })).AssertError(400, "INVALID_ID");
    }

    [Fact]
    public async Task Salesforce_rate_limit_is_429_with_retry_after()
    {
        Host.Emulator.InjectFault(new EmulatorFault(FaultKind.RateLimit, "*") { RetryAfter = TimeSpan.FromSeconds(7), Count = 5 });
        try
        {
            var reply = await Host.PostAsync("accounts/list", PackHost.Alice, new { limit = 1 });
            reply.AssertError(429, "REQUEST_LIMIT_EXCEEDED");
            Assert.Equal("7", reply.Headers["Retry-After"]);
        }
        finally
        {
            Host.Emulator.ClearFaults();
        }
    }

    [Fact]
    public async Task Salesforce_unavailable_is_503()
    {
        Host.Emulator.InjectFault(new EmulatorFault(FaultKind.Unavailable, "*") { Count = 5 });
        try
        {
            (await Host.PostAsync("accounts/list", PackHost.Alice, new { limit = 1 })).AssertError(503, "SERVER_UNAVAILABLE");
        }
        finally
        {
            Host.Emulator.ClearFaults();
        }
    }
}
