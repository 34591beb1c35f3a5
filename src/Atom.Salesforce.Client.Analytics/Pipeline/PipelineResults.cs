namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>The open pipeline of one group.</summary>
/// <param name="Key">The group's value (stage, owner id, <c>yyyy-MM</c>, ...); null for deals without one.</param>
/// <param name="Count">Open deals in the group.</param>
/// <param name="Amount">Their total amount.</param>
/// <param name="WeightedAmount">Their amount times probability (Salesforce's expected revenue).</param>
public sealed record PipelineGroup(string? Key, int Count, double Amount, double WeightedAmount);

/// <summary>How long won deals took, from creation to close date, in days.</summary>
/// <param name="Count">Won deals measured.</param>
/// <param name="MeanDays">The mean; null when there are none.</param>
/// <param name="MedianDays">The median; null when there are none.</param>
public sealed record SalesCycle(int Count, double? MeanDays, double? MedianDays);

/// <summary>One bin of the deal size histogram: deals with <see cref="LowerBound"/> ≤ amount &lt; <see cref="UpperBound"/>.</summary>
/// <param name="LowerBound">The smallest amount in the bin.</param>
/// <param name="UpperBound">The first amount past the bin; null for the last bin.</param>
/// <param name="Count">Deals in the bin.</param>
public sealed record HistogramBin(double LowerBound, double? UpperBound, int Count);

/// <summary>
/// The sizes of won deals that have an amount. Percentiles interpolate linearly between the two nearest deals (as
/// Excel's PERCENTILE.INC and NumPy's default do); all are null when there are no deals.
/// </summary>
/// <param name="Count">Deals measured.</param>
/// <param name="Mean">The mean amount (the average deal size).</param>
/// <param name="P25">The 25th percentile.</param>
/// <param name="P50">The median.</param>
/// <param name="P75">The 75th percentile.</param>
/// <param name="P90">The 90th percentile.</param>
/// <param name="Bins">The histogram, one entry per bin, empty bins included.</param>
public sealed record DealSizeDistribution(int Count, double? Mean, double? P25, double? P50, double? P75, double? P90, IReadOnlyList<HistogramBin> Bins);

/// <summary>
/// One open stage of the funnel, from the stage history: how many deals reached it, how many went on to a later stage
/// (a later open stage or a won one, not a lost one), and how long completed stays in it lasted. A stay is completed
/// when the deal moved to another stage; the current stay of an open deal is not counted.
/// </summary>
/// <param name="StageName">The stage.</param>
/// <param name="Reached">Deals that were ever in the stage.</param>
/// <param name="Advanced">Of those, deals that later reached a later open stage or a won stage.</param>
/// <param name="ConversionRate"><paramref name="Advanced"/> ÷ <paramref name="Reached"/>; null when none reached it.</param>
/// <param name="CompletedStays">Completed stays in the stage measured.</param>
/// <param name="MeanDays">Mean length of a completed stay in days; null when there are none.</param>
/// <param name="MedianDays">Median length of a completed stay in days; null when there are none.</param>
public sealed record StageMetrics(string StageName, int Reached, int Advanced, double? ConversionRate, int CompletedStays, double? MeanDays, double? MedianDays);

/// <summary>An open deal at risk, with the reasons.</summary>
/// <param name="OpportunityId">The deal.</param>
/// <param name="StageName">Its current stage.</param>
/// <param name="Amount">Its amount.</param>
/// <param name="CloseDate">Its close date.</param>
/// <param name="DaysSinceStageChange">Days since it entered its current stage (since creation without a history row).</param>
/// <param name="CloseDatePushes">How many times its close date moved later.</param>
/// <param name="DaysOverdue">Days its close date is past; 0 when it is not.</param>
/// <param name="Reasons">Why it is at risk.</param>
public sealed record AtRiskDeal(string OpportunityId, string StageName, double Amount, DateOnly CloseDate, int DaysSinceStageChange, int CloseDatePushes, int DaysOverdue, AtRiskReasons Reasons);

