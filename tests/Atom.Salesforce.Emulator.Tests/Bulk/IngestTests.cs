using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Bulk;

public sealed class IngestTests
{
    private const string Jobs = "/services/data/v66.0/jobs/ingest";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_insert_job_goes_from_Open_to_JobComplete_with_result_files()
    {
        await using var org = new EmulatedOrg();
        var job = await CreateJob(org, new { @object = "Account", operation = "insert" });

        Assert.Equal(("Open", "V2Ingest", "COMMA", "LF"), (Text(job, "state"), Text(job, "jobType"), Text(job, "columnDelimiter"), Text(job, "lineEnding")));
        Assert.Equal($"services/data/v66.0/jobs/ingest/{Text(job, "id")}/batches", Text(job, "contentUrl"));
        var id = Text(job, "id");
        await Upload(org, id, "Name,Industry,BillingStreet\nAcme,Media,\"1 Main St\nSuite \"\"B\"\"\"\n,Energy,\nGlobex,Energy,\n");
        var closed = await Patch(org, id, "UploadComplete");
        var done = await Get(org, $"{Jobs}/{id}");
        var successful = await GetText(org, $"{Jobs}/{id}/successfulResults");
        var failed = await GetText(org, $"{Jobs}/{id}/failedResults");

        Assert.Equal("UploadComplete", Text(closed, "state"));
        Assert.Equal(("JobComplete", 3, 1), (Text(done, "state"), done.GetProperty("numberRecordsProcessed").GetInt32(), done.GetProperty("numberRecordsFailed").GetInt32()));
        var lines = successful.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"sf__Id\",\"sf__Created\",Name,Industry,BillingStreet", lines[0]);
        Assert.StartsWith("\"001", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"true\",\"Acme\",\"Media\",\"1 Main St", successful, StringComparison.Ordinal);
        Assert.Contains("Suite \"\"B\"\"\"", successful, StringComparison.Ordinal);
        Assert.StartsWith("\"sf__Id\",\"sf__Error\",Name,Industry,BillingStreet\n\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\",\"\",\"Energy\"", failed, StringComparison.Ordinal);
        var street = (string?)org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!).Single(a => (string?)a["Name"] == "Acme")["BillingStreet"];
        Assert.Equal("1 Main St\nSuite \"B\"", street);
    }

    [Fact]
    public async Task Upsert_matches_external_ids_and_fills_lookups_from_a_parent_external_id()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        options.CustomFields["Contact"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        await using var org = new EmulatedOrg(options);
        var accounts = Text(await CreateJob(org, new { @object = "Account", operation = "upsert", externalIdFieldName = "Ext__c" }), "id");
        await Upload(org, accounts, "Ext__c,Name\nA1,Alpha\nA2,Beta\n");
        await Patch(org, accounts, "UploadComplete");
        var contacts = Text(await CreateJob(org, new { @object = "Contact", operation = "upsert", externalIdFieldName = "Ext__c", columnDelimiter = "SEMICOLON", lineEnding = "CRLF" }), "id");
        await Upload(org, contacts, "Ext__c;LastName;Account.Ext__c\r\nC1;One;A1\r\nC2;Two;A9\r\n");
        await Patch(org, contacts, "UploadComplete");
        var again = Text(await CreateJob(org, new { @object = "Account", operation = "upsert", externalIdFieldName = "Ext__c" }), "id");
        await Upload(org, again, "Ext__c,Industry\nA1,Media\n");
        await Patch(org, again, "UploadComplete");

        var contactFailures = await GetText(org, $"{Jobs}/{contacts}/failedResults");
        var upsertAgain = await GetText(org, $"{Jobs}/{again}/successfulResults");
        var alpha = org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!).Single(a => (string?)a["Ext__c"] == "A1");
        var one = org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Contact")!).Single();

        Assert.Equal(alpha.Id, one["AccountId"]);
        Assert.Contains("INVALID_FIELD:Foreign key external ID: A9 not found for field Ext__c in entity Account:AccountId", contactFailures, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", contactFailures, StringComparison.Ordinal);
        Assert.Contains($"\"{alpha.Id}\",\"false\",\"A1\",\"Media\"", upsertAgain, StringComparison.Ordinal);
        Assert.Equal(("Alpha", "Media"), ((string?)alpha["Name"], (string?)alpha["Industry"]));
    }

    [Fact]
    public async Task Update_ignores_empty_values_and_NA_clears_a_field_and_delete_moves_to_the_recycle_bin()
    {
        await using var org = new EmulatedOrg();
        var schema = org.Emulator.Org.Schema.Find("Account")!;
        var first = org.Emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = "One", ["Industry"] = "Media", ["Phone"] = "555" });
        var second = org.Emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = "Two" });
        var update = Text(await CreateJob(org, new { @object = "Account", operation = "update" }), "id");
        await Upload(org, update, $"Id,Industry,Phone\n{first},,#N/A\n");
        await Patch(org, update, "UploadComplete");
        var delete = Text(await CreateJob(org, new { @object = "Account", operation = "delete" }), "id");
        await Upload(org, delete, $"Id\n{second}\n001Hs00000000ZZAAA\n");
        await Patch(org, delete, "UploadComplete");

        var updated = org.Emulator.Org.Find(first)!;
        Assert.Equal(("Media", null), ((string?)updated["Industry"], (string?)updated["Phone"]));
        Assert.True(org.Emulator.Org.Find(second)!.IsDeleted);
        Assert.Equal(1, (await Get(org, $"{Jobs}/{delete}")).GetProperty("numberRecordsFailed").GetInt32());
    }

    [Fact]
    public async Task Bad_jobs_fail_clearly_and_states_are_enforced()
    {
        await using var org = new EmulatedOrg();
        using var badObject = await org.Http.PostAsJsonAsync(Jobs, new { @object = "Widget", operation = "insert" }, Ct);
        using var noExternalId = await org.Http.PostAsJsonAsync(Jobs, new { @object = "Account", operation = "upsert" }, Ct);
        var unknownColumn = Text(await CreateJob(org, new { @object = "Account", operation = "insert" }), "id");
        await Upload(org, unknownColumn, "Name,Colour__c\nAcme,red\n");
        await Patch(org, unknownColumn, "UploadComplete");
        using var lateUpload = await org.Http.PutAsync(new Uri($"{Jobs}/{unknownColumn}/batches", UriKind.Relative), new StringContent("Name\nX\n", Encoding.UTF8, "text/csv"), Ct);
        var aborted = Text(await CreateJob(org, new { @object = "Account", operation = "insert" }), "id");
        await Upload(org, aborted, "Name\nKept out\n");
        await Patch(org, aborted, "Aborted");
        using var earlyResults = await org.Http.GetAsync(new Uri($"{Jobs}/{Text(await CreateJob(org, new { @object = "Account", operation = "insert" }), "id")}/successfulResults", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, badObject.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noExternalId.StatusCode);
        var failed = await Get(org, $"{Jobs}/{unknownColumn}");
        Assert.Equal(("Failed", "InvalidBatch : Field name not found : Colour__c"), (Text(failed, "state"), Text(failed, "errorMessage")));
        Assert.Equal(HttpStatusCode.Conflict, lateUpload.StatusCode);
        Assert.Equal("Name\n\"Kept out\"\n", await GetText(org, $"{Jobs}/{aborted}/unprocessedrecords"));
        Assert.Equal(HttpStatusCode.Conflict, earlyResults.StatusCode);
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task The_jsforce_sample_file_loads_unchanged()
    {
        await using var org = new EmulatedOrg();
        var csv = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "fixtures", "bulk2", "ingest_upload_sample.jsforce.csv"), Ct);
        var job = Text(await CreateJob(org, new { @object = "Account", operation = "insert" }), "id");
        await Upload(org, job, csv);
        await Patch(org, job, "UploadComplete");

        var info = await Get(org, $"{Jobs}/{job}");

        Assert.Equal("JobComplete", Text(info, "state"));
        Assert.Equal(0, info.GetProperty("numberRecordsFailed").GetInt32());
        Assert.True(info.GetProperty("numberRecordsProcessed").GetInt32() > 0);
    }

    [Fact]
    public async Task Bulk_upsert_of_an_external_id_shared_by_several_records_fails_that_row_with_DUPLICATE_EXTERNAL_ID()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true, Label = "Legacy Key" }];
        await using var org = new EmulatedOrg(options);
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "One", ["Ext__c"] = "K" });
        org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Two", ["Ext__c"] = "K" });
        var id = Text(await CreateJob(org, new { @object = "Account", operation = "upsert", externalIdFieldName = "Ext__c" }), "id");
        await Upload(org, id, "Ext__c,Phone\nK,1\n");
        await Patch(org, id, "UploadComplete");

        var failed = (await GetText(org, $"{Jobs}/{id}/failedResults")).Split('\n')[1];

        Assert.StartsWith("\"\",\"DUPLICATE_EXTERNAL_ID:Legacy Key: more than one record found for external id field: [", failed, StringComparison.Ordinal);
        Assert.EndsWith("]:Ext__c --\",\"K\",\"1\"", failed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("insert", "Name\n")]
    [InlineData("update", "Id,Name\n")]
    [InlineData("update", "Id,Name\r\n")]
    [InlineData("delete", "Id\n")]
    [InlineData("hardDelete", "Id")]
    public async Task An_upload_with_a_header_and_no_rows_completes_with_no_results(string operation, string csv)
    {
        // A header names the columns; no rows means nothing to process, so the job completes with zero records
        // (BULK get-job-info: numberRecordsProcessed counts the rows processed), not InvalidBatch / Failed.
        await using var org = new EmulatedOrg();
        var id = Text(await CreateJob(org, new { @object = "Account", operation, lineEnding = csv.Contains('\r', StringComparison.Ordinal) ? "CRLF" : "LF" }), "id");
        await Upload(org, id, csv);
        await Patch(org, id, "UploadComplete");
        var done = await Get(org, $"{Jobs}/{id}");

        Assert.Equal(("JobComplete", 0, 0), (Text(done, "state"), done.GetProperty("numberRecordsProcessed").GetInt32(), done.GetProperty("numberRecordsFailed").GetInt32()));
        Assert.False(done.TryGetProperty("errorMessage", out _));
        Assert.Single((await GetText(org, $"{Jobs}/{id}/successfulResults")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Single((await GetText(org, $"{Jobs}/{id}/failedResults")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<JsonElement> CreateJob(EmulatedOrg org, object body)
    {
        using var response = await org.Http.PostAsJsonAsync(Jobs, body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static async Task Upload(EmulatedOrg org, string id, string csv)
    {
        using var response = await org.Http.PutAsync(new Uri($"{Jobs}/{id}/batches", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<JsonElement> Patch(EmulatedOrg org, string id, string state)
    {
        using var response = await org.Http.PatchAsJsonAsync($"{Jobs}/{id}", new { state }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static async Task<JsonElement> Get(EmulatedOrg org, string path) =>
        JsonDocument.Parse(await org.Http.GetStringAsync(new Uri(path, UriKind.Relative), Ct)).RootElement.Clone();

    private static Task<string> GetText(EmulatedOrg org, string path) => org.Http.GetStringAsync(new Uri(path, UriKind.Relative), Ct);

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
