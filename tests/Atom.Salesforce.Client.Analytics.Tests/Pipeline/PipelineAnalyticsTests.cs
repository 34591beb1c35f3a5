using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Client.Analytics.Tests.Pipeline;

/// <summary>Every expected value below is worked out by hand from <see cref="PipelineSample"/>.</summary>
public sealed class PipelineAnalyticsTests
{
    private const double Tolerance = 1e-9;
    private readonly PipelineAnalytics _analytics = new(PipelineSample.Clock());

    [Fact]
    public void Counts_open_won_and_lost_deals_and_the_win_rate()
    {
        var report = _analytics.Analyze(PipelineSample.Set());

        // Open: O1, O2, O3. Won: O4, O5, O6. Lost: O7. Win rate = 3 / (3 + 1).
        Assert.Equal(7, report.Count);
        Assert.Equal(3, report.OpenCount);
        Assert.Equal(3, report.WonCount);
        Assert.Equal(1, report.LostCount);
        Assert.Equal(0.75, report.WinRate!.Value, Tolerance);
        Assert.Null(report.Start);
        Assert.Null(report.End);
    }

    [Fact]
    public void Open_pipeline_is_the_sum_of_open_amounts_and_the_weighted_sum_multiplies_by_probability()
    {
        var report = _analytics.Analyze(PipelineSample.Set());

        // Total: 10,000 + 50,000 + 20,000 = 80,000.
        // Weighted: 10,000 × 10% + 50,000 × 75% + 20,000 × 90% = 1,000 + 37,500 + 18,000 = 56,500.
        Assert.Equal(80_000, report.OpenAmount, Tolerance);
        Assert.Equal(56_500, report.WeightedAmount, Tolerance);
    }

    [Fact]
    public void Groups_by_stage_by_default_in_stage_order()
    {
        var report = _analytics.Analyze(PipelineSample.Set());

        Assert.Equal(
            [
                new PipelineGroup { Key = "Prospecting", Count = 1, Amount = 10_000, WeightedAmount = 1_000 },
                new PipelineGroup { Key = "Proposal/Price Quote", Count = 1, Amount = 50_000, WeightedAmount = 37_500 },
                new PipelineGroup { Key = "Negotiation/Review", Count = 1, Amount = 20_000, WeightedAmount = 18_000 },
            ],
            report.Groups);
    }

    [Fact]
    public void Groups_by_owner_largest_first()
    {
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { GroupBy = PipelineDimension.Owner });

