using System.Text;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Sdk;

/// <summary>The SDK's Bulk API 2.0 ingest against the emulated org, in-process.</summary>
public sealed class BulkSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BulkIngestOptions Fast => new() { PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(5) };

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Ext__c { get; set; }
        public string? Industry { get; set; }
        public string? Description { get; set; }
    }

    private static SalesforceEmulatorOptions WithExternalId()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext__c", FieldType.String) { ExternalId = true }];
        return options;
    }

    [Fact]
    public async Task Insert_with_failed_rows_joins_every_result_back_to_its_input()
    {
        await using var org = new EmulatedOrg();
        var rows = Enumerable.Range(0, 50).Select(i => new SObject("Account")
        {
            ["Name"] = i % 10 == 3 ? null : $"Acme, \"{i}\"\nLtd",
            ["Description"] = "Zoë 日本",
        }).ToList();
        var progress = new List<BulkJobProgress>();

        var result = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, rows, new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(5), Progress = new SyncProgress(progress) }, Ct);

        Assert.Equal(45, result.SuccessCount);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = result.Results[i];
            Assert.Equal(i, row.Index);
            if (i % 10 == 3)
            {
                Assert.False(row.Success);
                Assert.Equal("REQUIRED_FIELD_MISSING", row.Errors[0].ErrorCode);
            }
            else
            {
                Assert.True(row.Success && row.Created == true);
                var stored = await org.Client.SObjects.GetAsync<Account>("Account", row.Id!, ["Name", "Description"], Ct);
                Assert.Equal($"Acme, \"{i}\"\nLtd", stored.Name);
                Assert.Equal("Zoë 日本", stored.Description);
            }
        }

        Assert.Equal(BulkJobState.JobComplete, progress[^1].State);
        Assert.Equal(5, progress[^1].RecordsFailed);
    }

    [Fact]
    public async Task Upsert_update_and_delete_round_trip_through_jobs()
    {
        await using var org = new EmulatedOrg(WithExternalId());
        var first = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Upsert,
            Enumerable.Range(0, 20).Select(i => new Account { Ext__c = $"X-{i}", Name = $"N{i}" }), new BulkIngestOptions { ExternalIdField = "Ext__c", PollInterval = TimeSpan.Zero }, cancellationToken: Ct);
        var second = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Upsert,
            [new Account { Ext__c = "X-0", Name = "Renamed" }, new Account { Ext__c = "X-new", Name = "New" }], new BulkIngestOptions { ExternalIdField = "Ext__c", PollInterval = TimeSpan.Zero }, cancellationToken: Ct);

        Assert.All(first.Results, r => Assert.True(r.Created));
        Assert.Equal([false, true], second.Results.Select(r => r.Created!.Value));
        Assert.Equal(first.Results[0].Id, second.Results[0].Id);

        var updated = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Update,
            first.Results.Select(r => new Account { Id = r.Id, Industry = "Energy" }), Fast, cancellationToken: Ct);
        Assert.Equal(20, updated.SuccessCount);
        Assert.Equal("Energy", (await org.Client.SObjects.GetAsync<Account>("Account", first.Results[7].Id!, ["Industry"], Ct)).Industry);

        var deleted = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Delete,
            first.Results.Select(r => new SObject("Account") { Id = r.Id }), Fast, cancellationToken: Ct);
        Assert.Equal(20, deleted.SuccessCount);
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task Large_inputs_are_split_into_several_jobs_and_still_answer_in_input_order()
    {
        await using var org = new EmulatedOrg(WithExternalId());
        var rows = Enumerable.Range(0, 300).Select(i => new Account { Name = $"Account {i:D5}" });

        var result = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, rows,
            new BulkIngestOptions { MaxUploadBytes = 2048, PollInterval = TimeSpan.Zero }, cancellationToken: Ct);

        Assert.True(result.Jobs.Count > 1);
        Assert.Equal(300, result.SuccessCount);
        var names = await Task.WhenAll(result.Results.Where((_, i) => i % 50 == 0).Select(r => org.Client.SObjects.GetAsync<Account>("Account", r.Id!, ["Name"], Ct)));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"Account {i * 50:D5}"), names.Select(a => a.Name));
    }

    [Fact]
    public async Task A_job_Salesforce_fails_marks_every_row_not_processed_with_the_reason()
    {
        await using var org = new EmulatedOrg();

        // Ext__c does not exist in this org, so Salesforce fails the whole job.
        var result = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, [new Account { Name = "A", Ext__c = "X" }], Fast, cancellationToken: Ct);

        Assert.Equal(BulkJobState.Failed, result.Jobs[0].State);
        var error = Assert.Single(result.Results[0].Errors);
        Assert.Equal(Client.Models.SalesforceError.Codes.NotProcessed, error.ErrorCode);
        Assert.Contains(result.Jobs[0].Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_CSV_stream_is_ingested_and_answered_per_row()
    {
        await using var org = new EmulatedOrg();
        var csv = "Name,Description\n\"Quoted, name\",\"multi\nline\"\n,missing name\nPlain,#N/A\n";

        var result = await org.Client.Bulk.IngestCsvAsync("Account", SaveOperation.Insert, new MemoryStream(Encoding.UTF8.GetBytes(csv)), Fast, cancellationToken: Ct);

        Assert.Equal([true, false, true], result.Results.Select(r => r.Success));
        var stored = await org.Client.SObjects.GetAsync<Account>("Account", result.Results[0].Id!, ["Name", "Description"], Ct);
        Assert.Equal(("Quoted, name", "multi\nline"), (stored.Name, stored.Description));
    }

    [Fact]
    public async Task Jobs_can_be_read_and_deleted_after_the_ingest()
    {
        await using var org = new EmulatedOrg(WithExternalId());
        var result = await org.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, [new Account { Name = "A" }], Fast, cancellationToken: Ct);
        var jobId = result.Jobs[0].Id;

        var info = await org.Client.Bulk.GetIngestJobAsync(jobId, Ct);
        await org.Client.Bulk.DeleteIngestJobAsync(jobId, Ct);

        Assert.Equal(BulkJobState.JobComplete, info.State);
        Assert.Equal(1, info.NumberRecordsProcessed);
        var error = await Assert.ThrowsAsync<Client.Errors.SalesforceApiException>(() => org.Client.Bulk.GetIngestJobAsync(jobId, Ct));
        Assert.Equal("NOT_FOUND", error.ErrorCode);
    }

    private sealed class SyncProgress(List<BulkJobProgress> seen) : IProgress<BulkJobProgress>
    {
        public void Report(BulkJobProgress value) => seen.Add(value);
    }

    [Fact]
    public async Task A_query_job_streams_every_page_of_records_and_raw_CSV()
    {
        await using var org = new EmulatedOrg();
        var schema = org.Emulator.Org.Schema.Find("Account")!;
        for (var i = 0; i < 2_345; i++)
        {
            org.Emulator.Org.Create(schema, new Dictionary<string, object?> { ["Name"] = $"Row {i:D4}, \"quoted\"", ["Industry"] = i % 3 == 0 ? null : "Media" });
        }

        var options = new BulkQueryOptions { MaxRecordsPerPage = 1_000, PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(5) };
        var names = new List<string>();
        var nullIndustries = 0;
        await foreach (var account in org.Client.Bulk.QueryAsync<Account>("SELECT Id, Name, Industry FROM Account ORDER BY Name", options, cancellationToken: Ct))
        {
            names.Add(account.Name!);
            nullIndustries += account.Industry is null ? 1 : 0;
        }

        var csv = new StringBuilder();
        await foreach (var chunk in org.Client.Bulk.QueryCsvAsync("SELECT Name FROM Account WHERE Name LIKE 'Row 000%' ORDER BY Name", options, cancellationToken: Ct))
        {
            csv.Append(Encoding.UTF8.GetString(chunk.Span));
        }

        Assert.Equal(Enumerable.Range(0, 2_345).Select(i => $"Row {i:D4}, \"quoted\""), names);
        Assert.Equal(782, nullIndustries);
        Assert.StartsWith("Name\n\"Row 0000, \"\"quoted\"\"\"\n", csv.ToString(), StringComparison.Ordinal);
        Assert.Equal(11, csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
