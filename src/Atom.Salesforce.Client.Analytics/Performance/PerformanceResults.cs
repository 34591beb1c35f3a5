using Atom.Salesforce.Client.Analytics.Accounts;

namespace Atom.Salesforce.Client.Analytics.Performance;

/// <summary>
/// Sales performance of an owner, a team or the org. Won and lost deals are those closed in the query's range; the open
/// pipeline is today's.
/// </summary>
/// <param name="WonAmount">Amount of deals won.</param>
/// <param name="WonCount">Deals won.</param>
/// <param name="LostCount">Deals lost.</param>
/// <param name="WinRate">Won ÷ (won + lost) by count; null when none closed.</param>
/// <param name="AverageDealSize">Mean amount of won deals with an amount; null when there are none.</param>
/// <param name="MeanCycleDays">Mean days from creation to close of won deals; null when there are none.</param>
/// <param name="MedianCycleDays">Median of the same; null when there are none.</param>
/// <param name="Activities">Tasks and events owned, dated in range, by kind, with completed tasks.</param>
/// <param name="OpenPipeline">Amount of open deals.</param>
/// <param name="OpenCount">Open deals.</param>
/// <param name="NextPeriodPipeline">Amount of open deals closing in the next coverage period.</param>
/// <param name="Quota">The quota for one period (the sum of the members' quotas for a team); null when none is given.</param>
/// <param name="AverageWonPerPeriod"><paramref name="WonAmount"/> ÷ the number of periods measured.</param>
/// <param name="PipelineCoverage">
/// <paramref name="NextPeriodPipeline"/> ÷ the target: the quota when given, else <paramref name="AverageWonPerPeriod"/>
/// (for a team, the sum of its members' targets); null when the target is 0.
/// </param>
public sealed record PerformanceMetrics(
    double WonAmount,
    int WonCount,
    int LostCount,
    double? WinRate,
    double? AverageDealSize,
    double? MeanCycleDays,
    double? MedianCycleDays,
    ActivityCounts Activities,
    double OpenPipeline,
    int OpenCount,
    double NextPeriodPipeline,
    double? Quota,
    double AverageWonPerPeriod,
    double? PipelineCoverage);

/// <summary>One owner's performance.</summary>
/// <param name="OwnerId">The user.</param>
/// <param name="Name">Their name; null when the user is not in the data.</param>
/// <param name="ManagerId">Their manager.</param>
/// <param name="Metrics">Their figures.</param>
public sealed record OwnerPerformance(string OwnerId, string? Name, string? ManagerId, PerformanceMetrics Metrics);

/// <summary>A team's performance: a manager and the users who report to them (ManagerId), the manager's own deals included.</summary>
/// <param name="ManagerId">The manager.</param>
/// <param name="ManagerName">The manager's name.</param>
/// <param name="MemberIds">The manager and the direct reports in scope, manager first.</param>
/// <param name="Metrics">The team's figures: the sums, rates and cycles over all its members' deals and activities.</param>
public sealed record TeamPerformance(string ManagerId, string? ManagerName, IReadOnlyList<string> MemberIds, PerformanceMetrics Metrics);

/// <summary>A performance report.</summary>
/// <param name="Start">The first close date covered; null for all.</param>
/// <param name="End">The last close date covered; null for all.</param>
/// <param name="CoveragePeriod">The coverage period.</param>
/// <param name="NextPeriodStart">The first day of the next coverage period.</param>
/// <param name="NextPeriodEnd">Its last day.</param>
/// <param name="PeriodsMeasured">
/// How many coverage periods the range touches, up to the current one (without a range: from the period of the first
/// won deal to the current one); at least 1. The divisor of the average won amount per period.
/// </param>
/// <param name="Total">The whole org (every owner in scope).</param>
/// <param name="Owners">Each owner with a deal or an activity in scope, largest won amount first.</param>
/// <param name="Teams">Each team with a member in scope, largest won amount first.</param>
public sealed record PerformanceReport(
    DateOnly? Start,
    DateOnly? End,
    CalendarPeriod CoveragePeriod,
    DateOnly NextPeriodStart,
    DateOnly NextPeriodEnd,
    int PeriodsMeasured,
    PerformanceMetrics Total,
    IReadOnlyList<OwnerPerformance> Owners,
    IReadOnlyList<TeamPerformance> Teams);