        // A: O1 + O3 = 30,000, weighted 1,000 + 18,000. B: O2 = 50,000, weighted 37,500.
        Assert.Equal([new PipelineGroup { Key = "B", Count = 1, Amount = 50_000, WeightedAmount = 37_500 }, new PipelineGroup
        {
            Key = "A",
            Count = 2,
            Amount = 30_000,
            WeightedAmount = 19_000,
        }], report.Groups);
    }

    [Theory]
    [InlineData(PipelineDimension.LeadSource, "Phone Inquiry", 50_000, "Web", 30_000)]
    [InlineData(PipelineDimension.ForecastCategory, "Pipeline", 60_000, "Commit", 20_000)]
    [InlineData(PipelineDimension.Type, "New Customer", 60_000, "Existing Customer - Upgrade", 20_000)]
    public void Groups_by_a_picklist(PipelineDimension dimension, string firstKey, double firstAmount, string secondKey, double secondAmount)
    {
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { GroupBy = dimension });

        // Open deals only: O1 (Web, Pipeline, New) 10,000; O2 (Phone Inquiry, Pipeline, New) 50,000; O3 (Web, Commit, Upgrade) 20,000.
        Assert.Equal(2, report.Groups.Count);
        Assert.Equal((firstKey, firstAmount), (report.Groups[0].Key, report.Groups[0].Amount));
        Assert.Equal((secondKey, secondAmount), (report.Groups[1].Key, report.Groups[1].Amount));
    }

    [Fact]
    public void Groups_by_close_month_and_quarter_in_time_order()
    {
        var set = PipelineSample.Set();

        var months = _analytics.Analyze(set, new PipelineQuery { GroupBy = PipelineDimension.CloseMonth });
        var quarters = _analytics.Analyze(set, new PipelineQuery { GroupBy = PipelineDimension.CloseQuarter });

        // O2 closes 06-20, O1 07-15, O3 08-10. Q2: O2; Q3: O1 + O3 = 30,000, weighted 1,000 + 18,000.
        Assert.Equal(
            [new PipelineGroup { Key = "2026-06", Count = 1, Amount = 50_000, WeightedAmount = 37_500 }, new PipelineGroup
            {
                Key = "2026-07",
                Count = 1,
                Amount = 10_000,
                WeightedAmount = 1_000,
            }, new PipelineGroup
            {
                Key = "2026-08",
                Count = 1,
                Amount = 20_000,
                WeightedAmount = 18_000,
            }],
            months.Groups);
        Assert.Equal([new PipelineGroup
        {
            Key = "2026-Q2",
            Count = 1,
            Amount = 50_000,
            WeightedAmount = 37_500,
        }, new PipelineGroup
        {
            Key = "2026-Q3",
            Count = 2,
            Amount = 30_000,
            WeightedAmount = 19_000,
        }], quarters.Groups);
    }

    [Fact]
    public void Sales_cycle_of_won_deals_in_days()
    {
        var report = _analytics.Analyze(PipelineSample.Set());

        // O4: 03-02 → 05-31 = 29 + 30 + 31 = 90. O5: 05-11 → 06-10 = 20 + 10 = 30. O6: 03-16 → 04-30 = 15 + 30 = 45.
        // Mean (90 + 30 + 45) / 3 = 55; median of {30, 45, 90} = 45.
        Assert.Equal(new SalesCycle { Count = 3, MeanDays = 55, MedianDays = 45 }, report.SalesCycle);
    }

    [Fact]
    public void Deal_size_distribution_of_won_deals()
    {
        var sizes = _analytics.Analyze(PipelineSample.Set()).DealSizes;

        // Won amounts sorted: 10,000, 30,000, 40,000. Mean 80,000 / 3.
        // Position p × (n − 1): p25 → 0.5 → 10,000 + 0.5 × 20,000 = 20,000; p50 → 1 → 30,000;
        // p75 → 1.5 → 30,000 + 0.5 × 10,000 = 35,000; p90 → 1.8 → 30,000 + 0.8 × 10,000 = 38,000.
        Assert.Equal(3, sizes.Count);
        Assert.Equal(80_000 / 3.0, sizes.Mean!.Value, Tolerance);
        Assert.Equal(20_000, sizes.P25!.Value, Tolerance);
        Assert.Equal(30_000, sizes.P50!.Value, Tolerance);
        Assert.Equal(35_000, sizes.P75!.Value, Tolerance);
        Assert.Equal(38_000, sizes.P90!.Value, Tolerance);

        // Default bins 0, 5k, 10k, 25k, 50k, ...: 10,000 falls in [10k, 25k), 30,000 and 40,000 in [25k, 50k).
        Assert.Equal(9, sizes.Bins.Count);
        Assert.Equal(new HistogramBin { LowerBound = 10_000, UpperBound = 25_000, Count = 1 }, sizes.Bins[2]);
        Assert.Equal(new HistogramBin { LowerBound = 25_000, UpperBound = 50_000, Count = 2 }, sizes.Bins[3]);
        Assert.Equal(new HistogramBin { LowerBound = 1_000_000, Count = 0 }, sizes.Bins[8]);
        Assert.Equal(3, sizes.Bins.Sum(b => b.Count));
    }

    [Fact]
    public void Deal_size_histogram_takes_custom_bins_and_leaves_out_amounts_below_the_first()
    {
        var sizes = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { DealSizeBins = [20_000, 35_000] }).DealSizes;

        // 10,000 is below 20,000 (no bin); 30,000 in [20k, 35k); 40,000 in [35k, ∞).
        Assert.Equal([new HistogramBin
        {
            LowerBound = 20_000,
            UpperBound = 35_000,
            Count = 1,
        }, new HistogramBin { LowerBound = 35_000, Count = 1 }], sizes.Bins);
    }

    [Fact]
    public void Stage_funnel_conversion_and_time_in_stage_from_the_history()
    {
        var stages = _analytics.Analyze(PipelineSample.Set()).Stages.ToDictionary(s => s.StageName);

        // Only the eight open stages are listed.
        Assert.Equal(8, stages.Count);

        // Prospecting reached by O1, O2, O4, O7; advanced by O2 (to Qualification), O4 (to Needs Analysis) and O7 (to
        // Qualification before it was lost). Completed stays: O2 4 days, O4 10, O7 2 → mean 16 / 3, median 4.
        // O1's stay is still going and is not counted.
        AssertStage(stages["Prospecting"], reached: 4, advanced: 3, stays: 3, mean: 16 / 3.0, median: 4);

        // Qualification reached by O2, O3, O5, O7; advanced by O2, O3, O5 (O7 went to Closed Lost, which is no progress).
        // Stays: O2 20, O3 12.5 (05-01 → 05-13 12:00), O5 30, O7 43 → mean 105.5 / 4 = 26.375, median (20 + 30) / 2 = 25.
        AssertStage(stages["Qualification"], reached: 4, advanced: 3, stays: 4, mean: 26.375, median: 25);

        // Needs Analysis: O4 only, 20 days, then on to Proposal.
        AssertStage(stages["Needs Analysis"], reached: 1, advanced: 1, stays: 1, mean: 20, median: 20);

        // Proposal reached by O2 (still there) and O4 (60 days, then won) → conversion 1 / 2.
        AssertStage(stages["Proposal/Price Quote"], reached: 2, advanced: 1, stays: 1, mean: 60, median: 60);

        // Negotiation: O3 arrived and is still there.
        Assert.Equal(new StageMetrics
        {
            StageName = "Negotiation/Review",
            Reached = 1,
            Advanced = 0,
            ConversionRate = 0,
            CompletedStays = 0,
        }, stages["Negotiation/Review"]);

        // Skipped by everyone.
        Assert.Equal(new StageMetrics
        {
            StageName = "Value Proposition",
            Reached = 0,
            Advanced = 0,
            CompletedStays = 0,
        }, stages["Value Proposition"]);
    }

    [Fact]
    public void Velocity_is_open_deals_times_win_rate_times_average_deal_over_cycle()
    {
        var report = _analytics.Analyze(PipelineSample.Set());

        // 3 open × 0.75 × (80,000 / 3) ÷ 55 days = 60,000 / 55 per day.
        Assert.Equal(60_000 / 55.0, report.Velocity!.Value, Tolerance);
    }

    [Fact]
    public void At_risk_deals_with_their_reasons_largest_first()
    {
        var report = _analytics.Analyze(PipelineSample.Set());

        // O2: in Proposal since 04-25 (66 days ≥ 30: stalled), close date pushed once (05-01 → 06-20), 10 days overdue.
        // O3: in Negotiation since 05-13 (48 days: stalled), not pushed, closes 08-10.
        // O1: in Prospecting since 06-01 (29 days < 30), closes 07-15: not at risk.
        Assert.Equal(2, report.AtRiskCount);
        Assert.Equal(70_000, report.AtRiskAmount, Tolerance);
        Assert.Equal(
            [
                new AtRiskDeal
                {
                    OpportunityId = "O2",
                    StageName = "Proposal/Price Quote",
                    Amount = 50_000,
                    CloseDate = new DateOnly(2026, 6, 20),
                    DaysSinceStageChange = 66,
                    CloseDatePushes = 1,
                    DaysOverdue = 10,
                    Reasons = AtRiskReasons.Stalled | AtRiskReasons.CloseDatePushed | AtRiskReasons.Overdue,
                },
                new AtRiskDeal
                {
                    OpportunityId = "O3",
                    StageName = "Negotiation/Review",
                    Amount = 20_000,
                    CloseDate = new DateOnly(2026, 8, 10),
                    DaysSinceStageChange = 48,
                    CloseDatePushes = 0,
                    DaysOverdue = 0,
                    Reasons = AtRiskReasons.Stalled,
                },
            ],
            report.AtRisk);
    }

    [Fact]
    public void Stalled_threshold_and_list_limit_are_configurable()
    {
        // At 29 days O1 is stalled too; the list keeps the largest one, the count and sum keep all three.
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { StalledAfterDays = 29, AtRiskLimit = 1 });

        Assert.Equal(3, report.AtRiskCount);
        Assert.Equal(80_000, report.AtRiskAmount, Tolerance);
        Assert.Equal("O2", Assert.Single(report.AtRisk).OpportunityId);
    }

    [Fact]
    public void Owner_filter_applies_to_every_metric()
    {
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { Owners = ["B"], LeadSources = ["Phone Inquiry"] });

        // B with Phone Inquiry: O2 (open) and O7 (lost). No won deal: win rate 0, no sizes, no cycle, no velocity.
        Assert.Equal((2, 1, 0, 1), (report.Count, report.OpenCount, report.WonCount, report.LostCount));
        Assert.Equal(0, report.WinRate);
        Assert.Equal(50_000, report.OpenAmount, Tolerance);
        Assert.Equal(37_500, report.WeightedAmount, Tolerance);
        Assert.Equal(new SalesCycle { Count = 0 }, report.SalesCycle);
        Assert.Null(report.DealSizes.Mean);
        Assert.Null(report.Velocity);

        // Prospecting reached by O2 and O7, both advanced to Qualification.
        Assert.Equal(2, report.Stages.Single(s => s.StageName == "Prospecting").Advanced);
    }

    [Fact]
    public void Stage_filter_selects_deals_by_their_current_stage()
    {
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { Stages = ["Closed Won", "Closed Lost"] });

        Assert.Equal((4, 0, 3, 1), (report.Count, report.OpenCount, report.WonCount, report.LostCount));
        Assert.Empty(report.Groups);
    }

    [Fact]
    public void Filter_on_a_value_not_in_the_data_selects_nothing()
    {
        var report = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { Owners = ["nobody"] });

        Assert.Equal(0, report.Count);
        Assert.Null(report.WinRate);
        Assert.Null(report.Velocity);
        Assert.All(report.Stages, s => Assert.Null(s.ConversionRate));
    }

    [Fact]
    public void Close_date_range_fixed_or_relative_selects_the_same_deals()
    {
        var set = PipelineSample.Set();

        var fixedRange = _analytics.Analyze(set, new PipelineQuery { CloseDate = DateRange.Between(new(2026, 6, 1), new(2026, 6, 30)) });
        var thisMonth = _analytics.Analyze(set, new PipelineQuery { CloseDate = DateRange.Relative("THIS_MONTH") });

        // Closing in June: O2 (06-20, open), O5 (06-10, won), O7 (06-15, lost).
        foreach (var report in new[] { fixedRange, thisMonth })
        {
            Assert.Equal((3, 1, 1, 1), (report.Count, report.OpenCount, report.WonCount, report.LostCount));
            Assert.Equal(new DateOnly(2026, 6, 1), report.Start);
            Assert.Equal(new DateOnly(2026, 6, 30), report.End);
            Assert.Equal(0.5, report.WinRate!.Value, Tolerance);
        }
    }

    [Fact]
    public void Bad_queries_are_refused()
    {
        var set = PipelineSample.Set();

        Assert.Throws<ArgumentNullException>(() => _analytics.Analyze(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _analytics.Analyze(set, new PipelineQuery { StalledAfterDays = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _analytics.Analyze(set, new PipelineQuery { AtRiskLimit = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _analytics.Analyze(set, new PipelineQuery { DealSizeBins = [10, 5] }));
    }

    [Fact]
    public async Task AnalyzeAsync_refuses_a_null_client()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((SalesforceClient)null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void An_empty_set_gives_an_empty_report()
    {
        var report = _analytics.Analyze(OpportunitySet.Create([]));

        Assert.Equal(0, report.Count);
        Assert.Empty(report.Groups);
        Assert.Null(report.WinRate);
        Assert.Equal(new SalesCycle { Count = 0 }, report.SalesCycle);
        Assert.Equal(0, report.DealSizes.Count);
        Assert.Empty(report.AtRisk);
    }

    private static void AssertStage(StageMetrics stage, int reached, int advanced, int stays, double mean, double median)
    {
        Assert.Equal(reached, stage.Reached);
        Assert.Equal(advanced, stage.Advanced);
        Assert.Equal(advanced / (double)reached, stage.ConversionRate!.Value, Tolerance);
        Assert.Equal(stays, stage.CompletedStays);
        Assert.Equal(mean, stage.MeanDays!.Value, Tolerance);
        Assert.Equal(median, stage.MedianDays!.Value, Tolerance);
    }
}
