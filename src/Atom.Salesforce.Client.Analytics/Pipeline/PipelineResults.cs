using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>The open pipeline of one group.</summary>
public sealed record PipelineGroup
{
    [JsonConstructor]
    internal PipelineGroup()
    {
    }

    /// <summary>The group's value (stage, owner id, <c>yyyy-MM</c>, ...); null for deals without one.</summary>
    public string? Key { get; init; }

    /// <summary>Open deals in the group.</summary>
    public int Count { get; init; }

    /// <summary>Their total amount.</summary>
    public double Amount { get; init; }

    /// <summary>Their amount times probability (Salesforce's expected revenue).</summary>
    public double WeightedAmount { get; init; }
}

/// <summary>How long won deals took, from creation to close date, in days.</summary>
public sealed record SalesCycle
{
    [JsonConstructor]
    internal SalesCycle()
    {
    }

    /// <summary>Won deals measured.</summary>
    public int Count { get; init; }

    /// <summary>The mean; null when there are none.</summary>
    public double? MeanDays { get; init; }

    /// <summary>The median; null when there are none.</summary>
    public double? MedianDays { get; init; }
}

/// <summary>One bin of the deal size histogram: deals with <see cref="LowerBound"/> ≤ amount &lt; <see cref="UpperBound"/>.</summary>
public sealed record HistogramBin
{
    [JsonConstructor]
    internal HistogramBin()
    {
    }

    /// <summary>The smallest amount in the bin.</summary>
    public double LowerBound { get; init; }

    /// <summary>The first amount past the bin; null for the last bin.</summary>
    public double? UpperBound { get; init; }

    /// <summary>Deals in the bin.</summary>
    public int Count { get; init; }
}

/// <summary>
/// The sizes of won deals that have an amount. Percentiles interpolate linearly between the two nearest deals (as
/// Excel's PERCENTILE.INC and NumPy's default do); all are null when there are no deals.
/// </summary>
public sealed record DealSizeDistribution
{
    [JsonConstructor]
    internal DealSizeDistribution()
    {
    }

    /// <summary>Deals measured.</summary>
    public int Count { get; init; }

    /// <summary>The mean amount (the average deal size).</summary>
    public double? Mean { get; init; }

    /// <summary>The 25th percentile.</summary>
    public double? P25 { get; init; }

    /// <summary>The median.</summary>
    public double? P50 { get; init; }

    /// <summary>The 75th percentile.</summary>
    public double? P75 { get; init; }

    /// <summary>The 90th percentile.</summary>
    public double? P90 { get; init; }

    /// <summary>The histogram, one entry per bin, empty bins included.</summary>
    public IReadOnlyList<HistogramBin> Bins { get; init; } = [];
}

/// <summary>
/// One open stage of the funnel, from the stage history: how many deals reached it, how many went on to a later stage
/// (a later open stage or a won one, not a lost one), and how long completed stays in it lasted. A stay is completed
/// when the deal moved to another stage; the current stay of an open deal is not counted.
/// </summary>
public sealed record StageMetrics
{
    [JsonConstructor]
    internal StageMetrics()
    {
    }

    /// <summary>The stage.</summary>
    public string StageName { get; init; } = string.Empty;

    /// <summary>Deals that were ever in the stage.</summary>
    public int Reached { get; init; }

    /// <summary>Of those, deals that later reached a later open stage or a won stage.</summary>
    public int Advanced { get; init; }

    /// <summary><see cref="Advanced"/> ÷ <see cref="Reached"/>; null when none reached it.</summary>
    public double? ConversionRate { get; init; }

    /// <summary>Completed stays in the stage measured.</summary>
    public int CompletedStays { get; init; }

    /// <summary>Mean length of a completed stay in days; null when there are none.</summary>
    public double? MeanDays { get; init; }

    /// <summary>Median length of a completed stay in days; null when there are none.</summary>
    public double? MedianDays { get; init; }
}

/// <summary>An open deal at risk, with the reasons.</summary>
public sealed record AtRiskDeal
{
    [JsonConstructor]
    internal AtRiskDeal()
    {
    }

    /// <summary>The deal.</summary>
    public string OpportunityId { get; init; } = string.Empty;

    /// <summary>Its current stage.</summary>
    public string StageName { get; init; } = string.Empty;

    /// <summary>Its amount.</summary>
    public double Amount { get; init; }

