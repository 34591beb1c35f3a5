using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

/// <summary>
/// Win probability on the emulator's demo org: trains on its closed deals, reports the model's Brier score beside the
/// stage default's, scores every open deal, and finds what the demo generator planted (DemoCatalog.Sources: Partner
/// Referral deals win 42 %, Purchased List ones 11 %).
/// </summary>
public sealed class DemoOrgWinProbabilityTests
{
    [Fact]
    public async Task Trains_on_the_demo_org_reports_both_brier_scores_and_scores_every_open_deal()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await DemoOrg.Shared;
        var scoring = org.Services.GetRequiredService<WinProbabilityScoring>();

        var report = await scoring.AnalyzeAsync(org.Client, cancellationToken: ct);
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Opportunities, ct);

        // Measured at scale 0.1: 163 training deals (700 snapshots), 61 held out (253 snapshots, 39 % won); model Brier
        // 0.217 and AUC 0.685 against 0.254 and 0.646 for the Probability shown at each snapshot, the same as the stage
        // default's here (the demo's deals keep the stage's probability).
        Assert.True(report.TrainingDeals > 100);
        Assert.True(report.HeldOutDeals > 30);
        Assert.InRange(report.Model.BrierScore, 0, 1);
        Assert.InRange(report.StageDefault.BrierScore, 0, 1);
        Assert.True(report.Model.BrierScore < report.StageDefault.BrierScore, $"model {report.Model.BrierScore:F4} vs stage {report.StageDefault.BrierScore:F4}");
        // The headline: the model against the Probability Salesforce showed at each snapshot (from the history rows).
        Assert.InRange(report.SalesforceProbability.BrierScore, 0, 1);
        Assert.Equal(report.Model.Count, report.SalesforceProbability.Count);
        Assert.True(report.Model.BrierScore < report.SalesforceProbability.BrierScore, $"model {report.Model.BrierScore:F4} vs shown {report.SalesforceProbability.BrierScore:F4}");

        var open = data.Opportunities.Where(o => !o.IsClosed).Select(o => o.Id).Order(StringComparer.Ordinal);
        Assert.Equal(open, report.Predictions.Select(p => p.OpportunityId).Order(StringComparer.Ordinal));
        var shown = data.Opportunities.Where(o => !o.IsClosed).ToDictionary(o => o.Id, o => o.Probability);
        Assert.All(report.Predictions, p =>
        {
            Assert.InRange(p.Probability, 0, 1);
            Assert.Equal(shown[p.OpportunityId]!.Value / 100, p.SalesforceProbability, 10);
            Assert.NotEmpty(p.Reasons);
            Assert.All(p.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
        });

        // The planted source signal, as the lead source's share of the open deals' predictions (measured: Partner Referral
        // +8.7 points on average, Purchased List −20.9).
        var sources = data.Opportunities.Where(o => !o.IsClosed).ToDictionary(o => o.Id, o => o.LeadSource);
        double Mean(string source) => report.Predictions.Where(p => sources[p.OpportunityId] == source)
            .Average(p => p.Reasons.Single(r => r.Factor == "lead_source").Impact);
        Assert.True(Mean("Partner Referral") > 0, $"{Mean("Partner Referral"):F3}");
        Assert.True(Mean("Purchased List") < 0, $"{Mean("Purchased List"):F3}");

        // The baseline comes from the org's OpportunityStage table.
        var stages = new List<OpportunityStageRecord>();
        await foreach (var row in org.Client.Query.QueryAsync<OpportunityStageRecord>(StageProbabilities.StageQuery, cancellationToken: ct))
        {
            stages.Add(row);
        }

        Assert.Equal(75, stages.Single(s => s.ApiName == "Proposal/Price Quote").DefaultProbability);

        var one = report.Predictions[0];
        Assert.Equal(one, await scoring.ScoreAsync(org.Client, one.OpportunityId, ct), WinProbabilityScoreComparer.Instance);
        Assert.Null(await scoring.ScoreAsync(org.Client, "006000000000000AAA", ct));
    }

    private sealed class WinProbabilityScoreComparer : IEqualityComparer<WinProbabilityScore?>
    {
        public static readonly WinProbabilityScoreComparer Instance = new();

        public bool Equals(WinProbabilityScore? x, WinProbabilityScore? y) =>
            x is not null && y is not null && x.OpportunityId == y.OpportunityId && x.Probability == y.Probability
            && x.Reasons.Select(r => (r.Factor, r.Impact)).SequenceEqual(y.Reasons.Select(r => (r.Factor, r.Impact)));

        public int GetHashCode(WinProbabilityScore? obj) => obj?.OpportunityId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
