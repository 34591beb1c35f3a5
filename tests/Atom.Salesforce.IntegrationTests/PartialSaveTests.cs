using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// A 1,000-row save (five sObject Collections requests) against the emulator over loopback HTTP, with a fault on one request
/// position: every row is accounted for, and after the documented continuation exactly the input rows exist, once each, and
/// every result row names the record of its input row.
/// </summary>
public sealed class PartialSaveTests : IAsyncLifetime
{
    private const int RowCount = 1000;
    private const int Requests = RowCount / CollectionsClient.MaxRecordsPerRequest;
    private const string Collections = "/services/data/*/composite/sobjects*";

    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _sf = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions();
        // An external id, not marked Unique: a duplicate would be stored, so the checks below would see it.
        options.CustomFields["Account"] = [new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true }];
        _emulator = new SalesforceEmulator(options);
        _server = await _emulator.ListenAsync(cancellationToken: Ct);
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.LoginUrl = _server.BaseAddress;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            // Short enough for the latency fault to outlast it; long enough for a 200-row request on a busy machine.
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(3);
            // These tests inject a fault into request after request on purpose: the per-host circuit breaker (its own tests
            // are CircuitBreakerTests) would open part-way and turn retry and row accounting into CIRCUIT_OPEN.
            o.Resilience.CircuitBreaker.Enabled = false;
        });
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, _emulator.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        _sf = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    public static TheoryData<FaultKind, int, int> EveryFaultOnEveryPosition()
    {
        var data = new TheoryData<FaultKind, int, int>();
        foreach (var kind in new[] { FaultKind.Unavailable, FaultKind.UnableToLockRow, FaultKind.DropConnection, FaultKind.DropResponse, FaultKind.Latency })
        {
            for (var position = 1; position <= Requests; position++)
            {
                data.Add(kind, position, 1);
                data.Add(kind, position, 4);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryFaultOnEveryPosition))]
    public async Task A_create_that_fails_part_way_accounts_for_every_row_and_the_continuation_leaves_exactly_the_input_rows(FaultKind kind, int position, int concurrency)
    {
        var rows = Rows("C");
        InjectAt(kind, position, "POST");

        IReadOnlyList<SaveResult> results;
        try
        {
            results = await _sf.Composite.Collections.CreateAsync("Account", rows, new CollectionOptions { MaxConcurrency = concurrency }, cancellationToken: Ct);
            Assert.Fail("The fault should have failed the save.");
        }
        catch (SalesforcePartialSaveException e)
        {
            await AssertAccountedAsync(e, rows, kind, position, concurrency);
            results = await ContinueAsync(e, rows);
        }
        catch (SalesforceException e)
        {
            // Nothing can have been written: the original, transient exception; the whole call may be repeated.
            Assert.True(position == 1 && concurrency == 1 && kind is FaultKind.Unavailable or FaultKind.UnableToLockRow, e.Message);
            Assert.True(e.IsTransient);
            Assert.Empty(await StoredAsync("C"));
            results = await _sf.Composite.Collections.CreateAsync("Account", rows, new CollectionOptions { MaxConcurrency = concurrency }, cancellationToken: Ct);
        }

        await AssertExactlyTheInputRowsAsync(rows, results, "C");
    }

    [Theory]
    [InlineData(FaultKind.DropResponse, 2, 1)]
    [InlineData(FaultKind.DropResponse, 4, 4)]
    [InlineData(FaultKind.Unavailable, 3, 4)]
    [InlineData(FaultKind.Latency, 5, 1)]
    public async Task An_upsert_that_fails_part_way_is_continued_by_upserting_the_rows_not_saved(FaultKind kind, int position, int concurrency)
    {
        var rows = Rows("U");
        InjectAt(kind, position, "PATCH");

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            _sf.Composite.Collections.UpsertAsync("Account", "Ext_Id__c", rows, new CollectionOptions { MaxConcurrency = concurrency }, cancellationToken: Ct));
        await AssertAccountedAsync(error, rows, kind, position, concurrency);
        Assert.All(error.SavedRows, r => Assert.True(r.Created));
        var results = await ContinueAsync(error, rows);

        await AssertExactlyTheInputRowsAsync(rows, results, "U");
    }

    [Theory]
    [InlineData(FaultKind.DropResponse, 1)]
    [InlineData(FaultKind.DropResponse, 4)]
    [InlineData(FaultKind.UnableToLockRow, 1)]
    public async Task An_update_that_fails_part_way_is_continued_by_updating_the_rows_not_saved(FaultKind kind, int concurrency)
    {
        var created = await _sf.Composite.Collections.CreateAsync("Account", Rows("P"), cancellationToken: Ct);
        var updates = created.Select((r, i) => new SObject("Account") { Id = r.Id, ["Name"] = $"P renamed {i:D4}" }).ToList();
        InjectAt(kind, 3, "PATCH");

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            _sf.Composite.Collections.UpdateAsync("Account", updates, new CollectionOptions { MaxConcurrency = concurrency }, cancellationToken: Ct));
        // An update knows each row's id whatever became of it.
        Assert.All(error.Results, (r, i) => Assert.Equal((i, created[i].Id), (r.Index, r.Id)));
        var pending = error.Results.Where(r => r.Outcome != SaveRowOutcome.Saved).ToList();
        var retried = await _sf.Composite.Collections.UpdateAsync("Account", pending.Select(r => updates[r.Index]).ToList(), cancellationToken: Ct);

        Assert.All(retried, r => Assert.True(r.Success));
        var stored = await StoredAsync("P");
        Assert.Equal(RowCount, stored.Count);
        Assert.Equal(Enumerable.Range(0, RowCount).Select(i => $"P renamed {i:D4}"), stored.OrderBy(s => s.Get<string>("Ext_Id__c"), StringComparer.Ordinal).Select(s => s.Get<string>("Name")));
    }

    [Fact]
    public async Task A_delete_is_retried_within_the_budget_and_a_delete_refused_beyond_it_is_continued_by_deleting_the_rest()
    {
        var created = await _sf.Composite.Collections.CreateAsync("Account", Rows("D"), cancellationToken: Ct);
        var ids = created.Select(r => r.Id!).ToList();
        // Four 503s on the third delete: the first try and all three retries (DELETE is safe to repeat).
        _emulator.InjectFault(new EmulatorFault(FaultKind.Unavailable, Collections) { Method = "DELETE", Skip = 2, Count = 4 });

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            _sf.Composite.Collections.DeleteAsync(ids, new CollectionOptions { MaxConcurrency = 1 }, cancellationToken: Ct));
        var retried = await _sf.Composite.Collections.DeleteAsync(error.Results.Where(r => r.Outcome != SaveRowOutcome.Saved).Select(r => r.Id!).ToList(), cancellationToken: Ct);

        Assert.Equal(400, error.SavedRows.Count);
        Assert.All(error.RefusedRows, r => Assert.Equal(SalesforceError.Codes.ServerUnavailable, r.Errors[0].ErrorCode));
        Assert.Equal(Enumerable.Range(400, 200), error.RefusedRows.Select(r => r.Index));
        Assert.Equal(400, error.NotSentRows.Count);
        Assert.Equal(ids, error.Results.Select(r => r.Id));
        Assert.All(retried, r => Assert.True(r.Success));
        Assert.Empty(await StoredAsync("D"));
    }

    [Fact]
    public async Task SaveAsync_routes_to_collections_and_throws_the_same_accounting()
    {
        var rows = Rows("S");
        InjectAt(FaultKind.DropResponse, 2, "POST");
        var options = new SaveOptions { Collections = new CollectionOptions { MaxConcurrency = 1 } };

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() => _sf.SObjects.SaveAsync("Account", SaveOperation.Insert, rows, options, Ct));
        var pending = error.Results.Where(r => r.Outcome != SaveRowOutcome.Saved).ToList();
        var retried = await _sf.SObjects.SaveAsync("Account", SaveOperation.Upsert, pending.Select(r => rows[r.Index]).ToList(), new SaveOptions { ExternalIdField = "Ext_Id__c" }, Ct);

        Assert.Equal((200, 200, 600), (error.SavedRows.Count, error.UnknownRows.Count, error.NotSentRows.Count));
        // The lost response's rows were written; the upsert found them instead of creating them again.
        Assert.Equal(200, retried.Count(r => r.Created == false));
        Assert.Equal(600, retried.Count(r => r.Created == true));
        Assert.Equal(RowCount, (await StoredAsync("S")).Count);
    }

    [Fact]
    public async Task A_single_request_whose_answer_is_lost_is_not_reported_as_a_plain_transient_failure()
    {
        var rows = Rows("O").Take(150).ToList();
        InjectAt(FaultKind.DropResponse, 1, "POST");

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() => _sf.Composite.Collections.CreateAsync("Account", rows, cancellationToken: Ct));

        Assert.False(error.IsTransient);
        Assert.Equal(150, error.UnknownRows.Count);
        Assert.Equal(150, (await StoredAsync("O")).Count);
    }

    private static List<SObject> Rows(string prefix) =>
        Enumerable.Range(0, RowCount).Select(i => new SObject("Account") { ["Name"] = $"{prefix} row {i:D4}", ["Ext_Id__c"] = $"{prefix}-{i:D4}" }).ToList();

    private void InjectAt(FaultKind kind, int position, string method) =>
        _emulator.InjectFault(new EmulatorFault(kind, Collections)
        {
            Method = method,
            Skip = position - 1,
            // Well past the attempt timeout: the SDK gives up on the request and the server never answers it.
            Latency = TimeSpan.FromSeconds(30),
        });

    /// <summary>The documented continuation: an upsert by the external id of every row not saved, merged into the results.</summary>
    private async Task<IReadOnlyList<SaveResult>> ContinueAsync(SalesforcePartialSaveException error, List<SObject> rows)
    {
        var pending = error.Results.Where(r => r.Outcome != SaveRowOutcome.Saved).ToList();
        var retried = await _sf.Composite.Collections.UpsertAsync("Account", "Ext_Id__c", pending.Select(r => rows[r.Index]).ToList(), cancellationToken: Ct);
        var merged = error.Results.ToArray();
        for (var j = 0; j < pending.Count; j++)
        {
            merged[pending[j].Index] = retried[j] with { Index = pending[j].Index };
        }

        return merged;
    }

    /// <summary>What the exception says matches the input, the fault and the org.</summary>
    private async Task AssertAccountedAsync(SalesforcePartialSaveException error, List<SObject> rows, FaultKind kind, int position, int concurrency)
    {
        Assert.False(error.IsTransient);
        Assert.Equal(Enumerable.Range(0, RowCount), error.Results.Select(r => r.Index));
        Assert.Equal(RowCount, error.SavedRows.Count + error.RefusedRows.Count + error.NotSentRows.Count + error.UnknownRows.Count);
        var failed = kind is FaultKind.Unavailable or FaultKind.UnableToLockRow ? error.RefusedRows : error.UnknownRows;
        Assert.Equal(CollectionsClient.MaxRecordsPerRequest, failed.Count);
        if (kind is FaultKind.Unavailable or FaultKind.UnableToLockRow)
        {
            var code = kind == FaultKind.Unavailable ? SalesforceError.Codes.ServerUnavailable : SalesforceError.Codes.UnableToLockRow;
            Assert.All(failed, r => Assert.Equal(code, Assert.Single(r.Errors).ErrorCode));
            Assert.Empty(error.UnknownRows);
        }
        else
        {
            Assert.Empty(error.RefusedRows);
        }

        if (concurrency == 1)
        {
            // One request at a time: the ones before the fault saved, the fault's request failed, the rest never sent.
            var start = (position - 1) * CollectionsClient.MaxRecordsPerRequest;
            Assert.Equal(Enumerable.Range(0, start), error.SavedRows.Select(r => r.Index));
            Assert.Equal(Enumerable.Range(start, CollectionsClient.MaxRecordsPerRequest), failed.Select(r => r.Index));
            Assert.Equal(Enumerable.Range(start + CollectionsClient.MaxRecordsPerRequest, RowCount - start - CollectionsClient.MaxRecordsPerRequest), error.NotSentRows.Select(r => r.Index));
        }

        // Each saved row names the record of its own input row, and the org holds nothing else but, when the answer was
        // lost after the write, the rows of that request.
        var stored = await StoredAsync(Prefix(rows));
        Assert.Equal(stored.Count, stored.Select(s => s.Get<string>("Ext_Id__c")).Distinct(StringComparer.Ordinal).Count());
        var byExternalId = stored.ToDictionary(s => s.Get<string>("Ext_Id__c")!, StringComparer.Ordinal);
        Assert.All(error.SavedRows, r => Assert.Equal(r.Id, byExternalId[rows[r.Index].Get<string>("Ext_Id__c")!].Id));
        Assert.Equal(error.SavedRows.Count + (kind == FaultKind.DropResponse ? failed.Count : 0), stored.Count);
    }

    /// <summary>Exactly the input rows exist, once each, and result i is the record of input row i.</summary>
    private async Task AssertExactlyTheInputRowsAsync(List<SObject> rows, IReadOnlyList<SaveResult> results, string prefix)
    {
        var stored = await StoredAsync(prefix);
        Assert.Equal(RowCount, stored.Count);
        Assert.Equal(RowCount, stored.Select(s => s.Get<string>("Ext_Id__c")).Distinct(StringComparer.Ordinal).Count());
        var byExternalId = stored.ToDictionary(s => s.Get<string>("Ext_Id__c")!, StringComparer.Ordinal);
        Assert.Equal(rows.Select(r => r.Get<string>("Ext_Id__c")!).Order(StringComparer.Ordinal), byExternalId.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(RowCount, results.Count);
        for (var i = 0; i < RowCount; i++)
        {
            var record = byExternalId[rows[i].Get<string>("Ext_Id__c")!];
            Assert.True(results[i].Success, $"row {i}: {results[i]}");
            Assert.Equal((i, record.Id), (results[i].Index, results[i].Id));
            Assert.Equal(rows[i].Get<string>("Name"), record.Get<string>("Name"));
        }
    }

    private async Task<List<SObject>> StoredAsync(string prefix)
    {
        var stored = new List<SObject>();
        await foreach (var record in _sf.Query.QueryAsync<SObject>($"SELECT Id, Name, Ext_Id__c FROM Account WHERE Ext_Id__c LIKE '{prefix}-%'", cancellationToken: Ct))
        {
            stored.Add(record);
        }

        return stored;
    }

    private static string Prefix(List<SObject> rows) => rows[0].Get<string>("Ext_Id__c")!.Split('-')[0];
}
