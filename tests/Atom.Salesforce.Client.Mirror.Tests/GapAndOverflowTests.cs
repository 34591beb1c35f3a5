using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// Gap and overflow events from the emulator, sent where Salesforce sends them (Change Data Capture Developer Guide, "Gap
/// Events": the header only, no field values; "Overflow Events": the changes of one transaction beyond the threshold, as one
/// event per object naming no record). A gap makes the mirror read the named records again; an overflow, the records
/// changed since its transaction began (or the whole table, where getDeleted cannot cover that window). Either way the
/// mirror ends equal to the org row by row.
/// </summary>
public sealed class GapAndOverflowTests(ITestOutputHelper output)
{
    private static readonly string[] Objects = ["Account", "Contact", "Lead", "Opportunity"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Configure(MirrorOptions o)
    {
        o.Objects.Clear();
        foreach (var name in Objects)
        {
            o.Objects.Add(name);
        }
    }

    [Fact]
    public async Task Gap_events_for_a_create_an_update_a_delete_and_an_undelete_make_the_mirror_read_the_records_again_and_it_ends_equal()
    {
        await using var harness = await MirrorHarness.StartAsync();
        var app = await harness.AppAsync(Configure);
        var sf = MirrorHarness.Client(app);
        var account = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Gap Co", ["Industry"] = "Energy" }, Ct);
        var doomed = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Doomed" }, Ct);
        var mirror = app.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");
        await MirrorHarness.UntilAsync(async () => (await mirror.GetStatusAsync(Ct)).Single(s => s.ObjectName == "Account").LastSyncedAt is not null, "the writer follows Account");

        // Each change's event arrives as a gap event (no field values): only a re-read can bring the mirror in line.
        string? created = null;
        var changes = new (string What, Func<Task> Change)[]
        {
            ("GAP_UPDATE", () => sf.SObjects.UpdateAsync("Account", account, new SObject("Account") { ["Industry"] = "Retail", ["BillingCity"] = "Nantes", ["AnnualRevenue"] = 77m }, Ct)),
            ("GAP_CREATE", async () => created = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Created in a gap", ["Phone"] = "555-0199" }, Ct)),
            ("GAP_DELETE", () => sf.SObjects.DeleteAsync("Account", doomed, Ct)),
            ("GAP_UNDELETE", () => harness.SoapAsync($"<urn:undelete><urn:ids>{doomed}</urn:ids></urn:undelete>")),
        };
        foreach (var (what, change) in changes)
        {
            harness.Emulator.InjectFault(new EmulatorFault(FaultKind.Gap, "/eventbus.v1.PubSub/Subscribe"));
            await change();
            await FaultConsumedAsync(harness);
            var last = string.Empty;
            await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, "Account")).Length == 0, () => $"the mirror's Account equals the org's after a {what} (last difference: {last})");
        }

