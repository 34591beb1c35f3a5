using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Client.Analytics.Tests.Pipeline;

/// <summary>The forecast by close period and category, worked out by hand from <see cref="PipelineSample"/>.</summary>
public sealed class ForecastTests
{
    private readonly PipelineAnalytics _analytics = new(PipelineSample.Clock());

    [Fact]
    public void Splits_every_deal_by_close_month_and_forecast_category()
    {
        var forecast = _analytics.Analyze(PipelineSample.Set()).Forecast;

        // Close months: O6 04-30 (won), O4 05-31 (won), O2 06-20 (open, Pipeline, 75%), O5 06-10 (won), O7 06-15 (lost),
        // O1 07-15 (open, Pipeline, 10%), O3 08-10 (open, Commit, 90%). Won deals weigh their amount, lost ones nothing.
        Assert.Equal(["2026-04", "2026-05", "2026-06", "2026-07", "2026-08"], forecast.Select(p => p.Period));
        Assert.All(forecast, p => Assert.Equal(ForecastCategories.All, p.Categories.Select(c => c.Category)));
        AssertPeriod(forecast[0], new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30), closed: (1, 40_000, 40_000));
        AssertPeriod(forecast[1], new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31), closed: (1, 30_000, 30_000));
        AssertPeriod(forecast[2], new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30),
            pipeline: (1, 50_000, 37_500), closed: (1, 10_000, 10_000), omitted: (1, 25_000, 0));
        AssertPeriod(forecast[3], new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31), pipeline: (1, 10_000, 1_000));
        AssertPeriod(forecast[4], new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 31), commit: (1, 20_000, 18_000));
    }

    [Fact]
    public void Splits_by_calendar_quarter_when_asked()
    {
        var forecast = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { ForecastBy = CalendarPeriod.Quarter }).Forecast;

        // Q2: O2 open Pipeline; O4 + O5 + O6 won = 80,000; O7 lost. Q3: O1 Pipeline, O3 Commit.
        Assert.Equal(["2026-Q2", "2026-Q3"], forecast.Select(p => p.Period));
        AssertPeriod(forecast[0], new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30),
            pipeline: (1, 50_000, 37_500), closed: (3, 80_000, 80_000), omitted: (1, 25_000, 0));
        AssertPeriod(forecast[1], new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30), pipeline: (1, 10_000, 1_000), commit: (1, 20_000, 18_000));
    }

    [Fact]
    public void Splits_by_calendar_year_when_asked()
    {
        var forecast = _analytics.Analyze(YearsSet(), new PipelineQuery { ForecastBy = CalendarPeriod.Year }).Forecast;

        // 2025: A open Pipeline 1,000 × 20%, B won 2,000. 2026: C Best Case 3,000 × 50%, E Commit 5,000 × 90%, D lost 4,000.
        // 2027 has no deal and is left out. 2028: F open Pipeline 6,000 × 10%.
        Assert.Equal(["2025", "2026", "2028"], forecast.Select(p => p.Period));
        AssertPeriod(forecast[0], new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), pipeline: (1, 1_000, 200), closed: (1, 2_000, 2_000));
        AssertPeriod(forecast[1], new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31),
            bestCase: (1, 3_000, 1_500), commit: (1, 5_000, 4_500), omitted: (1, 4_000, 0));
        AssertPeriod(forecast[2], new DateOnly(2028, 1, 1), new DateOnly(2028, 12, 31), pipeline: (1, 6_000, 600));
    }

    [Fact]
    public void Years_and_quarters_follow_the_query_filters_across_years()
    {
        // Owner A: A (2025), C and E (2026). Owner B by quarter: B 2025-Q4 won, D 2026-Q4 lost, F 2028-Q1 open.
        var byYear = _analytics.Analyze(YearsSet(), new PipelineQuery { Owners = ["A"], ForecastBy = CalendarPeriod.Year }).Forecast;
        var byQuarter = _analytics.Analyze(YearsSet(), new PipelineQuery { Owners = ["B"], ForecastBy = CalendarPeriod.Quarter }).Forecast;

        Assert.Equal(["2025", "2026"], byYear.Select(p => p.Period));
        AssertPeriod(byYear[0], new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), pipeline: (1, 1_000, 200));
        AssertPeriod(byYear[1], new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), bestCase: (1, 3_000, 1_500), commit: (1, 5_000, 4_500));
        Assert.Equal(["2025-Q4", "2026-Q4", "2028-Q1"], byQuarter.Select(p => p.Period));
        AssertPeriod(byQuarter[0], new DateOnly(2025, 10, 1), new DateOnly(2025, 12, 31), closed: (1, 2_000, 2_000));
        AssertPeriod(byQuarter[1], new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31), omitted: (1, 4_000, 0));
        AssertPeriod(byQuarter[2], new DateOnly(2028, 1, 1), new DateOnly(2028, 3, 31), pipeline: (1, 6_000, 600));
    }

    [Fact]
    public void Follows_the_query_filters()
    {
        var forecast = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { Owners = ["B"], ForecastBy = CalendarPeriod.Quarter }).Forecast;

        // Owner B: O2 (Q2, Pipeline), O6 (Q2, won 40,000), O7 (Q2, lost).
        AssertPeriod(Assert.Single(forecast), new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30),
            pipeline: (1, 50_000, 37_500), closed: (1, 40_000, 40_000), omitted: (1, 25_000, 0));
    }

    [Fact]
    public void A_close_date_range_keeps_the_months_it_covers()
    {
        var forecast = _analytics.Analyze(PipelineSample.Set(), new PipelineQuery { CloseDate = DateRange.Between(new(2026, 6, 1), new(2026, 7, 31)) }).Forecast;

        // June: O2 open Pipeline, O5 won, O7 lost; July: O1 open Pipeline.
        Assert.Equal(["2026-06", "2026-07"], forecast.Select(p => p.Period));
        AssertPeriod(forecast[0], new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30),
            pipeline: (1, 50_000, 37_500), closed: (1, 10_000, 10_000), omitted: (1, 25_000, 0));
        AssertPeriod(forecast[1], new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31), pipeline: (1, 10_000, 1_000));
    }

    [Fact]
    public void Closed_deals_follow_their_outcome_and_open_deals_without_a_known_category_take_their_stages()
    {
        var set = OpportunitySet.Create(
            [
                // Won and lost whatever the record says.
                PipelineSample.Deal("W", "Closed Won", 100, 100, "2026-01-05", "2025-12-01", "A", null, "New", "Pipeline", closed: true, won: true),
                PipelineSample.Deal("L", "Closed Lost", 200, 0, "2026-01-06", "2025-12-01", "A", null, "New", "Closed", closed: true),

                // Open: the API name BestCase is Best Case; no category takes the stage's (Commit); an unknown one with a
                // stage without a category falls back to Pipeline.
                PipelineSample.Deal("B", "Deal", 300, 50, "2026-01-07", "2025-12-01", "A", null, "New", "BestCase"),
                PipelineSample.Deal("N", "Deal", 400, 50, "2026-01-08", "2025-12-01", "A", null, "New", null!),
                PipelineSample.Deal("U", "Other", 500, 20, "2026-01-09", "2025-12-01", "A", null, "New", "Upside"),
            ],
            stages:
            [
                new StageDefinition { Name = "Deal", ForecastCategoryName = "Commit" },
                new StageDefinition { Name = "Closed Won", IsClosed = true, IsWon = true },
                new StageDefinition { Name = "Closed Lost", IsClosed = true },
            ]);

        var january = Assert.Single(_analytics.Analyze(set).Forecast);

        AssertPeriod(january, new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31),
            pipeline: (1, 500, 100), bestCase: (1, 300, 150), commit: (1, 400, 200), closed: (1, 100, 100), omitted: (1, 200, 0));
    }

    [Fact]
    public void An_empty_set_has_no_forecast_periods()
    {
        Assert.Empty(_analytics.Analyze(OpportunitySet.Create([])).Forecast);
    }

    /// <summary>Six deals closing from 2025 to 2028, none in 2027, on the first and last days of their years.</summary>
    private static OpportunitySet YearsSet() => OpportunitySet.Create(
        [
            PipelineSample.Deal("A", "Deal", 1_000, 20, "2025-11-15", "2025-01-10", "A", null, "New", "Pipeline"),
            PipelineSample.Deal("B", "Closed Won", 2_000, 100, "2025-12-31", "2025-01-10", "B", null, "New", "Closed", closed: true, won: true),
            PipelineSample.Deal("C", "Deal", 3_000, 50, "2026-01-01", "2025-01-10", "A", null, "New", "BestCase"),
            PipelineSample.Deal("D", "Closed Lost", 4_000, 0, "2026-12-31", "2025-01-10", "B", null, "New", "Omitted", closed: true),
            PipelineSample.Deal("E", "Deal", 5_000, 90, "2026-06-30", "2025-01-10", "A", null, "New", "Commit"),
            PipelineSample.Deal("F", "Deal", 6_000, 10, "2028-03-01", "2025-01-10", "B", null, "New", "Pipeline"),
        ],
        stages:
        [
            new StageDefinition { Name = "Deal" },
            new StageDefinition { Name = "Closed Won", IsClosed = true, IsWon = true },
            new StageDefinition { Name = "Closed Lost", IsClosed = true },
        ]);

    private static void AssertPeriod(
        ForecastPeriod period, DateOnly start, DateOnly end,
        (int, double, double) pipeline = default, (int, double, double) bestCase = default, (int, double, double) commit = default,
        (int, double, double) closed = default, (int, double, double) omitted = default)
    {
        Assert.Equal((start, end), (period.Start, period.End));
        (int, double, double)[] expected = [pipeline, bestCase, commit, closed, omitted];
        Assert.Equal(expected, period.Categories.Select(c => (c.Count, c.Amount, c.WeightedAmount)));
    }
}
