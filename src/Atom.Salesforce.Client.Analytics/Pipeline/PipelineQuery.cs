namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>
/// Which opportunities a pipeline report covers and how it groups them. Every filter applies to every metric: a deal is
/// in scope when its close date is in <see cref="CloseDate"/> and it matches each filter that is set.
/// </summary>
public sealed class PipelineQuery
{
    /// <summary>Close dates to cover (both ends included); null for all.</summary>
    public DateRange? CloseDate { get; init; }

    /// <summary>What the open pipeline is grouped by; <see cref="PipelineDimension.Stage"/> by default.</summary>
    public PipelineDimension GroupBy { get; init; } = PipelineDimension.Stage;

    /// <summary>Only these owners (OwnerId); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Owners { get; init; }

    /// <summary>Only these lead sources; null or empty for all.</summary>
    public IReadOnlyCollection<string>? LeadSources { get; init; }

    /// <summary>Only deals now in these stages; null or empty for all.</summary>
    public IReadOnlyCollection<string>? Stages { get; init; }

    /// <summary>An open deal with no stage change for this many days is stalled; 30 by default.</summary>
    public int StalledAfterDays { get; init; } = 30;

    /// <summary>How many at-risk deals, largest first, the report lists; 50 by default (the count and sum cover all).</summary>
    public int AtRiskLimit { get; init; } = 50;

    /// <summary>
    /// The lower bounds of the deal size histogram's bins, ascending; each bin runs to the next bound, the last one has no
    /// upper bound. Null for 0, 5k, 10k, 25k, 50k, 100k, 250k, 500k and 1M.
    /// </summary>
    public IReadOnlyList<double>? DealSizeBins { get; init; }

    /// <summary>
    /// The period the forecast splits close dates into, keyed <c>yyyy-MM</c>, <c>yyyy-Qn</c> or <c>yyyy</c>;
    /// <see cref="CalendarPeriod.Month"/> by default.
    /// </summary>
    public CalendarPeriod ForecastBy { get; init; } = CalendarPeriod.Month;

    /// <summary>
    /// How many deals must have reached a stage (and how many stays in it must be complete) for its conversion (and its median
    /// days) to be measured for the bottleneck ranking; 5 by default, at least 1.
    /// </summary>
    public int BottleneckMinDeals { get; init; } = 5;

    internal static readonly double[] DefaultDealSizeBins = [0, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];
}
