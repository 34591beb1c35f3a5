using System.Globalization;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Tests.Failover;

/// <summary>
/// Two (then three) OS processes run the mirror's writer against the emulator (a generated sales org, in the test process) and
/// a real PostgreSQL. One holds the writer lock, the others stand by. The writer is killed (SIGKILL: no clean-up, its session
/// simply ends) mid-load and mid-stream while the org keeps changing through inserts, updates, deletes, undeletes, merges
/// and lead conversions; a standby takes over from what was committed, and the mirror ends equal to the org row by row.
/// </summary>
public sealed class WriterCrashTests(ITestOutputHelper output)
{
    private static readonly string[] Objects = ["Account", "Contact", "Lead", "Opportunity", "OpportunityHistory"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SalesforceEmulatorOptions Org() => new() { DemoData = new DemoDataOptions { Scale = 0.1 } };

    [Fact]
    public async Task A_writer_process_killed_mid_load_is_resumed_by_a_standby_process_from_the_committed_page_and_the_mirror_ends_equal_to_the_org()
    {
        await using var harness = await MirrorHarness.StartAsync(Org());
        var sf = MirrorHarness.Client(await harness.AppAsync());
        var workers = new List<WorkerHandle>();
        try
        {
            // Small pages, each followed by a pause in the writer, so that the load takes a while and the kill lands inside it.
            workers.Add(WriterProcess.Start(harness, Objects, pageSize: 40, pageDelayMilliseconds: 300));
            workers.Add(WriterProcess.Start(harness, Objects, pageSize: 40, pageDelayMilliseconds: 300));
            await Task.WhenAll(workers.Select(w => w.StartedAsync()));

            // The org changes while the first writer loads.
            await ChangeRoundAsync(harness, sf, 1);
            await MirrorHarness.UntilAsync(async () => await PagesLoadedAsync(harness, "OpportunityHistory") >= 2, "the writer is loading OpportunityHistory");
            var writer = await WriterAsync(harness, workers);
            var standby = workers.Single(w => w != writer);
            writer.Kill();
            await writer.Process.WaitForExitAsync(Ct);
            var committed = await PagesLoadedAsync(harness, "OpportunityHistory");
            var phase = await PhaseAsync(harness, "OpportunityHistory");

            // The org keeps changing; the standby takes the lock, resumes the load and follows.
            await ChangeRoundAsync(harness, sf, 2);
            await ChangeRoundAsync(harness, sf, 3);
            await AssertEqualAsync(harness, sf);

            Assert.Equal(standby, await WriterAsync(harness, workers));
            var resumed = standby.Lines.Where(l => l.StartsWith("page OpportunityHistory ", StringComparison.Ordinal)).Select(l => int.Parse(l.AsSpan(24), CultureInfo.InvariantCulture)).ToList();
            output.WriteLine($"killed process {writer.Id} with {committed} OpportunityHistory pages committed ({phase}); the standby's pages: {string.Join(", ", resumed)}");
            // The kill landed mid-load (pages of 40 rows, each followed by a pause), and the standby read only the pages not
            // committed, from the same Bulk job: its first page is the next one.
            Assert.Equal(ObjectState.Loading, phase);
            Assert.NotEmpty(resumed);
            Assert.Equal(committed + 1, resumed[0]);

            await standby.StopAsync();
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_writer_process_killed_mid_stream_is_replaced_by_a_standby_process_and_the_mirror_ends_equal_to_the_org()
    {
        await using var harness = await MirrorHarness.StartAsync(Org());
        var sf = MirrorHarness.Client(await harness.AppAsync());
        var workers = new List<WorkerHandle>();
        try
        {
            workers.Add(WriterProcess.Start(harness, Objects, pageSize: 2_000, pageDelayMilliseconds: 0));
            workers.Add(WriterProcess.Start(harness, Objects, pageSize: 2_000, pageDelayMilliseconds: 0));
            await Task.WhenAll(workers.Select(w => w.StartedAsync()));
            await MirrorHarness.UntilAsync(async () => await LoadedAsync(harness), "the writer loaded every object");
            var first = await WriterAsync(harness, workers);

            // A stream of changes of every kind; the writer dies while it applies them, and again after the first takeover.
            using var stopProducing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var rounds = 0;
            var producer = Task.Run(
                async () =>
                {
                    while (!stopProducing.IsCancellationRequested)
                    {
                        await ChangeRoundAsync(harness, sf, 100 + Interlocked.Increment(ref rounds));
                    }
                },
                Ct);
            await MirrorHarness.UntilAsync(() => Task.FromResult(Volatile.Read(ref rounds) >= 3), "the org has changed for a while");
            await MirrorHarness.UntilAsync(async () => await LastChangeAsync(harness, "Account") is not null, "the writer applied change events");
            first.Kill();
            await first.Process.WaitForExitAsync(Ct);
            workers.Add(WriterProcess.Start(harness, Objects, pageSize: 2_000, pageDelayMilliseconds: 0));
            await workers[^1].StartedAsync();

            var atKill = Volatile.Read(ref rounds);
            await MirrorHarness.UntilAsync(async () => (await WriterOrNullAsync(harness, workers)) is { } w && w != first, "a standby took the writer lock");
            var second = await WriterAsync(harness, workers);
            await MirrorHarness.UntilAsync(() => Task.FromResult(Volatile.Read(ref rounds) >= atKill + 3), "the org has changed under the new writer");
            second.Kill();
            await second.Process.WaitForExitAsync(Ct);
            await MirrorHarness.UntilAsync(() => Task.FromResult(Volatile.Read(ref rounds) >= atKill + 5), "the org has changed after the second kill");
            await stopProducing.CancelAsync();
            await producer;

            await AssertEqualAsync(harness, sf);
            var third = await WriterAsync(harness, workers);
            output.WriteLine($"{rounds} rounds of changes; killed writers {first.Id} and {second.Id}; writer at the end {third.Id}");
            Assert.DoesNotContain(third, new[] { first, second });
            Assert.DoesNotContain(third.Lines, l => l.StartsWith("page ", StringComparison.Ordinal)); // it resumed from the replay ids: nothing loaded again
            await third.StopAsync();
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>One round of every kind of change: inserts, updates, a delete and an undelete, a merge, a lead conversion.</summary>
    private static async Task ChangeRoundAsync(MirrorHarness harness, SalesforceClient sf, int round)
    {
        var ct = CancellationToken.None; // a round, once started, completes (the producer is stopped between rounds)
        var account = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Round {round}", ["Industry"] = "Energy" }, ct);
        var loser = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Round {round} duplicate" }, ct);
        var contact = await sf.SObjects.CreateAsync("Contact", new SObject("Contact") { ["FirstName"] = "Ada", ["LastName"] = $"Round {round}", ["AccountId"] = loser }, ct);
        var opportunity = await sf.SObjects.CreateAsync("Opportunity", new SObject("Opportunity")
        {
            ["Name"] = $"Round {round}", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-09-01", ["Amount"] = 100m * round, ["AccountId"] = account,
        }, ct);
        await sf.SObjects.UpdateAsync("Opportunity", opportunity, new SObject("Opportunity") { ["StageName"] = "Qualification", ["Amount"] = 150m * round }, ct);
        await sf.SObjects.UpdateAsync("Account", account, new SObject("Account") { ["Industry"] = null, ["BillingCity"] = "Lyon", ["AnnualRevenue"] = 12.5m * round }, ct);
        await sf.SObjects.DeleteAsync("Contact", contact, ct);
        await harness.SoapAsync($"<urn:undelete><urn:ids>{contact}</urn:ids></urn:undelete>");
        await harness.SoapAsync($"""
            <urn:merge><urn:request>
              <urn:masterRecord><urn1:type>Account</urn1:type><urn1:Id>{account}</urn1:Id><urn1:Phone>555-{round:D4}</urn1:Phone></urn:masterRecord>
              <urn:recordToMergeIds>{loser}</urn:recordToMergeIds>
            </urn:request></urn:merge>
            """);
        var lead = await sf.SObjects.CreateAsync("Lead", new SObject("Lead") { ["FirstName"] = "Grace", ["LastName"] = $"Round {round}", ["Company"] = $"Navy {round}" }, ct);
        await harness.SoapAsync($"<urn:convertLead><urn:leadConverts><urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus></urn:leadConverts></urn:convertLead>");
        if (round % 2 == 0)
        {
            await sf.SObjects.DeleteAsync("Opportunity", opportunity, ct); // its history rows go with it (getDeleted)
        }
    }

    private static async Task AssertEqualAsync(MirrorHarness harness, SalesforceClient sf)
    {
        foreach (var name in Objects)
        {
            var last = string.Empty;
            await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, name)).Length == 0, () => $"the mirror's {name} equals the org's (last difference: {last})");
        }
    }

    /// <summary>The process whose PostgreSQL session holds the writer lock of the mirror's schema (waiting for one to).</summary>
    private static async Task<WorkerHandle> WriterAsync(MirrorHarness harness, List<WorkerHandle> workers)
    {
        WorkerHandle? writer = null;
        await MirrorHarness.UntilAsync(async () => (writer = await WriterOrNullAsync(harness, workers)) is not null, "a process holds the writer lock");
        return writer!;
    }

    private static async Task<WorkerHandle?> WriterOrNullAsync(MirrorHarness harness, List<WorkerHandle> workers)
    {
        await using var command = harness.DataSource.CreateCommand(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = (hashtext($2)::bigint & 4294967295)::oid AND l.objsubid = 2
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = MirrorSession.LockNamespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = harness.Schema });
        var name = await command.ExecuteScalarAsync(Ct) as string;
        return workers.SingleOrDefault(w => w.ApplicationName == name && !w.Process.HasExited);
    }

    private static async Task<T?> StateAsync<T>(MirrorHarness harness, string column, string objectName)
    {
        await using var command = harness.DataSource.CreateCommand($"SELECT {column} FROM {MirrorSql.State(harness.Schema)} WHERE object = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = objectName });
        try
        {
            return await command.ExecuteScalarAsync(Ct) is T value ? value : default;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return default;
        }
    }

    private static async Task<int> PagesLoadedAsync(MirrorHarness harness, string objectName) => await StateAsync<int>(harness, "pages_loaded", objectName);

    private static Task<string?> PhaseAsync(MirrorHarness harness, string objectName) => StateAsync<string>(harness, "phase", objectName);

    private static async Task<DateTime?> LastChangeAsync(MirrorHarness harness, string objectName) => await StateAsync<DateTime>(harness, "last_change_at", objectName) is { } at && at != default ? at : null;

    private static async Task<bool> LoadedAsync(MirrorHarness harness)
    {
        foreach (var name in Objects)
        {
            if (await PhaseAsync(harness, name) != ObjectState.Loaded)
            {
                return false;
            }
        }

        return true;
    }
}
