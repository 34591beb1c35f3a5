using System.Text.Json;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// Nothing lost, nothing repeated: paged queries and Bulk API 2.0 jobs against the emulator over a real loopback socket, with
/// its fault injection on each request position (503 SERVER_UNAVAILABLE, 400 UNABLE_TO_LOCK_ROW, a dropped connection, and
/// latency past the attempt timeout). Job states and abort follow the Bulk API 2.0 Developer Guide: "Job States"
/// (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_job_states.htm: a closed job moves
/// UploadComplete → InProgress → JobComplete; Aborted is reached from any state before that) and "Close or Abort a Job"
/// (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/close_job.htm: an aborted job is not queued or
/// processed). A query's nextRecordsUrl can be fetched again while its locator lives (REST API "Execute a SOQL Query").
/// </summary>
public sealed class ResumeAfterFaultsTests : IAsyncLifetime
{
    private const int Retries = 3;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private ServiceProvider _plainProvider = null!;
    private SalesforceClient _sf = null!;
    private SalesforceClient _plain = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Inserts, not upserts: an upsert by external id would hide a row uploaded twice; an insert shows it as a duplicate.
    private static BulkIngestOptions Fast => new() { PollInterval = TimeSpan.FromMilliseconds(5), MaxPollInterval = TimeSpan.FromMilliseconds(20) };

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions { DailyApiLimit = 1_000_000 };
        options.CustomFields["Account"] = [new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true }];
        _emulator = new SalesforceEmulator(options);
        _server = await _emulator.ListenAsync(cancellationToken: Ct);
        (_provider, _sf) = await ClientAsync(o =>
        {
            o.Resilience.MaxRetryAttempts = Retries;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(10);
            o.Resilience.AttemptTimeout = AttemptTimeout;
            // These tests inject a fault into request after request on purpose: the per-host circuit breaker (its own tests
            // are CircuitBreakerTests) would open part-way and turn retry and row accounting into CIRCUIT_OPEN.
            o.Resilience.CircuitBreaker.Enabled = false;
        });
        // Seeding and counting go through a client with the default timeouts, so that a loaded machine cannot fail them.
        (_plainProvider, _plain) = await ClientAsync(_ => { });
    }

    private async Task<(ServiceProvider, SalesforceClient)> ClientAsync(Action<SalesforceOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.LoginUrl = _server.BaseAddress;
            configure(o);
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, _emulator.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        return (provider, provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1"));
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _plainProvider.DisposeAsync();
        await _server.DisposeAsync();
    }

    public static TheoryData<FaultKind> Faults => new() { FaultKind.Unavailable, FaultKind.UnableToLockRow, FaultKind.DropConnection, FaultKind.Latency };

    private static EmulatorFault Fault(FaultKind kind, string path, string method, int count = 1) =>
        new(kind, path) { Method = method, Count = count, Latency = AttemptTimeout * 5 };

    private static IEnumerable<SObject> Accounts(int count, int from = 0) =>
        Enumerable.Range(from, count).Select(i => new SObject("Account") { ["Name"] = $"Row {i:D5}", ["Ext_Id__c"] = $"R-{i:D5}" });

    private async Task<HashSet<string>> SeedAsync(int count)
    {
        var saved = await _plain.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(count), Fast, cancellationToken: Ct);
        Assert.Equal(count, saved.SuccessCount);
        return [.. saved.Results.Select(r => r.Id!)];
    }

    private async Task<int> PendingFaultsAsync()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var pending = JsonDocument.Parse(await http.GetStringAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct));
        return pending.RootElement.GetArrayLength();
    }

    /// <summary>Every Account the org holds for the given external ids, by external id (a duplicate shows as a count above 1).</summary>
    private async Task<Dictionary<string, int>> AccountsByExternalIdAsync()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var account in _plain.Query.QueryAsync<SObject>("SELECT Ext_Id__c FROM Account WHERE Ext_Id__c LIKE 'R-%'", cancellationToken: Ct))
        {
            var key = account.Get<string>("Ext_Id__c")!;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static string PagePath(int page) => page == 0 ? "/services/data/*/query" : $"/services/data/*/query/*-{page * 2000}";

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_12000_row_query_survives_a_fault_on_each_page_and_yields_every_row_once(FaultKind kind)
    {
        var seeded = await SeedAsync(12_000);

        for (var page = 0; page < 6; page++)
        {
            _emulator.InjectFault(Fault(kind, PagePath(page), "GET"));
            var ids = new List<string>();
            await foreach (var account in _sf.Query.QueryAsync<SObject>("SELECT Id, Name FROM Account ORDER BY Name", cancellationToken: Ct))
            {
                ids.Add(account.Id!);
            }

            Assert.Equal(0, await PendingFaultsAsync());
            Assert.Equal(12_000, ids.Count);
            Assert.Equal(12_000, ids.Distinct().Count());
            Assert.True(seeded.SetEquals(ids), $"page {page}: the rows differ from the ones saved");
        }
    }

    [Fact]
    public async Task When_the_retry_budget_is_spent_the_continuation_token_yields_exactly_the_remaining_rows()
    {
        var seeded = await SeedAsync(12_000);
        // Page 3 (rows 4,000 on) fails on 8 attempts in a row: two calls' worth of attempts (1 + 3 retries each).
        _emulator.InjectFault(Fault(FaultKind.Unavailable, PagePath(2), "GET", count: 2 * (Retries + 1)));
        var query = _sf.Query.QueryAsync<SObject>("SELECT Id FROM Account ORDER BY Name", cancellationToken: Ct);
        var ids = new List<string>();

        var first = await Assert.ThrowsAsync<QueryInterruptedException>(async () =>
        {
            await foreach (var account in query)
            {
                ids.Add(account.Id!);
            }
        });
        var again = await Assert.ThrowsAsync<QueryInterruptedException>(async () =>
        {
            await foreach (var page in query.AsPages(first.ContinuationToken))
            {
                ids.AddRange(page.Records.Select(r => r.Id!));
            }
        });
        var rest = new List<string>();
        await foreach (var page in query.AsPages(again.ContinuationToken))
        {
            rest.AddRange(page.Records.Select(r => r.Id!));
        }

        Assert.Equal((4_000L, 4_000), (first.RowsDelivered, ids.Count));
        Assert.EndsWith("-4000", first.ContinuationToken, StringComparison.Ordinal);
        Assert.False(first.IsTransient);
        Assert.True(Assert.IsType<SalesforceApiException>(first.InnerException).IsTransient);
        Assert.Equal((0L, first.ContinuationToken), (again.RowsDelivered, again.ContinuationToken));
        Assert.Equal(8_000, rest.Count);
        Assert.Equal(12_000, ids.Concat(rest).Distinct().Count());
        Assert.True(seeded.SetEquals(ids.Concat(rest)));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_single_fault_on_a_Bulk_poll_or_result_download_is_retried_and_every_row_is_saved_once(FaultKind kind)
    {
        _emulator.InjectFault(Fault(kind, "/services/data/*/jobs/ingest/*", "GET"));
        var polled = await _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000), Fast, cancellationToken: Ct);
        _emulator.InjectFault(Fault(kind, "/services/data/*/jobs/ingest/*/successfulResults", "GET"));
        var downloaded = await _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000, 1_000), Fast, cancellationToken: Ct);

        Assert.Equal(0, await PendingFaultsAsync());
        Assert.Equal((1_000, 1_000), (polled.SuccessCount, downloaded.SuccessCount));
        var org = await AccountsByExternalIdAsync();
        Assert.Equal(2_000, org.Count);
        Assert.All(org.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_poll_that_keeps_failing_names_the_job_and_resuming_by_id_gives_every_result_without_duplicates()
    {
        _emulator.InjectFault(Fault(FaultKind.Unavailable, "/services/data/*/jobs/ingest/*", "GET", count: Retries + 1));

        var e = await Assert.ThrowsAsync<BulkJobException>(
            () => _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000), Fast, cancellationToken: Ct));
        var done = await _sf.Bulk.WaitForIngestJobAsync(e.JobId, Fast, cancellationToken: Ct);
        var results = await _sf.Bulk.GetIngestJobResultsAsync(e.JobId, Ct);

        // The job was closed before the polls failed: it is left to finish, never aborted and never uploaded again.
        Assert.False(e.IsTransient);
        Assert.Null(e.AbortSucceeded);
        Assert.Equal(BulkJobState.UploadComplete, e.LastKnownState);
        Assert.Equal((e.JobId, 0, 1_000), (e.IngestJobs.Single().Job.Id, e.IngestJobs[0].FirstRow, e.IngestJobs[0].RowCount));
        Assert.Contains(e.JobId, e.Message, StringComparison.Ordinal);
        Assert.Equal(BulkJobState.JobComplete, done.State);
        Assert.Equal((1_000, 0, 0), (results.SuccessCount, results.FailureCount, results.UnprocessedCount));
        Assert.All(results.Rows, r => Assert.True(r.Created));
        Assert.Equal(1_000, results.Rows.Select(r => r.Fields["Ext_Id__c"]).Distinct().Count());
        var org = await AccountsByExternalIdAsync();
        Assert.Equal(1_000, org.Count);
        Assert.All(org.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_result_download_that_keeps_failing_names_the_finished_job_and_its_results_are_read_by_id()
    {
        _emulator.InjectFault(Fault(FaultKind.DropConnection, "/services/data/*/jobs/ingest/*/successfulResults", "GET", count: Retries + 1));

        var e = await Assert.ThrowsAsync<BulkJobException>(
            () => _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000), Fast, cancellationToken: Ct));
        var results = await _sf.Bulk.GetIngestJobResultsAsync(e.JobId, Ct);

        Assert.Equal(BulkJobState.JobComplete, e.LastKnownState);
        Assert.Null(e.AbortSucceeded);
        Assert.Equal(1_000, results.SuccessCount);
        Assert.Equal(1_000, results.Rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(1_000, (await AccountsByExternalIdAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failed_upload_aborts_the_job_and_uploading_the_rows_again_saves_each_once(FaultKind kind)
    {
        _emulator.InjectFault(Fault(kind, "/services/data/*/jobs/ingest/*/batches", "PUT"));

        var e = await Assert.ThrowsAsync<BulkJobException>(
            () => _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000), Fast, cancellationToken: Ct));
        var job = await _sf.Bulk.GetIngestJobAsync(e.JobId, Ct);
        var before = await AccountsByExternalIdAsync();
        var failed = e.IngestJobs.Single(j => j.Job.Id == e.JobId);
        var retried = await _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(failed.RowCount, failed.FirstRow), Fast, cancellationToken: Ct);

        Assert.True(e.AbortSucceeded);
        Assert.Equal(BulkJobState.Aborted, e.LastKnownState);
        Assert.Equal(BulkJobState.Aborted, job.State);
        Assert.False(e.IsTransient);
        Assert.Empty(before);
        Assert.Equal((0, 1_000), (failed.FirstRow, failed.RowCount));
        Assert.Equal(1_000, retried.SuccessCount);
        var org = await AccountsByExternalIdAsync();
        Assert.Equal(1_000, org.Count);
        Assert.All(org.Values, n => Assert.Equal(1, n));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failed_close_aborts_the_job_so_none_of_its_rows_are_processed(FaultKind kind)
    {
        _emulator.InjectFault(Fault(kind, "/services/data/*/jobs/ingest/*", "PATCH"));

        var e = await Assert.ThrowsAsync<BulkJobException>(
            () => _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000), Fast, cancellationToken: Ct));
        var results = await _sf.Bulk.GetIngestJobResultsAsync(e.JobId, Ct);
        var before = await AccountsByExternalIdAsync();
        await _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(1_000), Fast, cancellationToken: Ct);

        Assert.True(e.AbortSucceeded);
        Assert.Equal(BulkJobState.Aborted, e.LastKnownState);
        Assert.Contains("Closing", e.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0, 1_000), (results.SuccessCount, results.FailureCount, results.UnprocessedCount));
        Assert.Empty(before);
        var org = await AccountsByExternalIdAsync();
        Assert.Equal(1_000, org.Count);
        Assert.All(org.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task When_the_abort_fails_too_the_exception_says_so_and_the_job_is_left_open_for_the_caller()
    {
        _emulator.InjectFault(Fault(FaultKind.Unavailable, "/services/data/*/jobs/ingest/*", "PATCH", count: 2));

        var e = await Assert.ThrowsAsync<BulkJobException>(
            () => _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, Accounts(10), Fast, cancellationToken: Ct));
        var open = await Assert.ThrowsAsync<BulkJobException>(() => _sf.Bulk.WaitForIngestJobAsync(e.JobId, Fast, cancellationToken: Ct));
        var aborted = await _sf.Bulk.AbortIngestJobAsync(e.JobId, Ct);

        Assert.False(e.AbortSucceeded);
        Assert.Equal(BulkJobState.Open, e.LastKnownState);
        Assert.Contains("abort it by its id", e.Message, StringComparison.Ordinal);
        Assert.Equal(BulkJobState.Open, open.LastKnownState);
        Assert.Equal(BulkJobState.Aborted, aborted.State);
        Assert.Empty(await AccountsByExternalIdAsync());
    }

    /// <summary>The documented continuation of an ingest: send again what an aborted job held, wait for closed jobs by id.</summary>
    private async Task InsertOnceAsync(IReadOnlyList<SObject> rows)
    {
        var from = 0;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                await _sf.Bulk.IngestAsync("Account", SaveOperation.Insert, rows.Skip(from), Fast, cancellationToken: Ct);
                return;
            }
            catch (BulkJobException e) when (e.AbortSucceeded == true && e.JobInfo.NumberRecordsProcessed == 0)
            {
                from += e.IngestJobs.Single(j => j.Job.Id == e.JobId).FirstRow;
            }
            catch (BulkJobException e) when (e.AbortSucceeded == false && e.LastKnownState == BulkJobState.Open)
            {
                // The abort failed too and the job is still open: abort it, then its rows can be sent again.
                Assert.Equal(BulkJobState.Aborted, (await _sf.Bulk.AbortIngestJobAsync(e.JobId, Ct)).State);
                from += e.IngestJobs.Single(j => j.Job.Id == e.JobId).FirstRow;
            }
            catch (BulkJobException e) when (e.AbortSucceeded is null || e.LastKnownState != BulkJobState.Open)
            {
                // Closed (or the close went through though its answer was lost): wait for the jobs, never send their rows again.
                foreach (var job in e.IngestJobs)
                {
                    await _sf.Bulk.WaitForIngestJobAsync(job.Job.Id, Fast, cancellationToken: Ct);
                    var results = await _sf.Bulk.GetIngestJobResultsAsync(job.Job.Id, Ct);
                    Assert.Equal(job.RowCount, results.SuccessCount);
                }

                return;
            }
        }

        Assert.Fail("The rows were not saved after 5 attempts.");
    }

    [Fact]
    public async Task Four_concurrent_ingests_through_failing_polls_uploads_and_closes_end_with_every_row_saved_once()
    {
        // The faults are shared: whichever calls reach a step first meet them.
        _emulator.InjectFault(Fault(FaultKind.Unavailable, "/services/data/*/jobs/ingest/*", "GET", count: Retries + 1));
        _emulator.InjectFault(Fault(FaultKind.DropConnection, "/services/data/*/jobs/ingest/*/batches", "PUT"));
        _emulator.InjectFault(Fault(FaultKind.UnableToLockRow, "/services/data/*/jobs/ingest/*", "PATCH"));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(c => InsertOnceAsync([.. Accounts(500, c * 500)])));

        Assert.Equal(0, await PendingFaultsAsync());
        var org = await AccountsByExternalIdAsync();
        Assert.Equal(2_000, org.Count);
        Assert.All(org.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Four_concurrent_12000_row_queries_through_spent_retry_budgets_each_yield_every_row_once()
    {
        var seeded = await SeedAsync(12_000);
        _emulator.InjectFault(Fault(FaultKind.Unavailable, PagePath(2), "GET", count: 2 * (Retries + 1)));
        _emulator.InjectFault(Fault(FaultKind.DropConnection, PagePath(4), "GET", count: Retries + 1));

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var query = _sf.Query.QueryAsync<SObject>("SELECT Id FROM Account ORDER BY Name", cancellationToken: Ct);
            var ids = new List<string>();
            string? continuation = null;
            for (var attempt = 0; ; attempt++)
            {
                var before = ids.Count;
                try
                {
                    await foreach (var page in query.AsPages(continuation))
                    {
                        ids.AddRange(page.Records.Select(r => r.Id!));
                    }

                    return ids;
                }
                catch (QueryInterruptedException e) when (attempt < 10)
                {
                    Assert.Equal(ids.Count - before, e.RowsDelivered);
                    continuation = e.ContinuationToken;
                }
            }
        }));

        Assert.Equal(0, await PendingFaultsAsync());
        Assert.All(runs, ids =>
        {
            Assert.Equal(12_000, ids.Count);
            Assert.True(seeded.SetEquals(ids));
        });
    }

    [Fact]
    public async Task A_Bulk_query_whose_result_download_keeps_failing_names_the_job_and_its_results_are_read_by_id()
    {
        var seeded = await SeedAsync(3_000);
        _emulator.InjectFault(Fault(FaultKind.Unavailable, "/services/data/*/jobs/query/*/results", "GET", count: Retries + 1));
        var options = new BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(5), MaxRecordsPerPage = 1_000 };
        var before = new List<string>();

        var e = await Assert.ThrowsAsync<BulkJobException>(async () =>
        {
            await foreach (var account in _sf.Bulk.QueryAsync<SObject>("SELECT Id FROM Account", options, cancellationToken: Ct))
            {
                before.Add(account.Id!);
            }
        });
        var waited = await _sf.Bulk.WaitForQueryJobAsync(e.JobId, options, cancellationToken: Ct);
        var ids = new List<string>();
        await foreach (var account in _sf.Bulk.GetQueryJobResultsAsync<SObject>(e.JobId, options, Ct))
        {
            ids.Add(account.Id!);
        }

        Assert.Empty(before);
        Assert.Equal(BulkJobState.JobComplete, e.LastKnownState);
        Assert.False(e.IsTransient);
        Assert.Equal(BulkJobState.JobComplete, waited.State);
        Assert.Equal(3_000, ids.Count);
        Assert.True(seeded.SetEquals(ids));
    }
}
