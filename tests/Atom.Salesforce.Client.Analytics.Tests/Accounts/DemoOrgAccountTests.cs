using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.Accounts;

/// <summary>
/// The account, performance and scoring analytics on the emulator's demo org (scale 0.1), through the services AddAnalytics
/// registers: the reports must hold together and find what the demo generator planted (src/Atom.Salesforce.Emulator/Demo).
/// </summary>
public sealed class DemoOrgAccountTests
{
    /// <summary>The demo's sales regions (DemoCatalog.Regions) as territory rules: North America by state, the rest by country.</summary>
    internal static readonly TerritoryRules Regions = new(
        [
            new TerritoryRule { Territory = "North America East", Countries = ["United States", "Canada"], States = ["NY", "MA", "GA", "IL", "PA", "FL", "DC", "ON"] },
            new TerritoryRule { Territory = "North America West", Countries = ["United States", "Canada"], States = ["CA", "WA", "CO", "TX", "AZ", "BC"] },
            new TerritoryRule
            {
                Territory = "EMEA",
                Countries = ["United Kingdom", "France", "Germany", "Netherlands", "Spain", "Sweden", "Ireland", "United Arab Emirates"],
            },
            new TerritoryRule { Territory = "APAC", Countries = ["Australia", "Singapore", "Japan", "New Zealand", "Hong Kong", "India"] },
        ],
        "Unassigned");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Account_report_holds_together_and_puts_every_account_in_its_owners_region()
    {
        var org = await DemoOrg.Shared;
        var analytics = org.Services.GetRequiredService<AccountAnalytics>();
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.All, Ct);

        var report = await analytics.AnalyzeAsync(org.Client, new AccountQuery { Territories = Regions, GroupBy = AccountDimension.Territory }, Ct);

        Assert.Equal(data.Accounts.Count, report.Accounts.Count);
        var totalWon = data.Opportunities.Where(o => o.IsWon && o.AccountId is not null).Sum(o => (double)(o.Amount ?? 0));
        Assert.True(totalWon > 0);
        Assert.Equal(totalWon, report.WonRevenue, 1e-6);
        Assert.Equal(report.WonRevenue, report.Growth.Sum(g => g.WonRevenue), 1e-6);
        Assert.Equal(report.WonRevenue, report.Accounts.Sum(a => a.WonRevenue), 1e-6);
        Assert.Equal(report.WonRevenue, report.Territories.Sum(t => t.WonRevenue), 1e-6);
        Assert.Equal(report.OpenPipeline, report.Territories.Sum(t => t.OpenPipeline), 1e-6);
        Assert.Equal(report.Accounts.Count, report.Territories.Sum(t => t.Accounts));
        Assert.Equal(report.Accounts.Count, report.Groups.Sum(g => g.Accounts));
        Assert.All(report.Accounts, a => Assert.InRange(a.Health.Score, 0, 100));
        Assert.All(report.Accounts, a => Assert.Equal(a.Health.Score, a.Health.Components.Sum(c => c.Points), 1e-9));
        Assert.All(report.Accounts.Where(a => a.IsCustomer), a => Assert.True(a.LifetimeValue!.PredictedLifetimeValue >= a.LifetimeValue.HistoricalValue));
        Assert.InRange(report.Retention.RetentionRate!.Value, 0.01, 0.99);
        Assert.All(report.Retention.Years, y => Assert.InRange(y.RetainedNextYear, 0, y.Customers));
        Assert.All(report.Accounts.Where(a => a.IsCustomer), a => Assert.Equal(
            a.Engagement.Last90Days.Total == 0, a.ChurnRisk!.Reasons.Any(r => r.Factor == "activity_stopped")));
        Assert.All(report.Accounts.Where(a => a.IsCustomer), a => Assert.Equal(a.OpenCount == 0, a.ChurnRisk!.Reasons.Any(r => r.Factor == "no_open_pipeline")));
        Assert.All(report.ExpansionCandidates, a => Assert.True(a.IsCustomer && a.Health.Score >= 60));
        Assert.NotEmpty(report.ChurnRisks);

        // Planted: every demo city belongs to one region, and an account's owner is a rep of its region (DemoOrgGenerator.RepFor),
        // so the rules leave nothing unassigned and each territory's accounts are owned by the team of that region's manager.
        Assert.DoesNotContain(report.Territories, t => t.Territory == "Unassigned");
        Assert.Equal(4, report.Territories.Count);
        var users = data.Users.ToDictionary(u => u.Id);
        Assert.All(report.Accounts, a =>
            Assert.Equal($"Regional Sales Manager, {a.Territory}", users[users[a.OwnerId!].ManagerId!].Title));