/// <summary>A pipeline report over the opportunities a <see cref="PipelineQuery"/> selects.</summary>
/// <param name="Start">The first close date covered; null for all.</param>
/// <param name="End">The last close date covered; null for all.</param>
/// <param name="Count">Deals in scope.</param>
/// <param name="OpenCount">Open deals.</param>
/// <param name="WonCount">Won deals.</param>
/// <param name="LostCount">Closed deals not won.</param>
/// <param name="OpenAmount">The open pipeline: total amount of open deals.</param>
/// <param name="WeightedAmount">The open pipeline weighted by probability.</param>
/// <param name="Groups">The open pipeline grouped by <see cref="PipelineQuery.GroupBy"/>; groups without deals are left out.</param>
/// <param name="WinRate">Won ÷ (won + lost) by count; null when none closed.</param>
/// <param name="SalesCycle">Days from creation to close of won deals.</param>
/// <param name="DealSizes">Amounts of won deals.</param>
/// <param name="Stages">Each open stage, in stage order: funnel, conversion and time in stage.</param>
/// <param name="Velocity">
/// Pipeline velocity in amount per day: open deals × win rate × average won deal size ÷ mean sales cycle days; null when
/// a factor is unknown or the cycle is 0.
/// </param>
/// <param name="AtRiskCount">Open deals at risk.</param>
/// <param name="AtRiskAmount">Their total amount.</param>
/// <param name="AtRisk">The largest of them, at most <see cref="PipelineQuery.AtRiskLimit"/>, largest first.</param>
/// <param name="Forecast">
/// Every deal in scope by close period (<see cref="PipelineQuery.ForecastBy"/>) and forecast category: won deals are Closed,
/// lost deals Omitted, open deals in their ForecastCategoryName (their stage's when they have none, else Pipeline). Periods
/// without deals are left out; periods in time order.
/// </param>
/// <param name="Bottlenecks">The open stages that hold deals back, worst first, each with its reasons (see <see cref="BottleneckStage"/>).</param>
public sealed record PipelineReport(
    DateOnly? Start,
    DateOnly? End,
    int Count,
    int OpenCount,
    int WonCount,
    int LostCount,
    double OpenAmount,
    double WeightedAmount,
    IReadOnlyList<PipelineGroup> Groups,
    double? WinRate,
    SalesCycle SalesCycle,
    DealSizeDistribution DealSizes,
    IReadOnlyList<StageMetrics> Stages,
    double? Velocity,
    int AtRiskCount,
    double AtRiskAmount,
    IReadOnlyList<AtRiskDeal> AtRisk,
    IReadOnlyList<ForecastPeriod> Forecast,
    IReadOnlyList<BottleneckStage> Bottlenecks);

/// <summary>One forecast category of one period: the deals closing in the period that fall in the category.</summary>
/// <param name="Category">The category, one of <see cref="ForecastCategories.All"/>.</param>
/// <param name="Count">Deals.</param>
/// <param name="Amount">Their total amount.</param>
/// <param name="WeightedAmount">Their amount times probability: the amount itself for won deals (100%), 0 for lost ones.</param>
public sealed record ForecastCell(string Category, int Count, double Amount, double WeightedAmount);

/// <summary>The forecast of one period of close dates, by category.</summary>
/// <param name="Period">The period: <c>yyyy-MM</c> for a month, <c>yyyy-Qn</c> for a calendar quarter, <c>yyyy</c> for a year.</param>
/// <param name="Start">Its first day.</param>
/// <param name="End">Its last day.</param>
/// <param name="Categories">The five categories in the order of <see cref="ForecastCategories.All"/>, empty ones included.</param>
public sealed record ForecastPeriod(string Period, DateOnly Start, DateOnly End, IReadOnlyList<ForecastCell> Categories);

/// <summary>The measure that made a stage a bottleneck.</summary>
public enum BottleneckMeasure
{
    /// <summary>Stage-to-stage conversion at most <see cref="BottleneckStage.LowConversionRatio"/> × the funnel's typical conversion.</summary>
    Conversion,

