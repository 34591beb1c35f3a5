using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The mirror against the emulator and a real PostgreSQL: loaded through Bulk API 2.0, it equals the org row by row, and stays
/// equal through inserts, updates, deletes, undeletes, merges and lead conversions (change events), and through changes of
/// objects without change events (polling).
/// </summary>
public sealed class MirrorEndToEndTests
{
    private static readonly string[] Objects = ["Account", "Contact", "Lead", "Opportunity", "OpportunityHistory", "OpportunityStage", "User"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_loaded_mirror_equals_the_org_row_by_row_through_inserts_updates_deletes_undeletes_merges_and_lead_conversions()
    {
        await using var harness = await MirrorHarness.StartAsync();
        var app = await harness.AppAsync(o =>
        {
            o.Objects.Clear();
            foreach (var name in Objects)
            {
                o.Objects.Add(name);
            }

            o.BulkPageSize = 3;
        });
        var sf = MirrorHarness.Client(app);
        var accounts = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            accounts.Add(await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Acme {i}", ["Industry"] = "Energy", ["BillingCity"] = "Paris", ["AnnualRevenue"] = 1000m * i }, Ct));
        }

        var contact = await sf.SObjects.CreateAsync("Contact", new SObject("Contact") { ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["AccountId"] = accounts[1] }, Ct);
        var opportunity = await sf.SObjects.CreateAsync("Opportunity", new SObject("Opportunity") { ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-03-01", ["Amount"] = 5000m, ["AccountId"] = accounts[0] }, Ct);

        var mirror = app.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");
        foreach (var name in Objects)
        {
            Assert.Equal(string.Empty, await harness.DiffAsync(sf, name));
        }

        // Changes of every kind, through REST and SOAP, while the writer follows.
        var created = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "New Co", ["BillingCity"] = "Lyon" }, Ct);
        await sf.SObjects.UpdateAsync("Account", accounts[2], new SObject("Account") { ["Industry"] = "Retail", ["BillingCity"] = null, ["AnnualRevenue"] = 42.5m }, Ct);
        await sf.SObjects.UpdateAsync("Contact", contact, new SObject("Contact") { ["LastName"] = "King" }, Ct);
        await sf.SObjects.UpdateAsync("Opportunity", opportunity, new SObject("Opportunity") { ["StageName"] = "Closed Won" }, Ct);
        await sf.SObjects.DeleteAsync("Account", accounts[3], Ct);
        await sf.SObjects.DeleteAsync("Account", accounts[4], Ct);
        await harness.SoapAsync($"<urn:undelete><urn:ids>{accounts[4]}</urn:ids></urn:undelete>");
        await harness.SoapAsync($"""
            <urn:merge><urn:request>
              <urn:masterRecord><urn1:type>Account</urn1:type><urn1:Id>{accounts[5]}</urn1:Id><urn1:Phone>555-0100</urn1:Phone></urn:masterRecord>
              <urn:recordToMergeIds>{accounts[6]}</urn:recordToMergeIds>
            </urn:request></urn:merge>
            """);
        var lead = await sf.SObjects.CreateAsync("Lead", new SObject("Lead") { ["FirstName"] = "Grace", ["LastName"] = "Hopper", ["Company"] = "Navy" }, Ct);
        await harness.SoapAsync($"<urn:convertLead><urn:leadConverts><urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus></urn:leadConverts></urn:convertLead>");

        foreach (var name in Objects)
        {
            var last = string.Empty;
            await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, name)).Length == 0, () => $"the mirror's {name} equals the org's (last difference: {last})");
        }

        await using (var count = harness.DataSource.CreateCommand($"SELECT count(*) FROM {MirrorSql.Qualified(harness.Schema, "account")} WHERE id = ANY($1)"))
        {
            count.Parameters.Add(new Npgsql.NpgsqlParameter<string[]> { TypedValue = [created, accounts[4], accounts[3], accounts[6]] });
            Assert.Equal(2L, await count.ExecuteScalarAsync(Ct)); // created and undeleted; deleted and merged away
        }

        var status = await mirror.GetStatusAsync(Ct);
        Assert.Equal("change-events", status.Single(s => s.ObjectName == "Account").Mode);
        Assert.Equal("polling", status.Single(s => s.ObjectName == "OpportunityHistory").Mode);
        Assert.NotNull(status.Single(s => s.ObjectName == "Account").LastChangeAt);
        await stop.CancelAsync();
        await writer;
    }

    [Fact]
    public async Task A_writer_that_crashes_mid_load_is_resumed_by_the_next_without_reading_committed_pages_again()
    {
        await using var harness = await MirrorHarness.StartAsync();
        void Configure(MirrorOptions o)
        {
            o.Objects.Clear();
            o.Objects.Add("Account");
            o.BulkPageSize = 5;
            o.UseChangeEvents = false;
        }

        var first = await harness.AppAsync(Configure);
        var sf = MirrorHarness.Client(first);
        for (var i = 0; i < 23; i++)
        {
            await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Row {i}" }, Ct);
        }

        // The first writer stops dead after committing two of the five pages.
        var crashed = first.GetRequiredService<SalesforceMirror>();
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        crashed.PageCommitted = async (_, pages) =>
        {
            if (pages == 2)
            {
                await crash.CancelAsync();
                crash.Token.ThrowIfCancellationRequested();
            }
        };
        await crashed.RunAsync(crash.Token);
        var afterCrash = (await crashed.GetStatusAsync(Ct)).Single();
        Assert.Equal("loading", afterCrash.Phase);
        Assert.Equal(10, afterCrash.RowsLoaded);

        // Another instance takes over: it reads only the three pages not committed, from the same job.
        var second = await harness.AppAsync(Configure);
        var resumed = second.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = resumed.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(resumed), "the load is finished");
        await stop.CancelAsync();
        await writer;

        Assert.Equal(3, resumed.PagesRead);
        Assert.Equal(23, (await resumed.GetStatusAsync(Ct)).Single().RowsLoaded);
        Assert.Equal(string.Empty, await harness.DiffAsync(sf, "Account"));
    }
}
