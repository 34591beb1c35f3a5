using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// One writer per org: a second instance stands by while the first holds the PostgreSQL advisory lock, and takes over when the
/// first stops, resuming from the replay ids the first committed. The health check reports the load and then the freshness.
/// </summary>
public sealed class WriterFailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Objects(MirrorOptions o)
    {
        o.Objects.Clear();
        o.Objects.Add("Account");
        o.Objects.Add("Opportunity");
        o.Objects.Add("OpportunityHistory");
    }

    [Fact]
    public async Task A_standby_writes_nothing_while_the_writer_holds_the_lock_and_takes_over_when_it_stops()
    {
        await using var harness = await MirrorHarness.StartAsync();
        var first = await harness.AppAsync(Objects);
        var second = await harness.AppAsync(Objects);
        var sf = MirrorHarness.Client(first);
        var account = await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Before" }, Ct);
        var opportunity = await sf.SObjects.CreateAsync("Opportunity", new SObject("Opportunity") { ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-06-01", ["AccountId"] = account }, Ct);
        var health = first.GetRequiredService<MirrorHealthCheck>();
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);

        var writer = first.GetRequiredService<SalesforceMirror>();
        var standby = second.GetRequiredService<SalesforceMirror>();
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stopSecond = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var firstRun = writer.RunAsync(stopFirst.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(writer), "the first instance loaded the mirror");
        var secondRun = standby.RunAsync(stopSecond.Token);
        await sf.SObjects.UpdateAsync("Account", account, new SObject("Account") { ["Name"] = "While the first writes" }, Ct);
        await MirrorHarness.UntilAsync(async () => (await harness.DiffAsync(sf, "Account")).Length == 0, "the first writer applied the update");
        Assert.Equal(0, standby.PagesRead);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext(), Ct)).Status);

        // The writer stops (its session, and so its lock, ends); changes made meanwhile reach the mirror through the standby.
        await stopFirst.CancelAsync();
        await firstRun;
        await sf.SObjects.UpdateAsync("Account", account, new SObject("Account") { ["Name"] = "After the failover" }, Ct);
        await sf.SObjects.UpdateAsync("Opportunity", opportunity, new SObject("Opportunity") { ["StageName"] = "Qualification" }, Ct);
        await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Created after" }, Ct);
        foreach (var name in new[] { "Account", "Opportunity", "OpportunityHistory" })
        {
            var last = string.Empty;
            await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, name)).Length == 0, $"the standby brought {name} up to date ({last})");
        }

        // Deleting the opportunity takes its history rows with it: polling (getDeleted) removes them from the mirror too.
        await sf.SObjects.DeleteAsync("Opportunity", opportunity, Ct);
        foreach (var name in new[] { "Opportunity", "OpportunityHistory" })
        {
            var last = string.Empty;
            await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, name)).Length == 0, $"the delete reached {name} ({last})");
        }

        Assert.Equal(0, standby.PagesRead); // it resumed from the committed state: nothing loaded again
        await stopSecond.CancelAsync();
        await secondRun;
    }

    [Fact]
    public void Invalid_options_are_refused_at_registration_before_any_call()
    {
        var services = new ServiceCollection();
        var builder = services.AddAtomSalesforce(o => o.ClientId = "app");

        Assert.Throws<ArgumentException>(() => builder.AddAtomSalesforceMirror(o => o.ConnectionString = "Host=localhost"));
        Assert.Throws<ArgumentException>(() => builder.AddAtomSalesforceMirror(o => { o.UserId = "u"; o.Objects.Add("Bad Name'"); }));
        Assert.Throws<ArgumentException>(() => builder.AddAtomSalesforceMirror(o => { o.UserId = "u"; o.Schema = "Not-A-Schema"; }));
        Assert.Throws<ArgumentNullException>(() => builder.AddAtomSalesforceMirror(null!));
    }
}
