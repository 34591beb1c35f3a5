using System.Net;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Records;

public sealed class SaveAsyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
    }

    [Fact]
    public async Task One_row_takes_a_single_request_and_a_refusal_is_a_failed_result()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Account/")).WithContent("""{"Name":"Acme"}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"001000000000001AAA","success":true,"errors":[]}""");
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Account/"))
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("errors/400_required_field_missing.jsforce.json"));

        var saved = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Insert, [new Account { Name = "Acme" }], cancellationToken: Ct);
        var refused = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Insert, [new Account()], cancellationToken: Ct);

        Assert.Equal(new SaveResult
        {
            Index = 0,
            Id = "001000000000001AAA",
            Success = true,
            Created = true,
        }, saved[0] with { Errors = [] });
        Assert.False(refused[0].Success);
        Assert.Equal("REQUIRED_FIELD_MISSING", refused[0].Errors[0].ErrorCode);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Up_to_the_threshold_rows_go_through_collections()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("composite/sobjects/"))
            .Respond("application/json", """[{"id":"001000000000001AAA","success":true,"errors":[]},{"id":"001000000000002AAA","success":true,"errors":[]}]""");
        host.Http.Expect(HttpMethod.Delete, SalesforceTestHost.Api("composite/sobjects/"))
            .WithQueryString("ids", "001000000000001AAA,001000000000002AAA")
            .Respond("application/json", """[{"id":"001000000000001AAA","success":true,"errors":[]},{"id":"001000000000002AAA","success":true,"errors":[]}]""");
        Account[] rows = [new() { Id = "001000000000001AAA", Name = "A" }, new() { Id = "001000000000002AAA", Name = "B" }];

        var updated = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Update, rows, cancellationToken: Ct);
        var deleted = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Delete, rows, cancellationToken: Ct);

        Assert.All(updated.Concat(deleted), r => Assert.True(r.Success));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Above_the_threshold_rows_go_through_a_bulk_job()
    {
        await using var host = new SalesforceTestHost();
        const string job = """{"id":"750000000000001AAA","object":"Account","operation":"upsert","state":"JobComplete","apiVersion":66.0}""";
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/ingest/"))
            .WithContent("""{"object":"Account","operation":"upsert","externalIdFieldName":"Name","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""")
            .Respond("application/json", job.Replace("JobComplete", "Open", StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Put, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/batches/")).WithContent("Name\nA\nB\nC\n").Respond(HttpStatusCode.Created);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/")).Respond("application/json", job.Replace("JobComplete", "UploadComplete", StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/")).Respond("application/json", job);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/successfulResults/"))
            .Respond("text/csv", "\"sf__Id\",\"sf__Created\",Name\n\"001000000000003AAA\",\"false\",\"C\"\n\"001000000000001AAA\",\"true\",\"A\"\n");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/failedResults/"))
            .Respond("text/csv", "\"sf__Id\",\"sf__Error\",Name\n\"\",\"DUPLICATE_VALUE:duplicate value found\",\"B\"\n");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/unprocessedrecords/")).Respond("text/csv", "Name\n");
        var progress = new List<BulkJobProgress>();

        var results = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Upsert,
            [new Account { Name = "A" }, new Account { Name = "B" }, new Account { Name = "C" }],
            new SaveOptions { ExternalIdField = "Name", BulkThreshold = 2, Bulk = new BulkIngestOptions { PollInterval = TimeSpan.Zero, Progress = new SyncProgress(progress) } }, Ct);

        Assert.Equal([true, false, true], results.Select(r => r.Success));
        Assert.Equal([true, null, false], results.Select(r => r.Created));
        Assert.Equal("DUPLICATE_VALUE", results[1].Errors[0].ErrorCode);
        Assert.Equal(BulkJobState.JobComplete, Assert.Single(progress).State);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task With_the_default_threshold_2000_rows_take_ten_collections_calls_and_2001_rows_one_bulk_job_of_seven()
    {
        // Salesforce: "Any data operation that includes more than 2,000 records is a good candidate for Bulk API 2.0 ... Jobs
        // with fewer than 2,000 records should involve 'bulkified' synchronous calls in REST (for example, Composite)"
        // (Salesforce Developer Limits and Allocations Quick Reference, "Bulk API and Bulk API 2.0 Limits and Allocations").
        await using var host = new SalesforceTestHost();
        var collectionsCalls = 0;
        var twoHundred = "[" + string.Join(",", Enumerable.Repeat("""{"id":"001000000000001AAA","success":true,"errors":[]}""", 200)) + "]";
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(_ =>
        {
            Interlocked.Increment(ref collectionsCalls);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(twoHundred, System.Text.Encoding.UTF8, "application/json") };
        });

        var atThreshold = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Insert, Enumerable.Range(0, 2_000).Select(i => new Account { Name = "R" + i }), cancellationToken: Ct);
        var collectionsAtThreshold = collectionsCalls;

        const string job = """{"id":"750000000000001AAA","object":"Account","operation":"insert","state":"Open","apiVersion":66.0}""";
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/ingest/")).Respond("application/json", job);
        host.Http.Expect(HttpMethod.Put, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/batches/")).Respond(HttpStatusCode.Created);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/")).Respond("application/json", job.Replace("Open", "UploadComplete", StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/")).Respond("application/json", job.Replace("Open", "JobComplete", StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/successfulResults/")).Respond("text/csv", "\"sf__Id\",\"sf__Created\",Name\n");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/failedResults/")).Respond("text/csv", "\"sf__Id\",\"sf__Error\",Name\n");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/unprocessedrecords/")).Respond("text/csv", "Name\n");

        var aboveThreshold = await host.Client.SObjects.SaveAsync("Account", SaveOperation.Insert, Enumerable.Range(0, 2_001).Select(i => new Account { Name = "R" + i }), cancellationToken: Ct);

        Assert.Equal(2_000, SaveOptions.DefaultBulkThreshold);
        Assert.Equal((2_000, 10), (atThreshold.Count, collectionsAtThreshold));
        Assert.Equal((2_001, 10), (aboveThreshold.Count, collectionsCalls));
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_hard_delete_goes_through_a_bulk_job_even_for_one_row()
    {
        // Only Bulk API 2.0 hard-deletes (a single-record or collections delete goes to the recycle bin).
        await using var host = new SalesforceTestHost();
        const string job = """{"id":"750000000000001AAA","object":"Account","operation":"hardDelete","state":"JobComplete","apiVersion":66.0}""";
        host.Http.Expect(HttpMethod.Post, SalesforceTestHost.Api("jobs/ingest/"))
            .WithContent("""{"object":"Account","operation":"hardDelete","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}""")
            .Respond("application/json", job.Replace("JobComplete", "Open", StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Put, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/batches/")).WithContent("Id\n001000000000001AAA\n").Respond(HttpStatusCode.Created);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/")).Respond("application/json", job.Replace("JobComplete", "UploadComplete", StringComparison.Ordinal));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/")).Respond("application/json", job);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/successfulResults/"))
            .Respond("text/csv", "\"sf__Id\",\"sf__Created\",Id\n\"001000000000001AAA\",\"false\",\"001000000000001AAA\"\n");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/failedResults/")).Respond("text/csv", "\"sf__Id\",\"sf__Error\",Id\n");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("jobs/ingest/750000000000001AAA/unprocessedrecords/")).Respond("text/csv", "Id\n");

        var results = await host.Client.SObjects.SaveAsync("Account", SaveOperation.HardDelete, [new Account { Id = "001000000000001AAA" }],
            new SaveOptions { Bulk = new BulkIngestOptions { PollInterval = TimeSpan.Zero } }, Ct);

        Assert.True(Assert.Single(results).Success);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Bad_input_fails_before_any_call()
    {
        await using var host = new SalesforceTestHost();
        var sobjects = host.Client.SObjects;

        await Assert.ThrowsAsync<ArgumentException>(() => sobjects.SaveAsync("Account", SaveOperation.Upsert, [new Account()], cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sobjects.SaveAsync("Account", SaveOperation.Update, [new Account { Name = "no id" }], cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sobjects.SaveAsync("Account", SaveOperation.Insert, new Account?[] { null }, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sobjects.SaveAsync("Account", SaveOperation.Insert, [new Account()], new SaveOptions { BulkThreshold = 0 }, Ct));
        Assert.Empty(await sobjects.SaveAsync("Account", SaveOperation.Insert, Array.Empty<Account>(), cancellationToken: Ct));
    }

    private sealed class SyncProgress(List<BulkJobProgress> seen) : IProgress<BulkJobProgress>
    {
        public void Report(BulkJobProgress value) => seen.Add(value);
    }
}