        Assert.NotNull(created);
        await stop.CancelAsync();
        await writer;
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Overflow_events_make_the_mirror_read_what_the_transactions_changed_and_it_ends_equal(bool windowCovered, bool deletesReportedLate)
    {
        // Three changes per transaction generate change events; the rest of a transaction's changes, one overflow event per object.
        // Reported late: getDeleted's answer covers only up to a latestDateCovered five minutes back and leaves the deletes after
        // it out (as Salesforce may: SOAP API Developer Guide, "GetDeletedResult"), so the overflow's deletes are not in it; the
        // mirror must not take that answer for the whole window.
        await using var harness = await MirrorHarness.StartAsync(new SalesforceEmulatorOptions
        {
            ChangeEventOverflowThreshold = 3,
            ReplicationLag = deletesReportedLate ? TimeSpan.FromMinutes(5) : TimeSpan.Zero,
        });
        var app = await harness.AppAsync(Configure);
        var sf = MirrorHarness.Client(app);
        var accounts = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            accounts.Add(await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Before {i}" }, Ct));
        }

        var mirror = app.GetRequiredService<SalesforceMirror>();

        // Covered: the org's getDeleted reaches back past the window the re-read covers (twenty seconds here: a transaction on
        // this loaded machine may take seconds between its first change and its commit; ten minutes by default), so the mirror
        // reads only what changed. Not covered (a new org, as getDeleted says): it reloads the table.
        mirror.OverflowWindow = windowCovered ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(10);
        await Task.Delay(TimeSpan.FromSeconds(windowCovered ? 22 : 0), Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");
        await MirrorHarness.UntilAsync(async () => (await mirror.GetStatusAsync(Ct)).Single(s => s.ObjectName == "Account").LastSyncedAt is not null, "the writer follows Account");
        var jobsBefore = await QueryJobsAsync(harness);

        using var http = new HttpClient { BaseAddress = harness.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.Emulator.Options.AccessToken);

        // One transaction creating six accounts, one updating five (two fields each), one deleting four.
        using (var created = await http.PostAsJsonAsync("/services/data/v66.0/composite/sobjects", new
        {
            allOrNone = true,
            records = Enumerable.Range(0, 6).Select(i => new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = $"Bulk {i}", ["Industry"] = "Media" }),
        }, Ct))
        {
            created.EnsureSuccessStatusCode();
        }

        using (var updated = await http.PatchAsJsonAsync("/services/data/v66.0/composite/sobjects", new
        {
            allOrNone = true,
            records = accounts.Take(5).Select((id, i) => new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["id"] = id, ["Industry"] = "Banking", ["NumberOfEmployees"] = 10 + i }),
        }, Ct))
        {
            updated.EnsureSuccessStatusCode();
        }

        using (var deleted = await http.DeleteAsync($"/services/data/v66.0/composite/sobjects?allOrNone=true&ids={string.Join(',', accounts.Skip(2))}", Ct))
        {
            deleted.EnsureSuccessStatusCode();
        }

        // A lead conversion: the lead, an account, a contact and an opportunity in one transaction, beyond the threshold too.
        var lead = await sf.SObjects.CreateAsync("Lead", new SObject("Lead") { ["FirstName"] = "Ada", ["LastName"] = "Overflow", ["Company"] = "Engines" }, Ct);
        await harness.SoapAsync($"<urn:convertLead><urn:leadConverts><urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus></urn:leadConverts></urn:convertLead>");

        foreach (var name in Objects)
        {
            var last = string.Empty;
            await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, name)).Length == 0, () => $"the mirror's {name} equals the org's (last difference: {last})");
        }

        var jobsAfter = await QueryJobsAsync(harness);
        output.WriteLine($"window covered: {windowCovered}; deletes reported late: {deletesReportedLate}; Bulk API 2.0 query jobs during the overflows: {jobsAfter - jobsBefore}");
        if (windowCovered)
        {
            Assert.Equal(jobsBefore, jobsAfter); // the records were read again through the REST API; no table was reloaded
        }
        else
        {
            Assert.True(jobsAfter > jobsBefore, "the overflow reloaded the table through Bulk API 2.0");
        }

        await stop.CancelAsync();
        await writer;
    }

    /// <summary>Waits until the injected fault has been used (the emulator lists no pending fault).</summary>
    private static async Task FaultConsumedAsync(MirrorHarness harness)
    {
        using var control = new HttpClient { BaseAddress = harness.Server.BaseAddress };
        await MirrorHarness.UntilAsync(
            async () => (await control.GetFromJsonAsync<JsonElement>("/__emulator/faults", Ct)).GetArrayLength() == 0,
            "the gap fault was used on the change event stream");
    }

    /// <summary>Bulk API 2.0 query jobs created so far (the emulator's request statistics).</summary>
    private static async Task<long> QueryJobsAsync(MirrorHarness harness)
    {
        using var control = new HttpClient { BaseAddress = harness.Server.BaseAddress };
        var stats = await control.GetFromJsonAsync<JsonElement>("/__emulator/stats", Ct);
        return stats.GetProperty("byRoute").EnumerateObject()
            .Where(p => p.Name.StartsWith("POST ", StringComparison.Ordinal) && p.Name.EndsWith("/jobs/query", StringComparison.Ordinal))
            .Sum(p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64() : 0);
    }
}
