using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Bulk;

public sealed class BulkClientTests
{
    private const string JobId = "7506g00000DhRA2AAN";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BulkIngestOptions Fast => new() { PollInterval = TimeSpan.Zero, MaxPollInterval = TimeSpan.Zero };

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public decimal? AnnualRevenue { get; set; }
        public DateOnly? SLAExpirationDate__c { get; set; }
        public DateTimeOffset? Next_Call__c { get; set; }
        public bool? Active__c { get; set; }
        public DateTimeOffset? CreatedDate { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Description { get; set; }
    }

    private static string Job(string state, long processed = 0, long failed = 0, string operation = "insert") =>
        $$"""{"id":"{{JobId}}","operation":"{{operation}}","object":"Account","state":"{{state}}","apiVersion":66.0,"jobType":"V2Ingest","numberRecordsProcessed":{{processed}},"numberRecordsFailed":{{failed}}}""";

    private static string CsvFixture(string name) => JsonSerializer.Deserialize<string>(Fixtures.Read("bulk2/" + name))!;

    /// <summary>Expects the create, upload and close of one job and returns a box that receives the uploaded CSV.</summary>
    private static StrongBox<string> ExpectJob(SalesforceTestHost host, string createBody, string jobId = JobId)
    {
        var uploaded = new StrongBox<string>(string.Empty);
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/ingest/"))
            .WithContent(createBody)
            .Respond("application/json", Job("Open").Replace(JobId, jobId, StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Put, SalesforceTestHost.Api($"jobs/ingest/{jobId}/batches/"))
            .WithHeaders("Content-Type", "text/csv; charset=utf-8")
            .With(request =>
            {
                uploaded.Value = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                return true;
            })
            .Respond(HttpStatusCode.Created);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api($"jobs/ingest/{jobId}/"))
            .WithContent("""{"state":"UploadComplete"}""")
            .Respond("application/json", Fixtures.Read("bulk2/ingest_close_job.restforce.json").Replace("}", $",\"id\":\"{jobId}\"}}", StringComparison.Ordinal));
        return uploaded;
    }