    /// <summary>Its close date.</summary>
    public DateOnly CloseDate { get; init; }

    /// <summary>Days since it entered its current stage (since creation without a history row).</summary>
    public int DaysSinceStageChange { get; init; }

    /// <summary>How many times its close date moved later.</summary>
    public int CloseDatePushes { get; init; }

    /// <summary>Days its close date is past; 0 when it is not.</summary>
    public int DaysOverdue { get; init; }

    /// <summary>Why it is at risk.</summary>
    public AtRiskReasons Reasons { get; init; }
}

/// <summary>A pipeline report over the opportunities a <see cref="PipelineQuery"/> selects.</summary>
public sealed record PipelineReport
{
    [JsonConstructor]
    internal PipelineReport()
    {
    }

    /// <summary>The first close date covered; null for all.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>The last close date covered; null for all.</summary>
    public DateOnly? End { get; init; }

    /// <summary>Deals in scope.</summary>
    public int Count { get; init; }

    /// <summary>Open deals.</summary>
    public int OpenCount { get; init; }

    /// <summary>Won deals.</summary>
    public int WonCount { get; init; }

    /// <summary>Closed deals not won.</summary>
    public int LostCount { get; init; }

    /// <summary>The open pipeline: total amount of open deals.</summary>
    public double OpenAmount { get; init; }

    /// <summary>The open pipeline weighted by probability.</summary>
    public double WeightedAmount { get; init; }

    /// <summary>
    /// The open pipeline grouped by <see cref="PipelineQuery.GroupBy"/>; groups without deals are left out.
    /// </summary>
    public IReadOnlyList<PipelineGroup> Groups { get; init; } = [];

    /// <summary>Won ÷ (won + lost) by count; null when none closed.</summary>
    public double? WinRate { get; init; }

    /// <summary>Days from creation to close of won deals.</summary>
    public SalesCycle SalesCycle { get; init; } = new();

    /// <summary>Amounts of won deals.</summary>
    public DealSizeDistribution DealSizes { get; init; } = new();

    /// <summary>Each open stage, in stage order: funnel, conversion and time in stage.</summary>
    public IReadOnlyList<StageMetrics> Stages { get; init; } = [];

    /// <summary>
    /// Pipeline velocity in amount per day: open deals × win rate × average won deal size ÷ mean sales cycle days; null when
    /// a factor is unknown or the cycle is 0.
    /// </summary>
    public double? Velocity { get; init; }

    /// <summary>Open deals at risk.</summary>
    public int AtRiskCount { get; init; }

    /// <summary>Their total amount.</summary>
    public double AtRiskAmount { get; init; }

    /// <summary>The largest of them, at most <see cref="PipelineQuery.AtRiskLimit"/>, largest first.</summary>
    public IReadOnlyList<AtRiskDeal> AtRisk { get; init; } = [];

    /// <summary>
    /// Every deal in scope by close period (<see cref="PipelineQuery.ForecastBy"/>) and forecast category: won deals are Closed,
    /// lost deals Omitted, open deals in their ForecastCategoryName (their stage's when they have none, else Pipeline). Periods
    /// without deals are left out; periods in time order.
    /// </summary>
    public IReadOnlyList<ForecastPeriod> Forecast { get; init; } = [];

    /// <summary>
    /// The open stages that hold deals back, worst first, each with its reasons (see <see cref="BottleneckStage"/>).
    /// </summary>
    public IReadOnlyList<BottleneckStage> Bottlenecks { get; init; } = [];
}

/// <summary>One forecast category of one period: the deals closing in the period that fall in the category.</summary>
public sealed record ForecastCell
{
    [JsonConstructor]
    internal ForecastCell()
    {
    }

    /// <summary>The category, one of <see cref="ForecastCategories.All"/>.</summary>
    public string Category { get; init; } = string.Empty;

    /// <summary>Deals.</summary>
    public int Count { get; init; }

    /// <summary>Their total amount.</summary>
    public double Amount { get; init; }

    /// <summary>Their amount times probability: the amount itself for won deals (100%), 0 for lost ones.</summary>
    public double WeightedAmount { get; init; }
}

/// <summary>The forecast of one period of close dates, by category.</summary>
public sealed record ForecastPeriod
{
    [JsonConstructor]
    internal ForecastPeriod()
    {
    }