    /// <summary>Median days in the stage at least <see cref="BottleneckStage.SlowStageRatio"/> × the funnel's typical median.</summary>
    MedianDays,
}

/// <summary>Why a stage is a bottleneck: one measure, the stage's value, the funnel's typical value and how far apart they are.</summary>
/// <param name="Measure">The measure.</param>
/// <param name="Value">The stage's conversion rate (0–1) or median days.</param>
/// <param name="Typical">The median of that measure over the funnel's measured open stages.</param>
/// <param name="Ratio"><paramref name="Value"/> ÷ <paramref name="Typical"/>: below 1 for conversion, above 1 for days.</param>
/// <param name="Score">What the reason adds to the stage's score: 1 − ratio for conversion, ratio − 1 for days.</param>
public sealed record BottleneckReason(BottleneckMeasure Measure, double Value, double Typical, double Ratio, double Score);

/// <summary>
/// An open stage that holds deals back, with its reasons. The rule, over the open stages of the report:
/// <list type="number">
/// <item>A stage's conversion is measured when at least <see cref="PipelineQuery.BottleneckMinDeals"/> deals reached it; its
/// median days when at least that many stays in it were completed.</item>
/// <item>The funnel's typical conversion is the median of the measured conversions; its typical stage length the median of
/// the measured median days.</item>
/// <item>Low conversion: conversion ≤ <see cref="LowConversionRatio"/> × typical (at least 20% below); it scores 1 − ratio.
/// Slow stage: median days ≥ <see cref="SlowStageRatio"/> × typical (at least 50% longer); it scores ratio − 1.</item>
/// <item>A stage with at least one reason is a bottleneck; its score is the sum of its reasons' scores. Bottlenecks are ranked by
/// score, then by the amount of open deals now in the stage, then in stage order.</item>
/// </list>
/// </summary>
/// <param name="Rank">1 for the worst.</param>
/// <param name="StageName">The stage.</param>
/// <param name="Score">The sum of the reasons' scores.</param>
/// <param name="OpenCount">Open deals in scope now in the stage.</param>
/// <param name="OpenAmount">Their total amount.</param>
/// <param name="Reasons">Which measures made it a bottleneck, and by how much.</param>
public sealed record BottleneckStage(int Rank, string StageName, double Score, int OpenCount, double OpenAmount, IReadOnlyList<BottleneckReason> Reasons)
{
    /// <summary>Conversion at most this share of the typical conversion is low (0.8: 20% below).</summary>
    public const double LowConversionRatio = 0.8;

    /// <summary>Median days at least this multiple of the typical median are slow (1.5: 50% longer).</summary>
    public const double SlowStageRatio = 1.5;
}

/// <summary>The open pipeline's grouped totals, computed in the org (<see cref="PipelineAnalytics.SummarizeAsync"/>).</summary>
/// <param name="Start">The first close date covered; null for all.</param>
/// <param name="End">The last close date covered; null for all.</param>
/// <param name="OpenCount">Open deals in scope.</param>
/// <param name="OpenAmount">Their total amount.</param>
/// <param name="WeightedAmount">Their total expected revenue (amount × probability).</param>
/// <param name="Groups">The totals per group, in the same order as <see cref="PipelineReport.Groups"/>.</param>
/// <param name="Periods">Per close period, in time order, the groups with deals closing in it; empty unless a period split was asked for.</param>
public sealed record PipelineSummary(
    DateOnly? Start, DateOnly? End, int OpenCount, double OpenAmount, double WeightedAmount, IReadOnlyList<PipelineGroup> Groups, IReadOnlyList<PipelinePeriodGroups> Periods);

/// <summary>The open pipeline's groups for one close period.</summary>
/// <param name="Period"><c>yyyy-MM</c> or <c>yyyy-Qn</c>.</param>
/// <param name="Groups">The groups with deals closing in the period.</param>
public sealed record PipelinePeriodGroups(string Period, IReadOnlyList<PipelineGroup> Groups);
