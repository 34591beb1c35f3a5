using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.Rest;

public sealed class SObjectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_SDK_creates_reads_updates_and_deletes_a_record()
    {
        await using var org = new EmulatedOrg();
        var sf = org.Client;

        var id = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme", ["Industry"] = "Media", ["AnnualRevenue"] = 1_500_000m }, Ct);
        var created = await sf.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct);
        await sf.SObjects.UpdateAsync("Account", id, new SObject("Account") { ["Industry"] = "Energy", ["Phone"] = null }, Ct);
        var updated = await sf.SObjects.GetAsync<SObject>("Account", id, ["Industry", "LastModifiedDate"], Ct);
        await sf.SObjects.DeleteAsync("Account", id, Ct);

        Assert.StartsWith("001", id, StringComparison.Ordinal);
        Assert.Equal(18, id.Length);
        Assert.Equal(id, created.Id);
        Assert.Equal("Acme", created.Get<string>("Name"));
        Assert.Equal(1_500_000m, created.Get<decimal>("AnnualRevenue"));
        Assert.False(created.Get<bool>("IsDeleted"));
        Assert.NotNull(created.Get<DateTimeOffset?>("CreatedDate"));
        Assert.Equal("Energy", updated.Get<string>("Industry"));
        var deleted = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, deleted.Status);
        Assert.Equal("ENTITY_IS_DELETED", deleted.ErrorCode);
    }

    [Fact]
    public async Task Validation_errors_carry_Salesforce_codes_messages_and_fields()
    {
        await using var org = new EmulatedOrg();
        var records = org.Client.SObjects;

        var missing = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Opportunity", new SObject("Opportunity") { ["Amount"] = 10m }, Ct));
        var picklist = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Opportunity",
            new SObject("Opportunity") { ["Name"] = "x", ["StageName"] = "Won-ish", ["CloseDate"] = new DateOnly(2026, 1, 1) }, Ct));
        var tooLong = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Account", new SObject("Account") { ["Name"] = new string('x', 256) }, Ct));
        var unknown = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Account", new SObject("Account") { ["Name"] = "x", ["Colour__c"] = "red" }, Ct));
        var readOnly = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Opportunity",
            new SObject("Opportunity") { ["Name"] = "x", ["StageName"] = "Prospecting", ["CloseDate"] = new DateOnly(2026, 1, 1), ["IsWon"] = true }, Ct));
        var badId = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Contact", new SObject("Contact") { ["LastName"] = "x", ["AccountId"] = "003Hs0000000001AAA" }, Ct));

        Assert.Equal(("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name, StageName, CloseDate]"), (missing.ErrorCode, missing.Errors[0].Message));
        Assert.Equal(["Name", "StageName", "CloseDate"], missing.Errors[0].Fields);
        Assert.Equal("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", picklist.ErrorCode);
        Assert.Contains("Stage: bad value for restricted picklist field: Won-ish", picklist.Message, StringComparison.Ordinal);
        Assert.Equal("STRING_TOO_LONG", tooLong.ErrorCode);
        Assert.Contains("(max length=255)", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(("INVALID_FIELD", "No such column 'Colour__c' on sobject of type Account"), (unknown.ErrorCode, unknown.Errors[0].Message));
        Assert.Equal("INVALID_FIELD_FOR_INSERT_UPDATE", readOnly.ErrorCode);
        Assert.Equal("MALFORMED_ID", badId.ErrorCode);
        Assert.All([missing, picklist, tooLong, unknown, readOnly, badId], e => Assert.Equal(HttpStatusCode.BadRequest, e.Status));
    }

    [Fact]
    public async Task An_opportunity_takes_its_stage_data_and_writes_history_when_tracked_fields_change()
    {
        await using var org = new EmulatedOrg();
        var records = org.Client.SObjects;
        var id = await records.CreateAsync("Opportunity", new SObject("Opportunity")
        {
            ["Name"] = "Deal", ["StageName"] = "Needs Analysis", ["CloseDate"] = new DateOnly(2026, 3, 31), ["Amount"] = 10_000m,
        }, Ct);

        await records.UpdateAsync("Opportunity", id, new SObject("Opportunity") { ["StageName"] = "Closed Won" }, Ct);
        await records.UpdateAsync("Opportunity", id, new SObject("Opportunity") { ["NextStep"] = "Invoice" }, Ct);
        var won = await records.GetAsync<SObject>("Opportunity", id, cancellationToken: Ct);
        var history = org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("OpportunityHistory")!)
            .Where(h => (string?)h["OpportunityId"] == id).ToList();

        Assert.Equal((100m, true, true, "Closed", 10_000m), (won.Get<decimal>("Probability"), won.Get<bool>("IsClosed"), won.Get<bool>("IsWon"), won.Get<string>("ForecastCategory"), won.Get<decimal>("ExpectedRevenue")));
        Assert.Equal(["Needs Analysis", "Closed Won"], history.Select(h => (string)h["StageName"]!));
        Assert.Equal([20m, 100m], history.Select(h => (decimal)h["Probability"]!));
    }

    [Fact]
    public async Task History_rows_carry_the_amount_and_probability_after_each_change_and_a_query_reads_them()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var org = new EmulatedOrg(new SalesforceEmulatorOptions { TimeProvider = time });
        var records = org.Client.SObjects;
        var id = await records.CreateAsync("Opportunity", new SObject("Opportunity")
        {
            ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = new DateOnly(2026, 3, 31), ["Amount"] = 120_000m,
        }, Ct);
        time.Advance(TimeSpan.FromDays(3));
        await records.UpdateAsync("Opportunity", id, new SObject("Opportunity") { ["Amount"] = 90_000m }, Ct);
        time.Advance(TimeSpan.FromDays(3));
        await records.UpdateAsync("Opportunity", id, new SObject("Opportunity") { ["StageName"] = "Value Proposition" }, Ct);
        time.Advance(TimeSpan.FromDays(3));
        await records.UpdateAsync("Opportunity", id, new SObject("Opportunity") { ["Description"] = "untracked" }, Ct);
        var now = await records.GetAsync<SObject>("Opportunity", id, ["Amount", "Probability"], Ct);

        var rows = new List<SObject>();
        await foreach (var row in org.Client.Query.QueryAsync<SObject>(
            $"SELECT StageName, Amount, Probability, PrevAmount, CreatedDate FROM OpportunityHistory WHERE OpportunityId = '{id}' ORDER BY CreatedDate", cancellationToken: Ct))
        {
            rows.Add(row);
        }

        // One row on create, one per tracked change (the Description change writes none), each with the values after it.
        Assert.Equal(["Prospecting", "Prospecting", "Value Proposition"], rows.Select(r => r.Get<string>("StageName")));
        Assert.Equal([120_000m, 90_000m, 90_000m], rows.Select(r => r.Get<decimal>("Amount")));
        Assert.Equal([null, 120_000m, 90_000m], rows.Select(r => r.Get<decimal?>("PrevAmount")));
        Assert.Equal([new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 8, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 11, 9, 0, 0, TimeSpan.Zero)],
            rows.Select(r => r.Get<DateTimeOffset>("CreatedDate")));
        // Whatever Probability the opportunity has after the change, its row carries it; the last row is the deal now.
        Assert.All(rows, r => Assert.NotNull(r.Get<decimal?>("Probability")));
        Assert.Equal(rows[0].Get<decimal>("Probability"), rows[1].Get<decimal>("Probability"));
        Assert.Equal((now.Get<decimal>("Amount"), now.Get<decimal>("Probability")), (rows[^1].Get<decimal>("Amount"), rows[^1].Get<decimal>("Probability")));
    }

    [Fact]
    public async Task Upsert_creates_updates_and_reports_several_matches_with_300()
    {
        // RESTMD dome_upsert: an external id matching several records answers 300 with the records' URLs. External id
        // fields are not unique unless "Unique" is also set, so two records may share a value.
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true }, new FieldDefinition("Region__c", FieldType.String)];
        await using var org = new EmulatedOrg(options);
        var records = org.Client.SObjects;

        var created = await records.UpsertAsync("Account", "Ext_Id__c", "A-1", new SObject("Account") { ["Name"] = "Acme" }, Ct);
        var updated = await records.UpsertAsync("Account", "Ext_Id__c", "a-1", new SObject("Account") { ["Region__c"] = "EMEA" }, Ct);
        var fetched = await records.GetByExternalIdAsync<SObject>("Account", "Ext_Id__c", "A-1", cancellationToken: Ct);
        var copy = await records.CreateAsync("Account", new SObject("Account") { ["Name"] = "Copy", ["Ext_Id__c"] = "A-1" }, Ct);
        var several = await Assert.ThrowsAsync<SalesforceMultipleMatchesException>(() => records.UpsertAsync("Account", "Ext_Id__c", "A-1", new SObject("Account") { ["Region__c"] = "APAC" }, Ct));

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("EMEA", fetched.Get<string>("Region__c"));
        Assert.Equal(HttpStatusCode.MultipleChoices, several.Status);
        Assert.Equal(
            new[] { created.Id!, copy }.Select(id => $"/services/data/v66.0/sobjects/Account/{id}").Order(StringComparer.Ordinal),
            several.CandidateUrls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_unique_field_refuses_a_duplicate_with_DUPLICATE_VALUE_and_describe_keeps_externalId_and_unique_apart()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] =
        [
            new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true },
            new FieldDefinition("Code__c", FieldType.String) { Unique = true },
            new FieldDefinition("Key__c", FieldType.String) { ExternalId = true, Unique = true },
        ];
        await using var org = new EmulatedOrg(options);
        var records = org.Client.SObjects;

        var first = await records.CreateAsync("Account", new SObject("Account") { ["Name"] = "One", ["Code__c"] = "C1" }, Ct);
        var duplicate = await Assert.ThrowsAsync<SalesforceApiException>(() => records.CreateAsync("Account", new SObject("Account") { ["Name"] = "Two", ["Code__c"] = "c1" }, Ct));
        using var describe = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/sobjects/Account/describe", UriKind.Relative), Ct));
        var fields = describe.RootElement.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        (bool, bool) Flags(string name) => (fields[name].GetProperty("externalId").GetBoolean(), fields[name].GetProperty("unique").GetBoolean());

        Assert.Equal("DUPLICATE_VALUE", duplicate.ErrorCode);
        Assert.Contains(first, duplicate.Message, StringComparison.Ordinal);
        Assert.Equal((true, false), Flags("Ext_Id__c"));
        Assert.Equal((false, true), Flags("Code__c"));
        Assert.Equal((true, true), Flags("Key__c"));
    }

    [Fact]
    public async Task Describe_has_the_real_shape_and_the_schema_relationships()
    {
        await using var org = new EmulatedOrg();

        var account = await org.Client.SObjects.DescribeAsync("Account", cancellationToken: Ct);
        var global = await org.Client.SObjects.DescribeGlobalAsync(cancellationToken: Ct);

        Assert.NotNull(account);
        Assert.Equal(("Account", "001"), (account!.Name, account.KeyPrefix));
        var parent = Assert.Single(account.Fields, f => f.Name == "ParentId");
        Assert.Equal(("reference", "Parent"), (parent.Type, parent.RelationshipName));
        Assert.Equal(["Account"], parent.ReferenceTo);
        Assert.Contains(account.ChildRelationships, c => c.RelationshipName == "Contacts" && c.ChildSObject == "Contact" && c.Field == "AccountId");
        Assert.Contains(account.ChildRelationships, c => c.RelationshipName == "Opportunities");
        Assert.Contains(Assert.Single(account.Fields, f => f.Name == "Industry").PicklistValues, v => v.Value == "Media");
        Assert.Equal(["Account", "Campaign", "CampaignMember", "Contact", "Event", "Group", "Lead", "Opportunity", "OpportunityContactRole", "OpportunityHistory", "OpportunityStage", "Organization", "Profile", "RecordType", "Task", "User", "UserRole"],
            global!.SObjects.Select(s => s.Name));
    }

    [Fact]
    public async Task Unauthenticated_requests_get_401_and_every_response_carries_the_api_counter()
    {
        await using var org = new EmulatedOrg(new SalesforceEmulatorOptions { DailyApiLimit = 3 });
        using var anonymous = new HttpClient(org.Emulator.CreateHandler()) { BaseAddress = org.Emulator.InstanceUrl };

        var unauthorized = await anonymous.GetAsync(new Uri("/services/data/v66.0/sobjects", UriKind.Relative), Ct);
        var versions = await anonymous.GetAsync(new Uri("/services/data", UriKind.Relative), Ct);
        var first = await org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);
        await org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);
        await org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);
        var refused = await org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("INVALID_SESSION_ID", await unauthorized.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        Assert.False(versions.Headers.Contains("Sforce-Limit-Info"));
        var latest = JsonDocument.Parse(await versions.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().Last();
        Assert.Equal(("Spring '26", "66.0"), (latest.GetProperty("label").GetString(), latest.GetProperty("version").GetString()));
        Assert.Equal("api-usage=1/3", first.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
