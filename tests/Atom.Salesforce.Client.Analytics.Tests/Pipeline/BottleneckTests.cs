using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Client.Analytics.Tests.Pipeline;

/// <summary>The bottleneck ranking, worked out by hand from the stage metrics of <see cref="PipelineSample"/>.</summary>
public sealed class BottleneckTests
{
    private readonly PipelineAnalytics _analytics = new(PipelineSample.Clock());

    [Fact]
    public void Ranks_stages_by_how_far_their_conversion_and_median_days_are_from_the_funnels_typical_stage()
    {
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { BottleneckMinDeals = 1 });

        // Conversion of the stages reached by at least one deal (PipelineAnalyticsTests): Prospecting 3/4, Qualification 3/4,
        // Needs Analysis 1/1, Proposal 1/2, Negotiation 0/1. Sorted 0, 0.5, 0.75, 0.75, 1: typical (median) 0.75.
        // Low is at most 0.8 × 0.75 = 0.6: Proposal (0.5, ratio 2/3, scores 1/3) and Negotiation (0, ratio 0, scores 1).
        // Median days of stages with a completed stay: Prospecting 4, Qualification 25, Needs Analysis 20, Proposal 60.
        // Sorted 4, 20, 25, 60: typical (20 + 25) / 2 = 22.5. Slow is at least 1.5 × 22.5 = 33.75: Proposal (60, ratio
        // 60 / 22.5 = 8/3, scores 5/3). Proposal: 1/3 + 5/3 = 2; Negotiation: 1.
        Assert.Equal(2, report.Bottlenecks.Count);
        var proposal = report.Bottlenecks[0];
        Assert.Equal((1, "Proposal/Price Quote", 1, 50_000.0), (proposal.Rank, proposal.StageName, proposal.OpenCount, proposal.OpenAmount));
        Assert.Equal(2, proposal.Score, 1e-9);
        Assert.Equal(2, proposal.Reasons.Count);
        AssertReason(proposal.Reasons[0], BottleneckMeasure.Conversion, value: 0.5, typical: 0.75, ratio: 2 / 3.0, score: 1 / 3.0);
        AssertReason(proposal.Reasons[1], BottleneckMeasure.MedianDays, value: 60, typical: 22.5, ratio: 8 / 3.0, score: 5 / 3.0);

        // O3 (20,000) sits in Negotiation/Review.
        var negotiation = report.Bottlenecks[1];
        Assert.Equal((2, "Negotiation/Review", 1, 20_000.0), (negotiation.Rank, negotiation.StageName, negotiation.OpenCount, negotiation.OpenAmount));
        Assert.Equal(1, negotiation.Score, 1e-9);
        AssertReason(Assert.Single(negotiation.Reasons), BottleneckMeasure.Conversion, value: 0, typical: 0.75, ratio: 0, score: 1);
    }

    [Theory]
    [InlineData(PipelineDimension.Owner, false)]
    [InlineData(PipelineDimension.CloseQuarter, true)]
    public void The_open_deals_in_a_bottleneck_stage_do_not_depend_on_the_grouping(PipelineDimension groupBy, bool filtered)
    {
        // A filter that keeps every deal (all close dates from 2026-01-01) takes the filtered path through the loop.
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery
        {
            BottleneckMinDeals = 1,
            GroupBy = groupBy,
            CloseDate = filtered ? DateRange.Between(new(2026, 1, 1), new(2026, 12, 31)) : null,
        });

        Assert.Equal(
            [("Proposal/Price Quote", 1, 50_000.0), ("Negotiation/Review", 1, 20_000.0)],
            report.Bottlenecks.Select(b => (b.StageName, b.OpenCount, b.OpenAmount)));
    }

    [Fact]
    public void Stages_measured_on_too_few_deals_are_not_ranked()
    {
        // At 2 deals: conversions of Prospecting 0.75, Qualification 0.75, Proposal 0.5 (typical 0.75, low ≤ 0.6: Proposal);
        // median days of Prospecting 4 (3 stays) and Qualification 25 (4 stays): typical 14.5, slow ≥ 21.75: Qualification
        // (ratio 25 / 14.5, scores 10.5 / 14.5). Proposal has one completed stay, too few for its days.
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { BottleneckMinDeals = 2 });

        Assert.Equal(["Qualification", "Proposal/Price Quote"], report.Bottlenecks.Select(b => b.StageName));
        Assert.Equal(10.5 / 14.5, report.Bottlenecks[0].Score, 1e-9);
        Assert.Equal((0, 0.0), (report.Bottlenecks[0].OpenCount, report.Bottlenecks[0].OpenAmount));
        Assert.Equal(BottleneckMeasure.MedianDays, Assert.Single(report.Bottlenecks[0].Reasons).Measure);
        Assert.Equal(1 / 3.0, report.Bottlenecks[1].Score, 1e-9);
        Assert.Equal(BottleneckMeasure.Conversion, Assert.Single(report.Bottlenecks[1].Reasons).Measure);
    }

    [Fact]
    public void With_the_default_minimum_of_five_deals_the_small_sample_has_no_bottleneck()
    {
        Assert.Empty(_analytics.Analyze(PipelineSample.Set()).Bottlenecks);
    }

    [Fact]
    public void A_minimum_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { BottleneckMinDeals = 0 }));
    }

    private static void AssertReason(BottleneckReason reason, BottleneckMeasure measure, double value, double typical, double ratio, double score)
    {
        Assert.Equal(measure, reason.Measure);
        Assert.Equal(value, reason.Value, 1e-9);
        Assert.Equal(typical, reason.Typical, 1e-9);
        Assert.Equal(ratio, reason.Ratio, 1e-9);
        Assert.Equal(score, reason.Score, 1e-9);
    }
}
