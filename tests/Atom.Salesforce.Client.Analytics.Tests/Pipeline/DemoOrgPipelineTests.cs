using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Pipeline;

/// <summary>
/// The emulator's demo org (scale 0.1) loaded through the SDK in-process, as an application would: the report must hold
/// together, and find what the demo generator planted (DemoCatalog.StageDays: Proposal/Price Quote is the bottleneck).
/// </summary>
public sealed class DemoOrgPipelineTests
{
    private static readonly DateTimeOffset OrgClock = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Demo_org_pipeline_holds_together_and_finds_the_planted_bottleneck()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(OrgClock);
        var emulator = new SalesforceEmulator(new() { TimeProvider = clock, DemoData = new DemoDataOptions { Scale = 0.1 } });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
            .AddAnalytics();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("user-1", new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, OrgClock.AddHours(1)), ct);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("user-1");
        var analytics = provider.GetRequiredService<PipelineAnalytics>();

        var data = await OpportunityLoader.LoadAsync(client, cancellationToken: ct);
        var report = analytics.Analyze(data);

        Assert.True(data.Count > 100, $"{data.Count} opportunities");
        Assert.True(data.HistoryCount >= data.Count, "every opportunity has at least its creation row");
        Assert.Equal(data.Count, report.Count);
        Assert.Equal(report.Count, report.OpenCount + report.WonCount + report.LostCount);
        Assert.True(report.OpenCount > 0 && report.WonCount > 0 && report.LostCount > 0);
        Assert.InRange(report.WeightedAmount, 0, report.OpenAmount);
        Assert.Equal(report.OpenAmount, report.Groups.Sum(g => g.Amount), 1e-6);
        Assert.Equal(report.OpenCount, report.Groups.Sum(g => g.Count));
        Assert.InRange(report.WinRate!.Value, 0.03, 0.85);
        Assert.Equal(report.DealSizes.Count, report.DealSizes.Bins.Sum(b => b.Count));
        Assert.True(report.DealSizes.P25 <= report.DealSizes.P50 && report.DealSizes.P50 <= report.DealSizes.P75 && report.DealSizes.P75 <= report.DealSizes.P90);
        Assert.True(report.SalesCycle.MedianDays > 0);
        Assert.True(report.Velocity > 0);
        Assert.All(report.Stages, s => Assert.InRange(s.Advanced, 0, s.Reached));
        Assert.All(report.AtRisk, d => Assert.NotEqual(AtRiskReasons.None, d.Reasons));

        // The generator's median stage lengths put Proposal/Price Quote (18 days) well above every other open stage.
        var longest = report.Stages.Where(s => s.CompletedStays >= 5).MaxBy(s => s.MedianDays);
        Assert.Equal("Proposal/Price Quote", longest!.StageName);

        // The forecast covers every deal once: won deals are Closed, lost ones Omitted, open ones in their category (reps
        // leave a few open deals out of the forecast: Omitted too).
        var omittedOpen = new List<SObject>();
        await foreach (var deal in client.Query.QueryAsync<SObject>("SELECT Amount, Probability FROM Opportunity WHERE IsClosed = false AND ForecastCategoryName = 'Omitted'", cancellationToken: ct))
        {
            omittedOpen.Add(deal);
        }

        var omittedOpenWeighted = omittedOpen.Sum(d => (double)(d.Get<decimal?>("Amount") ?? 0) * (double)(d.Get<decimal?>("Probability") ?? 0) / 100);
        var cells = report.Forecast.SelectMany(p => p.Categories).ToList();
        Assert.Equal(report.Count, cells.Sum(c => c.Count));
        Assert.Equal(report.WonCount, cells.Where(c => c.Category == ForecastCategories.Closed).Sum(c => c.Count));
        Assert.Equal(report.LostCount + omittedOpen.Count, cells.Where(c => c.Category == ForecastCategories.Omitted).Sum(c => c.Count));
        Assert.Equal(report.WeightedAmount - omittedOpenWeighted, cells.Where(c => c.Category is not (ForecastCategories.Closed or ForecastCategories.Omitted)).Sum(c => c.WeightedAmount), 1e-6);

        // Reps call late-stage deals Commit and some earlier ones Best Case, so the forecast holds both, each a real share
        // of the open pipeline, and Commit deals sit later in the funnel (a higher weighted share of their amount).
        double Amount(string category) => cells.Where(c => c.Category == category).Sum(c => c.Amount);
        double Weighted(string category) => cells.Where(c => c.Category == category).Sum(c => c.WeightedAmount);
        Assert.InRange(Amount(ForecastCategories.Commit), 0.05 * report.OpenAmount, 0.6 * report.OpenAmount);
        Assert.InRange(Amount(ForecastCategories.BestCase), 0.05 * report.OpenAmount, 0.6 * report.OpenAmount);
        Assert.True(Weighted(ForecastCategories.Commit) / Amount(ForecastCategories.Commit) > Weighted(ForecastCategories.Pipeline) / Amount(ForecastCategories.Pipeline));

        // The planted slow stage is the worst bottleneck, for its median days, with the open deals now in it.
        var worst = report.Bottlenecks[0];
        Assert.Equal("Proposal/Price Quote", worst.StageName);
        Assert.Contains(worst.Reasons, r => r.Measure == BottleneckMeasure.MedianDays && r.Ratio >= BottleneckStage.SlowStageRatio);
        Assert.Equal(report.Groups.Single(g => g.Key == "Proposal/Price Quote").Count, worst.OpenCount);

        // The same report straight from the client.
        var direct = await analytics.AnalyzeAsync(client, cancellationToken: ct);
        Assert.Equal(report.OpenAmount, direct.OpenAmount, 1e-6);
        Assert.Equal(report.Count, direct.Count);
    }
}