        // Planted: customers draw five times the account activity of prospects (DemoOrgGenerator.PlanActivities), so they are healthier.
        var customers = report.Accounts.Where(a => a.IsCustomer).ToList();
        var prospects = report.Accounts.Where(a => !a.IsCustomer).ToList();
        Assert.NotEmpty(customers);
        Assert.NotEmpty(prospects);
        Assert.True(customers.Average(a => a.Health.Score) > prospects.Average(a => a.Health.Score) + 5,
            $"customers {customers.Average(a => a.Health.Score):0.0}, prospects {prospects.Average(a => a.Health.Score):0.0}");
        Assert.True(customers.Average(a => a.Engagement.Last365Days.Total) > prospects.Average(a => a.Engagement.Last365Days.Total));
    }

    [Fact]
    public async Task Performance_owners_and_teams_add_up_to_the_org_and_teams_follow_the_managers()
    {
        var org = await DemoOrg.Shared;
        var analytics = org.Services.GetRequiredService<PerformanceAnalytics>();
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Users | SalesDataParts.Opportunities, Ct);

        var report = await analytics.AnalyzeAsync(org.Client, cancellationToken: Ct);

        Assert.Equal(data.Opportunities.Where(o => o.IsWon).Sum(o => (double)(o.Amount ?? 0)), report.Total.WonAmount, 1e-6);
        Assert.Equal(report.Total.WonAmount, report.Owners.Sum(o => o.Metrics.WonAmount), 1e-6);
        Assert.Equal(report.Total.WonCount, report.Owners.Sum(o => o.Metrics.WonCount));
        Assert.Equal(report.Total.OpenPipeline, report.Owners.Sum(o => o.Metrics.OpenPipeline), 1e-6);
        Assert.Equal(report.Total.Activities.Total, report.Owners.Sum(o => o.Metrics.Activities.Total));
        Assert.All(report.Owners, o => Assert.NotNull(o.Name));
        Assert.True(report.Total.MedianCycleDays > 0);

        // Planted: each region has a Regional Sales Manager whose reps own that region's deals; the four regional teams hold
        // every deal between them. The VP's team (the managers and marketing) owns no deal or activity, so it is not listed.
        var users = data.Users.ToDictionary(u => u.Id);
        var regional = report.Teams.Where(t => users[t.ManagerId].Title!.StartsWith("Regional Sales Manager", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, regional.Count);
        Assert.Equal(report.Total.WonAmount, regional.Sum(t => t.Metrics.WonAmount), 1e-6);
        Assert.All(regional, t => Assert.All(t.MemberIds.Skip(1), m => Assert.Equal(t.ManagerId, users[m].ManagerId)));
        Assert.DoesNotContain(report.Teams, t => users[t.ManagerId].Title == "VP Sales");
    }

    [Fact]
    public async Task Scoring_finds_upgrades_for_customers_and_the_rules_fire_on_real_facts()
    {
        var org = await DemoOrg.Shared;
        var scoring = org.Services.GetRequiredService<AccountScoring>();
        var actions = org.Services.GetRequiredService<NextBestActions>();
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.All, Ct);
        var today = DateOnly.FromDateTime(DemoOrg.Now.UtcDateTime);

        var scores = await scoring.ScoreAsync(org.Client, cancellationToken: Ct);
        var proposed = await actions.RecommendAsync(org.Client, cancellationToken: Ct);

        Assert.Equal(data.Contacts.Count, scores.Contacts.Count);
        Assert.Equal(data.Accounts.Count, scores.Accounts.Count);
        Assert.All(scores.Contacts, c => Assert.InRange(c.Score, 0, 100));
        Assert.All(scores.Accounts, a => Assert.InRange(a.Score, 0, 100));
        Assert.All(scores.Accounts, a => Assert.Equal(a.Score, a.Reasons.Sum(r => r.Impact), 1e-9));

        // Planted: an existing customer's deals are upgrades 60% of the time (DemoOrgGenerator.PlayForward), so the
        // opportunity type peers recommend most is the upgrade.
        var types = scores.CrossSell.Where(r => r.Kind == CrossSellKind.OpportunityType).GroupBy(r => r.Value).OrderByDescending(g => g.Count()).ToList();
        Assert.NotEmpty(types);
        Assert.Equal("Existing Customer - Upgrade", types[0].Key);
        Assert.All(scores.CrossSell, r => Assert.True(r.Support >= 2 && r.Lift >= 1 && r.Support <= r.Peers));

        // Planted: reps let some close dates lapse (DemoOrgGenerator.PushCloseDates); each action names facts that are true.
        var opportunities = data.Opportunities.ToDictionary(o => o.Id);
        var overdue = proposed.Where(a => a.Rule == "close-date-passed").ToList();
        Assert.NotEmpty(overdue);
        Assert.All(overdue, a => Assert.True(!opportunities[a.TargetId].IsClosed && opportunities[a.TargetId].CloseDate < today));
        Assert.Contains(proposed, a => a.Rule == "stale-deal");
        Assert.Equal(proposed.Count, proposed.Select(a => (a.Target, a.TargetId)).Distinct().Count());
    }

    [Fact]
    public async Task Growth_pushed_down_to_soql_group_by_matches_the_growth_computed_from_the_records()
    {
        var org = await DemoOrg.Shared;
        var analytics = org.Services.GetRequiredService<AccountAnalytics>();
        var data = await SalesDataLoader.LoadAsync(org.Client, AccountAnalytics.Parts, Ct);
        AccountQuery[] queries =
        [
            new(),
            new() { GrowthPeriod = CalendarPeriod.Month, CloseDate = Client.Analytics.DateRange.Relative("LAST_N_DAYS:400") },
            new() { GrowthPeriod = CalendarPeriod.Year, Industries = ["Technology", "Finance"], Types = ["Customer - Direct"] },
        ];

        foreach (var query in queries)
        {
            var pushed = await analytics.GrowthAsync(org.Client, query, Ct);
            var local = analytics.Analyze(data, query).Growth;

            Assert.NotEmpty(pushed);
            Assert.Contains(pushed, p => p.WonRevenue > 0);
            Assert.Equal(local.Select(p => (p.Period, p.WonCount)), pushed.Select(p => (p.Period, p.WonCount)));
            Assert.All(local.Zip(pushed), p =>
            {
                Assert.Equal(p.First.WonRevenue, p.Second.WonRevenue, 1e-6);
                Assert.Equal(p.First.PriorYearRevenue, p.Second.PriorYearRevenue, 1e-6);
                Assert.Equal(p.First.YearOverYearChange ?? double.NaN, p.Second.YearOverYearChange ?? double.NaN, 1e-9);
            });
        }
    }
}
