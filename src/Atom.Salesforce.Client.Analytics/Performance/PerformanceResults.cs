using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Analytics.Accounts;

namespace Atom.Salesforce.Client.Analytics.Performance;

/// <summary>
/// Sales performance of an owner, a team or the org. Won and lost deals are those closed in the query's range; the open
/// pipeline is today's.
/// </summary>
public sealed record PerformanceMetrics
{
    [JsonConstructor]
    internal PerformanceMetrics()
    {
    }

    /// <summary>Amount of deals won.</summary>
    public double WonAmount { get; init; }

    /// <summary>Deals won.</summary>
    public int WonCount { get; init; }

    /// <summary>Deals lost.</summary>
    public int LostCount { get; init; }

    /// <summary>Won ÷ (won + lost) by count; null when none closed.</summary>
    public double? WinRate { get; init; }

    /// <summary>Mean amount of won deals with an amount; null when there are none.</summary>
    public double? AverageDealSize { get; init; }

    /// <summary>Mean days from creation to close of won deals; null when there are none.</summary>
    public double? MeanCycleDays { get; init; }

    /// <summary>Median of the same; null when there are none.</summary>
    public double? MedianCycleDays { get; init; }

    /// <summary>Tasks and events owned, dated in range, by kind, with completed tasks.</summary>
    public ActivityCounts Activities { get; init; } = new();

    /// <summary>Amount of open deals.</summary>
    public double OpenPipeline { get; init; }

    /// <summary>Open deals.</summary>
    public int OpenCount { get; init; }

    /// <summary>Amount of open deals closing in the next coverage period.</summary>
    public double NextPeriodPipeline { get; init; }

    /// <summary>The quota for one period (the sum of the members' quotas for a team); null when none is given.</summary>
    public double? Quota { get; init; }

    /// <summary><see cref="WonAmount"/> ÷ the number of periods measured.</summary>
    public double AverageWonPerPeriod { get; init; }

    /// <summary>
    /// <see cref="NextPeriodPipeline"/> ÷ the target: the quota when given, else <see cref="AverageWonPerPeriod"/>
    /// (for a team, the sum of its members' targets); null when the target is 0.
    /// </summary>
    public double? PipelineCoverage { get; init; }
}

/// <summary>One owner's performance.</summary>
public sealed record OwnerPerformance
{
    [JsonConstructor]
    internal OwnerPerformance()
    {
    }

    /// <summary>The user.</summary>
    public string OwnerId { get; init; } = string.Empty;

    /// <summary>Their name; null when the user is not in the data.</summary>
    public string? Name { get; init; }

    /// <summary>Their manager.</summary>
    public string? ManagerId { get; init; }

    /// <summary>Their figures.</summary>
    public PerformanceMetrics Metrics { get; init; } = new();
}

/// <summary>A team's performance: a manager and the users who report to them (ManagerId), the manager's own deals included.</summary>
public sealed record TeamPerformance
{
    [JsonConstructor]
    internal TeamPerformance()
    {
    }

    /// <summary>The manager.</summary>
    public string ManagerId { get; init; } = string.Empty;

    /// <summary>The manager's name.</summary>
    public string? ManagerName { get; init; }

    /// <summary>The manager and the direct reports in scope, manager first.</summary>
    public IReadOnlyList<string> MemberIds { get; init; } = [];

    /// <summary>The team's figures: the sums, rates and cycles over all its members' deals and activities.</summary>
    public PerformanceMetrics Metrics { get; init; } = new();
}

/// <summary>A performance report.</summary>
public sealed record PerformanceReport
{
    [JsonConstructor]
    internal PerformanceReport()
    {
    }

    /// <summary>The first close date covered; null for all.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>The last close date covered; null for all.</summary>
    public DateOnly? End { get; init; }

    /// <summary>The coverage period.</summary>
    public CalendarPeriod CoveragePeriod { get; init; }

    /// <summary>The first day of the next coverage period.</summary>
    public DateOnly NextPeriodStart { get; init; }

    /// <summary>Its last day.</summary>
    public DateOnly NextPeriodEnd { get; init; }

    /// <summary>
    /// How many coverage periods the range touches, up to the current one (without a range: from the period of the first
    /// won deal to the current one); at least 1. The divisor of the average won amount per period.
    /// </summary>
    public int PeriodsMeasured { get; init; }

    /// <summary>The whole org (every owner in scope).</summary>
    public PerformanceMetrics Total { get; init; } = new();

    /// <summary>Each owner with a deal or an activity in scope, largest won amount first.</summary>
    public IReadOnlyList<OwnerPerformance> Owners { get; init; } = [];

    /// <summary>Each team with a member in scope, largest won amount first.</summary>
    public IReadOnlyList<TeamPerformance> Teams { get; init; } = [];
}
