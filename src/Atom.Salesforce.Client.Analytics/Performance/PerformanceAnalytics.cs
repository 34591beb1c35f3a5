using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Performance;

/// <summary>
/// Sales performance per owner, per team (a manager and the users whose ManagerId is theirs) and for the org: won amount
/// and count, win rate, average deal size, mean and median cycle, activities by kind, open pipeline and pipeline coverage.
/// Thread-safe; registered by <c>.AddAnalytics()</c>.
/// </summary>
/// <remarks>
/// Pipeline coverage = the open pipeline closing in the next coverage period (the month, quarter or year after the one
/// holding today) ÷ the owner's quota for a period when <see cref="PerformanceQuery.Quotas"/> gives one, else ÷ the
/// owner's average won amount per period over the range (won amount ÷ periods the range touches, up to the current one). 3.0 means three times
/// the target is in the pipeline; null when the target is 0.
/// </remarks>
public class PerformanceAnalytics
{
    internal const SalesDataParts Parts = SalesDataParts.Opportunities | SalesDataParts.Activities | SalesDataParts.Users;

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the analytics with the clock that decides "today" (relative ranges, the next period).</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public PerformanceAnalytics(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>For mocking frameworks: the analytics on the system clock.</summary>
    protected PerformanceAnalytics()
        : this(null)
    {
    }

    /// <summary>Loads the org's opportunities, tasks, events and users (one query each, at once) and reports on them.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Range, owners, coverage period and quotas; null for all time by quarter.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any call).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<PerformanceReport> AnalyzeAsync(SalesforceClient client, PerformanceQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        query?.Validate();
        var data = await SalesDataLoader.LoadAsync(client, Parts, cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>
    /// Reads the opportunities, tasks, events and users from <paramref name="source"/> (Salesforce or a mirror of it) and
    /// reports on them. Nothing is filtered in the source: coverage reads the next period's open deals, outside the range.
    /// </summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="query">Range, owners, coverage period and quotas; null for all time by quarter.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any read).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<PerformanceReport> AnalyzeAsync(ISalesDataSource source, PerformanceQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        query?.Validate();
        var data = await source.LoadAsync(Parts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>Reports on the deals and activities of <paramref name="data"/> that <paramref name="query"/> selects.</summary>
    /// <param name="data">Opportunities, activities and users.</param>
    /// <param name="query">Range, owners, coverage period and quotas; null for all time by quarter.</param>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    public virtual PerformanceReport Analyze(SalesData data, PerformanceQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        query ??= new PerformanceQuery();
        query.Validate();
        var today = Periods.Today(_timeProvider);
        (DateOnly Start, DateOnly End)? range = query.CloseDate?.Resolve(today);
        var period = query.CoveragePeriod;
        var next = Periods.Index(today, period) + 1;
        var (nextStart, nextEnd) = (Periods.Start(next, period), Periods.End(next, period));
        var owners = PicklistFilter.Create(query.Owners);
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        DateOnly? firstWon = null;

        Tally For(string owner)
        {
            if (!tallies.TryGetValue(owner, out var tally))
            {
                tally = new Tally();
                tallies.Add(owner, tally);
            }

            return tally;
        }

        foreach (var o in data.Opportunities)
        {
            if (o.OwnerId is not { } owner || !PicklistFilter.Passes(owners, owner))
            {
                continue;
            }

            var amount = (double)(o.Amount ?? 0);
            if (!o.IsClosed)
            {
                var t = For(owner);
                t.Open += amount;
                t.OpenCount++;
                if (o.CloseDate >= nextStart && o.CloseDate <= nextEnd)
                {
                    t.NextPeriod += amount;
                }

                continue;
            }

            if (range is { } r && (o.CloseDate < r.Start || o.CloseDate > r.End))
            {
                continue;
            }

            var tally = For(owner);
            if (!o.IsWon)
            {
                tally.Lost++;
                continue;
            }

            tally.Won++;
            tally.WonAmount += amount;
            if (o.Amount is not null)
            {
                tally.Deals++;
                tally.DealSum += amount;
            }

            tally.Cycles.Add(o.CloseDate.DayNumber - Periods.DayOf(o.CreatedDate).DayNumber);
            if (firstWon is not { } f || o.CloseDate < f)
            {
                firstWon = o.CloseDate;
            }
        }

        foreach (var a in data.Activities)
        {
            if (a.OwnerId is not { } owner || !PicklistFilter.Passes(owners, owner))
            {
                continue;
            }

            var day = Periods.DayOf(a);
            if (range is { } r && (day < r.Start || day > r.End))
            {
                continue;
            }

            For(owner).Activities.Add(a);
        }

        // The divisor of the average won amount per period.
        var current = Periods.Index(today, period);
        // Periods after today's cannot hold won deals yet, so a range running into the future counts up to today's.
        var periods = range is { } span
            ? Math.Max(1, Math.Min(Periods.Index(span.End, period), current) - Periods.Index(span.Start, period) + 1)
            : firstWon is { } first ? Math.Max(1, current - Periods.Index(first, period) + 1) : 1;

        var users = new Dictionary<string, UserRecord>(StringComparer.Ordinal);
        foreach (var u in data.Users)
        {
            users.TryAdd(u.Id, u);
        }

        double? QuotaOf(string owner) => query.Quotas is not null && query.Quotas.TryGetValue(owner, out var q) ? q : null;

        var ownerResults = tallies
            .Select(kv =>
            {
                users.TryGetValue(kv.Key, out var user);
                return new OwnerPerformance
                {
                    OwnerId = kv.Key,
                    Name = user?.Name,
                    ManagerId = user?.ManagerId,
                    Metrics = Metrics([(kv.Key, kv.Value)], periods, QuotaOf),
                };
            })
            .OrderByDescending(o => o.Metrics.WonAmount)
            .ThenBy(o => o.OwnerId, StringComparer.Ordinal)
            .ToList();

        // Teams: every user someone reports to, with their direct reports; only members in scope count.
        var teams = new List<TeamPerformance>();
        var reports = data.Users.Where(u => u.ManagerId is not null && u.ManagerId != u.Id).ToLookup(u => u.ManagerId!, StringComparer.Ordinal);
        foreach (var direct in reports)
        {
            var manager = direct.Key;
            var members = new List<string> { manager };
            members.AddRange(direct.Select(u => u.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var inScope = members.Where(tallies.ContainsKey).ToList();
            if (inScope.Count == 0)
            {
                continue;
            }

            users.TryGetValue(manager, out var boss);
            teams.Add(new TeamPerformance
            {
                ManagerId = manager,
                ManagerName = boss?.Name,
                MemberIds = inScope,
                Metrics = Metrics([.. inScope.Select(m => (m, tallies[m]))], periods, QuotaOf),
            });
        }

        teams.Sort(static (a, b) => b.Metrics.WonAmount != a.Metrics.WonAmount
            ? b.Metrics.WonAmount.CompareTo(a.Metrics.WonAmount)
            : string.CompareOrdinal(a.ManagerId, b.ManagerId));
        var total = Metrics([.. tallies.Select(kv => (kv.Key, kv.Value))], periods, QuotaOf);
        return new PerformanceReport
        {
            Start = range?.Start,
            End = range?.End,
            CoveragePeriod = period,
            NextPeriodStart = nextStart,
            NextPeriodEnd = nextEnd,
            PeriodsMeasured = periods,
            Total = total,
            Owners = ownerResults,
            Teams = teams,
        };
    }

    private static PerformanceMetrics Metrics(IReadOnlyList<(string Owner, Tally Tally)> members, int periods, Func<string, double?> quotaOf)
    {
        double won = 0, dealSum = 0, open = 0, nextPeriod = 0, target = 0;
        int wonCount = 0, lost = 0, deals = 0, openCount = 0;
        double? quota = null;
        var cycles = new List<double>();
        var activities = new ActivityCounts
        {
            Total = 0,
            Tasks = 0,
            Events = 0,
            Calls = 0,
            Emails = 0,
            Meetings = 0,
            CompletedTasks = 0,
        };
        foreach (var (owner, t) in members)
        {
            won += t.WonAmount;
            wonCount += t.Won;
            lost += t.Lost;
            deals += t.Deals;
            dealSum += t.DealSum;
            open += t.Open;
            openCount += t.OpenCount;
            nextPeriod += t.NextPeriod;
            cycles.AddRange(t.Cycles);
            var a = t.Activities.ToCounts();
            activities = new ActivityCounts
            {
                Total = activities.Total + a.Total,
                Tasks = activities.Tasks + a.Tasks,
                Events = activities.Events + a.Events,
                Calls = activities.Calls + a.Calls,
                Emails = activities.Emails + a.Emails,
                Meetings = activities.Meetings + a.Meetings,
                CompletedTasks = activities.CompletedTasks + a.CompletedTasks,
            };
            var ownerQuota = quotaOf(owner);
            if (ownerQuota is { } q)
            {
                quota = (quota ?? 0) + q;
            }

            target += ownerQuota ?? (t.WonAmount / periods);
        }

        double? meanCycle = null, medianCycle = null;
        if (cycles.Count > 0)
        {
            meanCycle = cycles.Average();
            var values = cycles.ToArray();
            medianCycle = Quantiles.Median(values);
        }

        return new PerformanceMetrics
        {
            WonAmount = won,
            WonCount = wonCount,
            LostCount = lost,
            WinRate = wonCount + lost == 0 ? null : wonCount / (double)(wonCount + lost),
            AverageDealSize = deals == 0 ? null : dealSum / deals,
            MeanCycleDays = meanCycle,
            MedianCycleDays = medianCycle,
            Activities = activities,
            OpenPipeline = open,
            OpenCount = openCount,
            NextPeriodPipeline = nextPeriod,
            Quota = quota,
            AverageWonPerPeriod = won / periods,
            PipelineCoverage = target > 0 ? nextPeriod / target : null,
        };
    }

    private sealed class Tally
    {
        public double WonAmount { get; set; }

        public int Won { get; set; }

        public int Lost { get; set; }

        public int Deals { get; set; }

        public double DealSum { get; set; }

        public double Open { get; set; }

        public int OpenCount { get; set; }

        public double NextPeriod { get; set; }

        public List<double> Cycles { get; } = [];

        public ActivityTally Activities { get; } = new();
    }
}
