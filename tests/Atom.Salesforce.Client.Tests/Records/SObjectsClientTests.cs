using System.Net;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Records;

public sealed class SObjectsClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Industry { get; set; }
        public decimal? AnnualRevenue { get; set; }
        public DateOnly? SLAExpirationDate__c { get; set; }
        public DateTimeOffset? CreatedDate { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Description { get; set; }
    }

    [Fact]
    public async Task Create_posts_the_fields_and_returns_the_id()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Account/"))
            .WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .WithHeaders("Content-Type", "application/json; charset=utf-8")
            .WithContent("""{"Name":"Acme","AnnualRevenue":1250000.50,"SLAExpirationDate__c":"2025-01-31","Description":null}""")
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.Read("records/create_success.restforce.json"));

        var id = await host.Client.SObjects.CreateAsync("Account", new Account
        {
            Id = "001000000000001AAA",
            Name = "Acme",
            AnnualRevenue = 1250000.50m,
            SLAExpirationDate__c = new DateOnly(2025, 1, 31),
            CreatedDate = DateTimeOffset.UtcNow,
        }, Ct);

        Assert.Equal("some_id", id);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Create_sends_SObject_fields_with_explicit_nulls_and_Salesforce_datetimes()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Opportunity/"))
            .WithContent("""{"Name":"Big deal","CloseDate":"2025-01-31","Next_Call__c":"2025-01-31T10:00:00.000+0000","Amount":null}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"006000000000001AAA","success":true,"errors":[]}""");

        var record = new SObject("Opportunity")
        {
            ["Name"] = "Big deal",
            ["CloseDate"] = new DateOnly(2025, 1, 31),
            ["Next_Call__c"] = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(2)),
            ["Amount"] = null,
        };

        Assert.Equal("006000000000001AAA", await host.Client.SObjects.CreateAsync("Opportunity", record, Ct));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Get_asks_for_the_field_list_and_reads_the_record()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH"))
            .WithExactQueryString("fields=Name,Industry,CreatedDate")
            .Respond("application/json", """
                {"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001D000000IRFmaIAH"},
                 "Id":"001D000000IRFmaIAH","Name":"Acme","Industry":"Energy","CreatedDate":"2013-05-20T20:49:32.000+0000"}
                """);

        var account = await host.Client.SObjects.GetAsync<Account>("Account", "001D000000IRFmaIAH", ["Name", "Industry", "CreatedDate"], Ct);

        Assert.Equal("001D000000IRFmaIAH", account.Id);
        Assert.Equal("Energy", account.Industry);
        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), account.CreatedDate);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Update_patches_only_what_is_set_and_never_the_id_or_system_fields()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH"))
            .WithContent("""{"Industry":"Energy","Description":null}""")
            .Respond(HttpStatusCode.NoContent);

        await host.Client.SObjects.UpdateAsync("Account", "001D000000IRFmaIAH",
            new Account { Id = "001D000000IRFmaIAH", Industry = "Energy", CreatedDate = DateTimeOffset.UtcNow }, Ct);

        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Read_change_update_with_SObject_sends_only_the_changed_field()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH"))
            .Respond("application/json", """
                {"attributes":{"type":"Account"},"Id":"001D000000IRFmaIAH","Name":"Acme","Industry":"Energy",
                 "CreatedDate":"2013-05-20T20:49:32.000+0000","SystemModstamp":"2013-05-20T20:49:32.000+0000"}
                """);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH"))
            .WithContent("""{"Industry":"Utilities"}""")
            .Respond(HttpStatusCode.NoContent);

        var account = await host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", cancellationToken: Ct);
        account["Industry"] = "Utilities";
        await host.Client.SObjects.UpdateAsync("Account", account.Id!, account, Ct);

        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Delete_sends_DELETE()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Delete, SalesforceTestHost.Api("sobjects/Account/001D000000IRFma")).Respond(HttpStatusCode.NoContent);

        await host.Client.SObjects.DeleteAsync("Account", "001D000000IRFma", Ct);

        host.Http.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData(HttpStatusCode.Created, "upsert_created.restforce.json", true)]
    [InlineData(HttpStatusCode.OK, null, false)]
    public async Task Upsert_reports_created_or_updated(HttpStatusCode status, string? fixture, bool created)
    {
        await using var host = new SalesforceTestHost();
        var body = fixture is null ? """{"id":"001000000000002AAA","success":true,"errors":[],"created":false}""" : Fixtures.Read("records/" + fixture);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("sobjects/Account/Ext_Id__c/ACME-1"))
            .WithContent("""{"Name":"Acme","Description":null}""")
            .Respond(status, "application/json", body);

        var result = await host.Client.SObjects.UpsertAsync("Account", "Ext_Id__c", "ACME-1", new Account { Name = "Acme" }, Ct);

        Assert.Equal(created, result.Created);
        Assert.False(string.IsNullOrEmpty(result.Id));
    }

    [Fact]
    public async Task Upsert_answered_204_by_old_API_versions_is_an_update()
    {
        await using var host = new SalesforceTestHost(o => o.ApiVersion = "45.0");
        host.Http.Expect(HttpMethod.Patch, $"{SalesforceTestHost.Instance}/services/data/v45.0/sobjects/Account/Ext_Id__c/ACME-1")
            .Respond(HttpStatusCode.NoContent);

        var result = await host.Client.SObjects.UpsertAsync("Account", "Ext_Id__c", "ACME-1", new Account { Name = "Acme" }, Ct);

        Assert.Equal(new UpsertResult { Created = false }, result);
    }

    [Fact]
    public async Task Upsert_escapes_the_external_id_as_one_path_segment()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, "*")
            .With(r => r.RequestUri!.AbsolutePath == "/services/data/v66.0/sobjects/Account/Ext_Id__c/a%2Fb%20c%3F%23%25")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"001000000000003AAA","success":true,"errors":[],"created":true}""");

        var result = await host.Client.SObjects.UpsertAsync("Account", "Ext_Id__c", "a/b c?#%", new Account { Name = "Acme" }, Ct);

        Assert.True(result.Created);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Upsert_matching_several_records_throws_with_the_candidate_urls()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Patch, SalesforceTestHost.Api("sobjects/Account/Ext_Id__c/dup"))
            .Respond(HttpStatusCode.MultipleChoices, "application/json", Fixtures.Read("errors/300_upsert_multiple_choices.restforce.json"));

        var e = await Assert.ThrowsAsync<SalesforceMultipleMatchesException>(() =>
            host.Client.SObjects.UpsertAsync("Account", "Ext_Id__c", "dup", new Account { Name = "Acme" }, Ct));

        Assert.Equal(["/services/data/v23.0/sobjects/Whizbang/foo", "/services/data/v23.0/sobjects/Whizbang/bar"], e.CandidateUrls);
        Assert.Equal(HttpStatusCode.MultipleChoices, e.Status);
    }

    [Fact]
    public async Task Get_by_external_id_reads_the_record()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/Ext_Id__c/ACME-1"))
            .Respond("application/json", """{"attributes":{"type":"Account"},"Id":"001000000000002AAA","Name":"Acme"}""");

        var record = await host.Client.SObjects.GetByExternalIdAsync<SObject>("Account", "Ext_Id__c", "ACME-1", cancellationToken: Ct);

        Assert.Equal("Account", record.Type);
        Assert.Equal("Acme", record["Name"]);
    }

    [Fact]
    public async Task Describe_sends_If_Modified_Since_and_returns_null_when_not_modified()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/describe/"))
            .WithHeaders("If-Modified-Since", "Mon, 30 Nov 2020 15:34:54 GMT")
            .Respond(HttpStatusCode.NotModified);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/describe/"))
            .Respond("application/json", Fixtures.Read("describe/sobject_describe.restforce.json"));

        var unchanged = await host.Client.SObjects.DescribeAsync("Account", new DateTimeOffset(2020, 11, 30, 8, 34, 54, TimeSpan.FromHours(-7)), Ct);
        var describe = await host.Client.SObjects.DescribeAsync("Account", cancellationToken: Ct);

        Assert.Null(unchanged);
        Assert.NotNull(describe);
        Assert.NotEmpty(describe.Fields);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DescribeGlobal_reads_every_sobject()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/"))
            .Respond("application/json", Fixtures.Read("describe/describe_global.restforce.json"));

        var global = await host.Client.SObjects.DescribeGlobalAsync(cancellationToken: Ct);

        Assert.NotNull(global);
        Assert.NotEmpty(global.SObjects);
        Assert.All(global.SObjects, s => Assert.False(string.IsNullOrEmpty(s.Name)));
    }

    [Fact]
    public async Task Updated_and_deleted_send_the_window_in_UTC()
    {
        await using var host = new SalesforceTestHost();
        var start = new DateTimeOffset(2025, 1, 1, 2, 0, 0, TimeSpan.FromHours(2));
        var end = new DateTimeOffset(2025, 1, 5, 0, 0, 0, TimeSpan.Zero);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Contact/updated/"))
            .WithExactQueryString("start=2025-01-01T00%3A00%3A00%2B00%3A00&end=2025-01-05T00%3A00%3A00%2B00%3A00")
            .Respond("application/json", Fixtures.Read("records/get_updated.restforce.json"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Contact/deleted/"))
            .WithExactQueryString("start=2025-01-01T00%3A00%3A00%2B00%3A00&end=2025-01-05T00%3A00%3A00%2B00%3A00")
            .Respond("application/json", Fixtures.Read("records/get_deleted.restforce.json"));

        var updated = await host.Client.SObjects.GetUpdatedAsync("Contact", start, end, Ct);
        var deleted = await host.Client.SObjects.GetDeletedAsync("Contact", start, end, Ct);

        Assert.Equal(7, updated.Ids.Count);
        Assert.Equal(new DateTimeOffset(2015, 8, 19, 8, 17, 0, TimeSpan.Zero), updated.LatestDateCovered);
        Assert.Equal("a00D0000008pQRAIA2", Assert.Single(deleted.Records).Id);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_validation_error_maps_to_SalesforceApiException_with_fields()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Account/"))
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("errors/400_required_field_missing.jsforce.json"));

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.CreateAsync("Account", new Account(), Ct));

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Equal("REQUIRED_FIELD_MISSING", e.ErrorCode);
        Assert.Contains("Name", e.Errors[0].Fields);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task An_HTML_error_page_gives_a_clear_exception()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, "*").Respond(HttpStatusCode.NotFound, "text/html", Fixtures.Read("errors/404_html_error_page.jsforce.html"));

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFma", cancellationToken: Ct));

        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
        Assert.Contains("text/html", e.Message);
        Assert.DoesNotContain(SalesforceTestHost.AccessToken, e.ToString());
    }

    public static TheoryData<string, Func<SObjectsClient, Task>> BadArguments => new()
    {
        { "null type", c => c.CreateAsync<SObject>(null!, new SObject("Account")) },
        { "path in type", c => c.CreateAsync("../limits", new SObject("Account")) },
        { "null record", c => c.CreateAsync<SObject>("Account", null!) },
        { "bad id", c => c.GetAsync<SObject>("Account", "001/../../x") },
        { "short id", c => c.GetAsync<SObject>("Account", "001abc") },
        { "bad field", c => c.GetAsync<SObject>("Account", "001D000000IRFma", ["Name, (SELECT Id FROM Contacts)"]) },
        { "update bad id", c => c.UpdateAsync("Account", "", new SObject("Account")) },
        { "delete bad type", c => c.DeleteAsync("Account Name", "001D000000IRFma") },
        { "upsert bad field", c => c.UpsertAsync("Account", "Ext Id", "1", new SObject("Account")) },
        { "upsert empty value", c => c.UpsertAsync("Account", "Ext_Id__c", "", new SObject("Account")) },
        { "by ext id null", c => c.GetByExternalIdAsync<SObject>("Account", "Ext_Id__c", null!) },
        { "describe bad type", c => c.DescribeAsync("Account/describe") },
        { "window reversed", c => c.GetUpdatedAsync("Account", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-1)) },
        { "deleted bad type", c => c.GetDeletedAsync("", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow) },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Bad_arguments_throw_before_any_request(string what, Func<SObjectsClient, Task> call)
    {
        await using var host = new SalesforceTestHost();
        host.Http.Fallback.Throw(new InvalidOperationException("no request may be sent: " + what));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => call(host.Client.SObjects));
    }
}