    private static void ExpectResults(SalesforceTestHost host, string successful, string failed, string unprocessed, string jobId = JobId)
    {
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{jobId}/successfulResults/")).WithHeaders("Accept", "text/csv").Respond("text/csv", successful);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{jobId}/failedResults/")).Respond("text/csv", failed);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{jobId}/unprocessedrecords/")).Respond("text/csv", unprocessed);
    }

    [Fact]
    public async Task Insert_creates_uploads_closes_polls_and_joins_the_recorded_results_to_the_inputs()
    {
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("InProgress", 1));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Fixtures.Read("bulk2/ingest_check_status.restforce.json"));
        ExpectResults(host, CsvFixture("ingest_successfulResults.restforce.csv.json"), "\"sf__Id\",\"sf__Error\",Name\n", "Name\n");
        var progress = new List<BulkJobProgress>();

        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert,
            [new SObject("Account") { ["Name"] = "Bizz Buzz" }, new SObject("Account") { ["Name"] = "Foo Bar" }], new BulkIngestOptions { PollInterval = TimeSpan.Zero, MaxPollInterval = TimeSpan.Zero, Progress = new SyncProgress(progress) }, Ct);

        Assert.Equal("Name\nBizz Buzz\nFoo Bar\n", uploaded.Value);
        Assert.Equal(["0012f000007uKgtAAE", "0012f000007uKgsAAE"], result.Results.Select(r => r.Id));
        Assert.All(result.Results, r => Assert.True(r.Success && r.Created == true));
        Assert.Equal([0, 1], result.Results.Select(r => r.Index));
        Assert.Equal([BulkJobState.InProgress, BulkJobState.JobComplete], progress.Select(p => p.State));
        Assert.Equal(JobId, progress[0].JobId);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Failed_and_unprocessed_rows_are_joined_back_with_typed_errors()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host, """{"object":"Account","operation":"update","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("Failed", 2, 2, "update"));
        var failed = "\"sf__Id\",\"sf__Error\",Id,Name\n\"001000000000002AAA\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\",\"001000000000002AAA\",\"\"\n"
            + "\"001000000000001AAA\",\"FIELD_CUSTOM_VALIDATION_EXCEPTION:No\",\"001000000000001AAA\",\"A\"\n";
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Id,Name\n", failed, "Id,Name\n001000000000003AAA,C\n");

        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.Update,
            [new Account { Id = "001000000000001AAA", Name = "A" }, new Account { Id = "001000000000002AAA", Description = null }, new Account { Id = "001000000000003AAA", Name = "C" }],
            new BulkIngestOptions { PollInterval = TimeSpan.Zero, Columns = ["Name"] }, cancellationToken: Ct);

        Assert.Equal(3, result.FailureCount);
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", result.Results[0].Errors[0].ErrorCode);
        Assert.Equal(["Name"], result.Results[1].Errors[0].Fields);
        Assert.Equal(SalesforceError.Codes.NotProcessed, result.Results[2].Errors[0].ErrorCode);
        Assert.Equal(BulkJobState.Failed, Assert.Single(result.Jobs).State);
    }

    [Fact]
    public async Task Recorded_failed_results_fixture_maps_to_failed_rows()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Fixtures.Read("bulk2/ingest_job_complete.simple-salesforce.json").Replace("Job-1", JobId, StringComparison.Ordinal));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Name\n", CsvFixture("ingest_failedResults.restforce.csv.json"), "Name\n");

        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert,
            [new Account { Name = "Foo Bar" }, new Account { Name = "Bizz Buzz" }], new BulkIngestOptions { PollInterval = TimeSpan.Zero, Columns = ["Name"] }, cancellationToken: Ct);

        Assert.All(result.Results, r => Assert.Equal("Error Message", r.Errors[0].Message));
        Assert.Equal(["0012f000007uKgsAAE", "0012f000007uKgtAAE"], result.Results.Select(r => r.Id));
    }

    [Fact]
    public async Task POCO_rows_use_Salesforce_formats_and_null_semantics()
    {
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Account","operation":"upsert","externalIdFieldName":"Ext__c","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 1, 0, "upsert"));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Name\n", "\"sf__Id\",\"sf__Error\",Name\n", "Name\n");

        await host.Client.Bulk.IngestAsync("Account", SaveOperation.Upsert,
            [new Account
            {
                Id = "001000000000001AAA",
                Name = "Zoë, \"the\"\nbest",
                AnnualRevenue = 1250000.50m,
                SLAExpirationDate__c = new DateOnly(2025, 1, 31),
                Next_Call__c = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(2)),
                Active__c = true,
                CreatedDate = DateTimeOffset.UtcNow,
            }],
            new BulkIngestOptions { ExternalIdField = "Ext__c", PollInterval = TimeSpan.Zero }, cancellationToken: Ct);

        // No Id or system field; a null Description is #N/A because it is marked to send nulls.
        Assert.Equal("Name,AnnualRevenue,SLAExpirationDate__c,Next_Call__c,Active__c,Description\n"
            + "\"Zoë, \"\"the\"\"\nbest\",1250000.50,2025-01-31,2025-01-31T10:00:00.000+0000,true,#N/A\n", uploaded.Value);
    }

    [Fact]
    public async Task SObject_rows_send_NA_for_null_and_an_empty_cell_for_a_field_not_set()
    {
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Contact","operation":"update","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 2, 0, "update"));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Id,Email,Phone,Account.Ext__c\n", "\"sf__Id\",\"sf__Error\",Id\n", "Id\n");

        await host.Client.Bulk.IngestAsync("Contact", SaveOperation.Update,
            [
                new SObject("Contact") { Id = "003000000000001AAA", ["Email"] = null, ["Phone"] = "", ["Account"] = new SObject("Account") { ["Ext__c"] = "A-1" } },
                new SObject("Contact") { Id = "003000000000002AAA", ["Email"] = "x@example.com" },
            ],
            Fast, cancellationToken: Ct);

        Assert.Equal("Id,Email,Phone,Account.Ext__c\n003000000000001AAA,#N/A,,A-1\n003000000000002AAA,x@example.com,,\n", uploaded.Value);
    }

    [Fact]
    public async Task An_ingest_with_null_options_uses_the_defaults()
    {
        // Issue 17: IngestAsync("Account", op, rows, null) was ambiguous (CS0121) between two overloads; it is one method now.
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Account","operation":"hardDelete","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 1, 0, "hardDelete"));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Id\n\"001000000000001AAA\",\"false\",\"001000000000001AAA\"\n", "\"sf__Id\",\"sf__Error\",Id\n", "Id\n");

        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.HardDelete, [new Account { Id = "001000000000001AAA" }], null, Ct);

        Assert.Equal("Id\n001000000000001AAA\n", uploaded.Value);
        Assert.True(result.Results[0].Success);
    }

    [Fact]
    public async Task Delete_sends_only_the_Id_column()
    {
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Account","operation":"hardDelete","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 1, 0, "hardDelete"));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Id\n\"001000000000001AAA\",\"false\",\"001000000000001AAA\"\n", "\"sf__Id\",\"sf__Error\",Id\n", "Id\n");

        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.HardDelete, [new Account { Id = "001000000000001AAA", Name = "ignored" }], Fast, cancellationToken: Ct);

        Assert.Equal("Id\n001000000000001AAA\n", uploaded.Value);
        Assert.True(result.Results[0].Success);
        Assert.Null(result.Results[0].Created);
    }

    [Fact]
    public async Task Inputs_over_the_upload_limit_are_split_into_several_jobs_each_with_its_header()
    {
        await using var host = new SalesforceTestHost();
        var rows = Enumerable.Range(0, 100).Select(i => new SObject("Account") { ["Name"] = $"Account number {i:D4} with some padding" }).ToList();
        var first = ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""", "750000000000001AAA");
        var second = ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""", "750000000000002AAA");
        var third = ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""", "750000000000003AAA");
        foreach (var id in new[] { "750000000000001AAA", "750000000000002AAA", "750000000000003AAA" })
        {
            host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{id}/")).Respond("application/json", Job("JobComplete").Replace(JobId, id, StringComparison.Ordinal));
            host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{id}/successfulResults/")).Respond(async request =>
            {
                // Echo every uploaded row as created, in reverse order: the join must not rely on order.
                var uploaded = id.EndsWith("1AAA", StringComparison.Ordinal) ? first.Value : id.EndsWith("2AAA", StringComparison.Ordinal) ? second.Value : third.Value;
                var lines = uploaded.TrimEnd('\n').Split('\n').Skip(1).Reverse();
                await Task.Yield();
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("\"sf__Id\",\"sf__Created\",Name\n" + string.Concat(lines.Select(l => $"\"001{l[15..19]}00000000AAA\",\"true\",\"{l}\"\n")), Encoding.UTF8, "text/csv"),
                };
            });
            host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{id}/failedResults/")).Respond("text/csv", "\"sf__Id\",\"sf__Error\",Name\n");
            host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{id}/unprocessedrecords/")).Respond("text/csv", "Name\n");
        }

        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, rows, new BulkIngestOptions { MaxUploadBytes = 1500, PollInterval = TimeSpan.Zero }, cancellationToken: Ct);

        Assert.Equal(3, result.Jobs.Count);
        Assert.All([first.Value, second.Value, third.Value], csv => Assert.StartsWith("Name\n", csv, StringComparison.Ordinal));
        Assert.All([first.Value, second.Value, third.Value], csv => Assert.True(Encoding.UTF8.GetByteCount(csv) <= 1500));
        Assert.Equal(100, result.SuccessCount);
        Assert.All(result.Results, (r, i) => Assert.Equal($"001{i:D4}00000000AAA", r.Id));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_caller_CSV_stream_with_backquotes_is_uploaded_with_its_delimiter()
    {
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"BACKQUOTE","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 10));
        var success = "\"sf__Id\"`\"sf__Created\"`NAME`TYPE`PHONE`WEBSITE`ANNUALREVENUE\n\"001000000000009AAA\"`\"true\"`\"account #9\"`\"Account\"`\"415-555-0000\"`\"http://www.accountUpsert9.com\"`\"9000\"\n";
        ExpectResults(host, success, "\"sf__Id\"`\"sf__Error\"`NAME\n", "NAME\n");
        var fixture = Fixtures.Read("bulk2/ingest_upload_backquote.jsforce.csv");

        var result = await host.Client.Bulk.IngestCsvAsync("Account", SaveOperation.Insert, new MemoryStream(Encoding.UTF8.GetBytes(fixture)),
            new BulkIngestOptions { ColumnDelimiter = "BACKQUOTE", PollInterval = TimeSpan.Zero }, cancellationToken: Ct);

        Assert.Equal(fixture.ReplaceLineEndings("\n"), uploaded.Value);
        Assert.Equal(10, result.Results.Count);
        Assert.Equal("001000000000009AAA", result.Results[9].Id);
        Assert.Equal(SalesforceError.Codes.NotProcessed, result.Results[0].Errors[0].ErrorCode);
    }

    [Fact]
    public async Task The_recorded_multi_line_sample_is_uploaded_value_for_value()
    {
        await using var host = new SalesforceTestHost();
        var uploaded = ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 2));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",NAME\n", "\"sf__Id\",\"sf__Error\",NAME\n", "NAME\n");
        var fixture = Fixtures.Read("bulk2/ingest_upload_sample.jsforce.csv");

        var result = await host.Client.Bulk.IngestCsvAsync("Account", SaveOperation.Insert, new MemoryStream(Encoding.UTF8.GetBytes(fixture)), Fast, cancellationToken: Ct);

        Assert.Equal(await ReadAll(fixture), await ReadAll(uploaded.Value));
        Assert.Equal((await ReadAll(fixture)).Count - 1, result.Results.Count);
    }

    [Fact]
    public async Task A_DateTime_of_unspecified_kind_is_refused_like_in_JSON()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Fallback.Respond(HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert,
            [new SObject("Account") { ["Next_Call__c"] = new DateTime(2025, 1, 31, 10, 0, 0, DateTimeKind.Unspecified) }], Fast, cancellationToken: Ct));

        Assert.Contains("DateTimeKind.Unspecified", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<string[]>> ReadAll(string csv)
    {
        using var reader = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        var rows = new List<string[]>();
        while (await reader.ReadRowAsync(Ct) is { } row)
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task A_timeout_names_the_job_and_says_it_keeps_running()
    {
        // Every read of the clock moves it a minute on; a timeout of one minute has passed at the first check whatever else
        // reads the clock, so no poll waits on a timer the fake clock would never fire.
        var time = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMinutes(1) };
        await using var host = new SalesforceTestHost(services: s => s.AddSingleton<TimeProvider>(time));
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("InProgress"));

        var error = await Assert.ThrowsAsync<BulkJobTimeoutException>(() => host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert,
            [new SObject("Account") { ["Name"] = "A" }], new BulkIngestOptions { PollInterval = TimeSpan.Zero, Timeout = TimeSpan.FromMinutes(1) }, cancellationToken: Ct));

        Assert.Equal(JobId, error.JobId);
        Assert.Contains(JobId, error.Message, StringComparison.Ordinal);
        Assert.Contains("keeps running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_while_waiting_names_the_job_and_says_it_keeps_running()
    {
        await using var host = new SalesforceTestHost();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond(_ =>
        {
            cts.Cancel();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Job("InProgress"), Encoding.UTF8, "application/json") };
        });

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert,
            [new SObject("Account") { ["Name"] = "A" }], Fast, cancellationToken: cts.Token));

        Assert.Contains(JobId, error.Message, StringComparison.Ordinal);
        Assert.Contains("keeps running in Salesforce", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_abort_and_delete_address_the_job()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Fixtures.Read("bulk2/ingest_create_job.restforce.json"));
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).WithContent("""{"state":"Aborted"}""").Respond("application/json", Job("Aborted"));
        host.Http.Expect(HttpMethod.Delete, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond(HttpStatusCode.NoContent);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api($"jobs/query/{JobId}/")).WithContent("""{"state":"Aborted"}""").Respond("application/json", Job("Aborted"));
        host.Http.Expect(HttpMethod.Delete, SalesforceTestHost.Api($"jobs/query/{JobId}/")).Respond(HttpStatusCode.NoContent);

        var info = await host.Client.Bulk.GetIngestJobAsync(JobId, Ct);
        var aborted = await host.Client.Bulk.AbortIngestJobAsync(JobId, Ct);
        await host.Client.Bulk.DeleteIngestJobAsync(JobId, Ct);
        await host.Client.Bulk.AbortQueryJobAsync(JobId, Ct);
        await host.Client.Bulk.DeleteQueryJobAsync(JobId, Ct);

        Assert.Equal(("0123456789ABC", BulkJobState.Open, 46.0m, new DateTimeOffset(2019, 6, 27, 19, 21, 14, TimeSpan.Zero)), (info.Id, info.State, info.ApiVersion, info.CreatedDate!.Value));
        Assert.True(aborted.IsFinal);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Bad_arguments_fail_before_any_call()
    {
        await using var host = new SalesforceTestHost();
        var bulk = host.Client.Bulk;

        await Assert.ThrowsAsync<ArgumentException>(() => bulk.IngestAsync("Bad name", SaveOperation.Insert, new[] { new Account() }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => bulk.IngestAsync<Account>("Account", SaveOperation.Insert, null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => bulk.IngestAsync("Account", SaveOperation.Insert, new[] { new Account() }, new BulkIngestOptions { MaxUploadBytes = 200_000_000 }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => bulk.IngestCsvAsync("Account", SaveOperation.Insert, Stream.Null, new BulkIngestOptions { ColumnDelimiter = "DOT" }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => bulk.GetIngestJobAsync("../limits", Ct));
        Assert.Throws<ArgumentException>(() => bulk.QueryAsync<SObject>(" ", cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => bulk.QueryAsync<int>("SELECT Id FROM Account", cancellationToken: Ct));
    }

    private sealed class SyncProgress(List<BulkJobProgress> seen) : IProgress<BulkJobProgress>
    {
        public void Report(BulkJobProgress value) => seen.Add(value);
    }

    private sealed class StrongBox<T>(T value)
    {
        public T Value { get; set; } = value;
    }

    [Fact]
    public async Task Default_polling_first_waits_50_ms_then_doubles_up_to_30_s()
    {
        var clock = new PollClock();
        await using var host = new SalesforceTestHost(services: s => s.AddSingleton<TimeProvider>(clock));
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        for (var poll = 1; poll <= 12; poll++)
        {
            host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", poll < 12 ? Job("InProgress") : Job("JobComplete", 1));
        }

        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Name\n", "\"sf__Id\",\"sf__Error\",Name\n", "Name\n");

        await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, [new SObject("Account") { ["Name"] = "A" }], cancellationToken: Ct);

        // The documented schedule (BulkJobOptions.PollInterval): 50 ms, then twice the last wait, never more than 30 s; one
        // poll after each wait (the twelve expected ones, in order).
        Assert.Equal([50, 100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000], clock.Waits.Select(w => w.TotalMilliseconds));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_job_that_reports_progress_is_polled_when_its_rate_says_it_is_done_never_later_than_the_doubling()
    {
        var clock = new PollClock();
        await using var host = new SalesforceTestHost(services: s => s.AddSingleton<TimeProvider>(clock));
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        // 10 rows. 50 ms after the close the job is still queued (no rate: the doubling, 100 ms); 150 ms after it, 5 rows are
        // done (5 more at that rate take 150 ms, sooner than the doubling's 200 ms); at 300 ms it is complete.
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("UploadComplete"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("InProgress", 5));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 10));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Name\n", "\"sf__Id\",\"sf__Error\",Name\n", "Name\n");

        await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, Enumerable.Range(0, 10).Select(i => new SObject("Account") { ["Name"] = "A" + i }), cancellationToken: Ct);

        Assert.Equal([50, 100, 150], clock.Waits.Select(w => w.TotalMilliseconds));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_slow_rate_never_stretches_a_wait_past_the_doubling_and_a_fast_one_never_polls_sooner_than_the_first_wait()
    {
        var clock = new PollClock();
        await using var host = new SalesforceTestHost(services: s => s.AddSingleton<TimeProvider>(clock));
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        // 10 rows. At 50 ms 1 row is done (9 more at that rate: 450 ms, so the doubling's 100 ms); at 150 ms 9 are done (one
        // more: 17 ms, so no sooner than the first wait, 50 ms); then complete.
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("InProgress", 1));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("InProgress", 9));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 10));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Name\n", "\"sf__Id\",\"sf__Error\",Name\n", "Name\n");

        await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, Enumerable.Range(0, 10).Select(i => new SObject("Account") { ["Name"] = "A" + i }), cancellationToken: Ct);

        Assert.Equal([50, 100, 50], clock.Waits.Select(w => w.TotalMilliseconds));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_job_done_by_its_first_poll_costs_seven_calls_with_the_default_polling()
    {
        await using var host = new SalesforceTestHost();
        ExpectJob(host, """{"object":"Account","operation":"insert","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api($"jobs/ingest/{JobId}/")).Respond("application/json", Job("JobComplete", 1));
        ExpectResults(host, "\"sf__Id\",\"sf__Created\",Name\n\"001000000000001AAA\",\"true\",\"A\"\n", "\"sf__Id\",\"sf__Error\",Name\n", "Name\n");
        var result = await host.Client.Bulk.IngestAsync("Account", SaveOperation.Insert, [new SObject("Account") { ["Name"] = "A" }], cancellationToken: Ct);

        // Create, upload, close, one poll, three result files: each expected once, in order (a second poll would match none
        // and fail the ingest).
        Assert.Equal(1, result.SuccessCount);
        host.Http.VerifyNoOutstandingExpectation();
    }

    /// <summary>
    /// A clock that records every wait of less than a minute and lets it pass at once (the SDK's timeouts, minutes long, never
    /// fire): the polling schedule without waiting for it.
    /// </summary>
    private sealed class PollClock : TimeProvider
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public List<TimeSpan> Waits { get; } = [];

        public override DateTimeOffset GetUtcNow()
        {
            lock (_gate)
            {
                return _now;
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.Zero && dueTime < TimeSpan.FromMinutes(1))
            {
                lock (_gate)
                {
                    Waits.Add(dueTime);
                    _now += dueTime;
                }

                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }

            return new NeverTimer();
        }

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => default;
        }
    }
}
