using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Mirror.Analytics;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The mirror's analytics reads kept in memory (<see cref="MirrorOptions.ReadCacheEntries"/>): reused while the mirror is
/// unchanged, read again once the writer (here another app instance) applies a change to an object they read, and not dropped
/// by a change to another object or by polls that change nothing; and the cache's own rules (one read per key and version,
/// failures not kept, least recently used dropped first).
/// </summary>
public sealed class MirrorReadCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_kept_read_is_reused_until_the_writer_applies_a_change_to_an_object_it_read()
    {
        await using var harness = await MirrorHarness.StartAsync();
        string[] objects = ["Opportunity", "OpportunityHistory", "OpportunityStage", "Lead", "User"];
        void Configure(MirrorOptions o)
        {
            o.Objects.Clear();
            foreach (var name in objects)
            {
                o.Objects.Add(name);
            }
        }

        var writerApp = await harness.AppAsync(Configure);
        var readerApp = await harness.AppAsync(Configure, pubSub: false);
        var uncachedApp = await harness.AppAsync(o =>
        {
            Configure(o);
            o.ReadCacheEntries = 0;
        }, pubSub: false);
        var sf = MirrorHarness.Client(writerApp);
        var deal = await sf.SObjects.CreateAsync("Opportunity", new SObject("Opportunity") { ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-03-01", ["Amount"] = 5000m }, Ct);
        await sf.SObjects.CreateAsync("Opportunity", new SObject("Opportunity") { ["Name"] = "Other deal", ["StageName"] = "Qualification", ["CloseDate"] = "2026-04-01", ["Amount"] = 700m }, Ct);

        // The writer runs in its own app instance (change events for Opportunity and Lead, polling for the rest).
        var mirror = writerApp.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");

        // After the load the writer applies the events retained from before it (the two creates, again) and polls: wait until
        // a whole round of polls leaves the mirror as it was.
        await SettledAsync(harness);
        var reader = readerApp.GetRequiredService<ISalesDataSource>();
        var first = await reader.LoadOpportunitiesAsync(cancellationToken: Ct);
        var firstData = await reader.LoadAsync(SalesDataParts.Opportunities, cancellationToken: Ct);
        Assert.Equal(2, first.Count);
        Assert.Same(first, await reader.LoadOpportunitiesAsync(cancellationToken: Ct));
        Assert.Same(firstData, await reader.LoadAsync(SalesDataParts.Opportunities, cancellationToken: Ct));

        // Without a cache every call reads PostgreSQL.
        var uncached = uncachedApp.GetRequiredService<ISalesDataSource>();
        Assert.NotSame(await uncached.LoadOpportunitiesAsync(cancellationToken: Ct), await uncached.LoadOpportunitiesAsync(cancellationToken: Ct));

        // A change in the org reaches the mirror (the deal by its change event, its new history row by a poll): the next read
        // shows it.
        await sf.SObjects.UpdateAsync("Opportunity", deal, new SObject("Opportunity") { ["Amount"] = 9000m }, Ct);
        await MirrorHarness.UntilAsync(
            async () => await ScalarAsync(harness, $"SELECT amount FROM {MirrorSql.Qualified(harness.Schema, "opportunity")} WHERE id = '{deal}'") is 9000m
                && await ScalarAsync(harness, $"SELECT count(*) FROM {MirrorSql.Qualified(harness.Schema, "opportunityhistory")} WHERE opportunityid = '{deal}'") is 2L,
            "the mirror holds the new amount and its history row");
        await SettledAsync(harness);
        var second = await reader.LoadOpportunitiesAsync(cancellationToken: Ct);
        var secondData = await reader.LoadAsync(SalesDataParts.Opportunities, cancellationToken: Ct);
        Assert.NotSame(first, second);
        Assert.Equal(3, second.HistoryCount);
        Assert.NotSame(firstData, secondData);
        Assert.Equal(9000m, secondData.Opportunities.Single(o => o.Id == deal).Amount);

        // A change to an object the read does not use, and the polls that follow and change nothing, leave it kept.
        var lead = await sf.SObjects.CreateAsync("Lead", new SObject("Lead") { ["LastName"] = "Hopper", ["Company"] = "Navy" }, Ct);
        await MirrorHarness.UntilAsync(
            async () => await ScalarAsync(harness, $"SELECT count(*) FROM {MirrorSql.Qualified(harness.Schema, "lead")} WHERE id = '{lead}'") is 1L,
            "the mirror holds the new lead");
        await PolledAsync(harness);
        Assert.Same(second, await reader.LoadOpportunitiesAsync(cancellationToken: Ct));
        Assert.Same(secondData, await reader.LoadAsync(SalesDataParts.Opportunities, cancellationToken: Ct));
        Assert.Contains((await reader.LoadAsync(SalesDataParts.Leads, cancellationToken: Ct)).Leads, l => l.Id == lead);

        await stop.CancelAsync();
        await writer;
    }

    [Fact]
    public async Task Calls_of_one_key_and_version_share_one_read_and_another_version_reads_again()
    {
        var cache = new MirrorReadCache(4);
        var reads = 0;
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> Read(CancellationToken ct)
        {
            Interlocked.Increment(ref reads);
            return gate.Task;
        }

        var a = cache.GetAsync("k", "v1", Read, Ct);
        var b = cache.GetAsync("k", "v1", Read, Ct);
        gate.SetResult("value");
        Assert.Same(await a, await b);
        Assert.Equal(1, reads);
        Assert.Equal("value", await cache.GetAsync("k", "v1", _ => Task.FromResult("other"), Ct));
        Assert.Equal("newer", await cache.GetAsync("k", "v2", _ => Task.FromResult("newer"), Ct));
        Assert.Equal("newer", await cache.GetAsync("k", "v2", _ => Task.FromResult("other"), Ct));
        Assert.Equal("unversioned", await cache.GetAsync("u", null, _ => Task.FromResult("unversioned"), Ct));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_failed_read_is_not_kept_and_the_least_recently_used_read_goes_first()
    {
        var cache = new MirrorReadCache(2);
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync<string>("k", "v", _ => throw new InvalidOperationException("down"), Ct));
        Assert.Equal(0, cache.Count);
        Assert.Equal("read", await cache.GetAsync("k", "v", _ => Task.FromResult("read"), Ct));

        await cache.GetAsync("a", "v", _ => Task.FromResult("a"), Ct);
        await cache.GetAsync("k", "v", _ => Task.FromResult("not read"), Ct);
        await cache.GetAsync("b", "v", _ => Task.FromResult("b"), Ct);
        Assert.Equal(2, cache.Count);
        Assert.Equal("read", await cache.GetAsync("k", "v", _ => Task.FromResult("not read"), Ct));
        Assert.Equal("a again", await cache.GetAsync("a", "v", _ => Task.FromResult("a again"), Ct));
    }

    /// <summary>Waits until the state of the mirrored objects is the same before and after a whole round of polls.</summary>
    private static async Task SettledAsync(MirrorHarness harness)
    {
        var version = "(none)";
        await MirrorHarness.UntilAsync(
            async () =>
            {
                version = await VersionAsync(harness);
                await PolledAsync(harness);
                return await VersionAsync(harness) == version;
            },
            () => $"the mirror stops changing (last state {version})");
    }

    /// <summary>Waits until every polled object was polled again (or a second passes when none is polled).</summary>
    private static async Task PolledAsync(MirrorHarness harness)
    {
        var before = await ScalarAsync(harness, $"SELECT now()");
        var polled = $"SELECT count(*) FROM {MirrorSql.State(harness.Schema)} WHERE mode = 'polling' AND (last_synced_at IS NULL OR last_synced_at < $1)";
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await MirrorHarness.UntilAsync(
            async () =>
            {
                await using var command = harness.DataSource.CreateCommand(polled);
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = before! });
                return await command.ExecuteScalarAsync(Ct) is 0L;
            },
            "every polled object is polled again");
    }

    /// <summary>The state columns the mirror's data source reads as the objects' version (all of them here: a superset).</summary>
    private static async Task<string> VersionAsync(MirrorHarness harness) =>
        (string)(await ScalarAsync(
            harness,
            $"SELECT string_agg(concat_ws('|', object, phase, bulk_job_id, pages_loaded, rows_loaded, last_applied_at, backfill, type_changes), ';' ORDER BY object) FROM {MirrorSql.State(harness.Schema)}"))!;

    private static async Task<object?> ScalarAsync(MirrorHarness harness, string sql)
    {
        await using var command = harness.DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(Ct);
    }
}