    /// <summary>
    /// The period: <c>yyyy-MM</c> for a month, <c>yyyy-Qn</c> for a calendar quarter, <c>yyyy</c> for a year.
    /// </summary>
    public string Period { get; init; } = string.Empty;

    /// <summary>Its first day.</summary>
    public DateOnly Start { get; init; }

    /// <summary>Its last day.</summary>
    public DateOnly End { get; init; }

    /// <summary>The five categories in the order of <see cref="ForecastCategories.All"/>, empty ones included.</summary>
    public IReadOnlyList<ForecastCell> Categories { get; init; } = [];
}

/// <summary>The measure that made a stage a bottleneck.</summary>
public enum BottleneckMeasure
{
    /// <summary>Stage-to-stage conversion at most <see cref="BottleneckStage.LowConversionRatio"/> × the funnel's typical conversion.</summary>
    Conversion,

    /// <summary>Median days in the stage at least <see cref="BottleneckStage.SlowStageRatio"/> × the funnel's typical median.</summary>
    MedianDays,
}

/// <summary>Why a stage is a bottleneck: one measure, the stage's value, the funnel's typical value and how far apart they are.</summary>
public sealed record BottleneckReason
{
    [JsonConstructor]
    internal BottleneckReason()
    {
    }

    /// <summary>The measure.</summary>
    public BottleneckMeasure Measure { get; init; }

    /// <summary>The stage's conversion rate (0–1) or median days.</summary>
    public double Value { get; init; }

    /// <summary>The median of that measure over the funnel's measured open stages.</summary>
    public double Typical { get; init; }

    /// <summary><see cref="Value"/> ÷ <see cref="Typical"/>: below 1 for conversion, above 1 for days.</summary>
    public double Ratio { get; init; }

    /// <summary>What the reason adds to the stage's score: 1 − ratio for conversion, ratio − 1 for days.</summary>
    public double Score { get; init; }
}

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
public sealed record BottleneckStage
{
    [JsonConstructor]
    internal BottleneckStage()
    {
    }

    /// <summary>1 for the worst.</summary>
    public int Rank { get; init; }

    /// <summary>The stage.</summary>
    public string StageName { get; init; } = string.Empty;

    /// <summary>The sum of the reasons' scores.</summary>
    public double Score { get; init; }

    /// <summary>Open deals in scope now in the stage.</summary>
    public int OpenCount { get; init; }

    /// <summary>Their total amount.</summary>
    public double OpenAmount { get; init; }

    /// <summary>Which measures made it a bottleneck, and by how much.</summary>
    public IReadOnlyList<BottleneckReason> Reasons { get; init; } = [];

    /// <summary>Conversion at most this share of the typical conversion is low (0.8: 20% below).</summary>
    public const double LowConversionRatio = 0.8;

    /// <summary>Median days at least this multiple of the typical median are slow (1.5: 50% longer).</summary>
    public const double SlowStageRatio = 1.5;
}

/// <summary>The open pipeline's grouped totals, computed in the org (<see cref="PipelineAnalytics.SummarizeAsync"/>).</summary>
public sealed record PipelineSummary
{
    [JsonConstructor]
    internal PipelineSummary()
    {
    }

    /// <summary>The first close date covered; null for all.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>The last close date covered; null for all.</summary>
    public DateOnly? End { get; init; }

    /// <summary>Open deals in scope.</summary>
    public int OpenCount { get; init; }

    /// <summary>Their total amount.</summary>
    public double OpenAmount { get; init; }

    /// <summary>Their total expected revenue (amount × probability).</summary>
    public double WeightedAmount { get; init; }

    /// <summary>The totals per group, in the same order as <see cref="PipelineReport.Groups"/>.</summary>
    public IReadOnlyList<PipelineGroup> Groups { get; init; } = [];

    /// <summary>
    /// Per close period, in time order, the groups with deals closing in it; empty unless a period split was asked for.
    /// </summary>
    public IReadOnlyList<PipelinePeriodGroups> Periods { get; init; } = [];
}

/// <summary>The open pipeline's groups for one close period.</summary>
public sealed record PipelinePeriodGroups
{
    [JsonConstructor]
    internal PipelinePeriodGroups()
    {
    }

    /// <summary><c>yyyy-MM</c> or <c>yyyy-Qn</c>.</summary>
    public string Period { get; init; } = string.Empty;

    /// <summary>The groups with deals closing in the period.</summary>
    public IReadOnlyList<PipelineGroup> Groups { get; init; } = [];
}
