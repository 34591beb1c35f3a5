using System.Text;
using SoqlText = Atom.Salesforce.Client.Soql.Soql;

namespace Atom.Salesforce.Client.Analytics.Pipeline;

public partial class PipelineAnalytics
{
    /// <summary>
    /// The open pipeline's grouped totals (deals, amount, weighted amount per <see cref="PipelineQuery.GroupBy"/> group, and
    /// optionally per close month, quarter or year) computed in the org with one aggregate SOQL query (GROUP BY), instead of
    /// streaming every record: one API call whatever the org's size. The query's filters (close dates, owners, lead sources,
    /// stages) become its WHERE clause, every value written as an escaped SOQL literal.
    /// </summary>
    /// <remarks>
    /// The weighted amount is <c>SUM(ExpectedRevenue)</c>: Salesforce computes ExpectedRevenue per deal as
    /// Amount × Probability ÷ 100 rounded to cents, so the sum can differ from <see cref="Analyze"/>'s unrounded one by at most
    /// half a cent per deal. Stage groups come in the org's picklist order (ORDER BY StageName), periods in time order, other
    /// groups largest amount first, as in <see cref="Analyze"/>. Salesforce returns the groups of an aggregate query in one
    /// response and refuses queries with more than 2,000 groups; split by owner and month on a large org, narrow the close dates.
    /// </remarks>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Scope and grouping; null for the whole open pipeline by stage. Thresholds and bins are not used.</param>
    /// <param name="byPeriod">Also split each group by close month, quarter or year (keyed <c>yyyy-MM</c>, <c>yyyy-Qn</c>,
    /// <c>yyyy</c>); null for totals only.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentException">The query groups by a close period and <paramref name="byPeriod"/> is set too.</exception>
    public virtual async Task<PipelineSummary> SummarizeAsync(
        SalesforceClient client, PipelineQuery? query = null, CalendarPeriod? byPeriod = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        Validate(query);
        query ??= new PipelineQuery();
        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
        (DateOnly Start, DateOnly End)? range = query.CloseDate?.Resolve(today);
        var soql = SummaryQuery(query, byPeriod, range);

        var dimensionIsPeriod = query.GroupBy is PipelineDimension.CloseMonth or PipelineDimension.CloseQuarter;
        var rows = new List<(string? Key, int KeyOrder, string? Period, int PeriodOrder, PipelineGroup Totals)>();
        await foreach (var row in client.Query.QueryAsync<SummaryRow>(soql, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var keyOrder = 0;
            var periodOrder = 0;
            var key = dimensionIsPeriod ? PeriodOf(query.GroupBy == PipelineDimension.CloseQuarter ? CalendarPeriod.Quarter : CalendarPeriod.Month, row.KeyYear, row.KeyNumber, out keyOrder) : row.GroupKey;
            var period = byPeriod is { } p ? PeriodOf(p, row.PeriodYear, row.PeriodNumber, out periodOrder) : null;
            rows.Add((key, keyOrder, period, periodOrder, new PipelineGroup
            {
                Key = key,
                Count = row.Deals,
                Amount = row.TotalAmount ?? 0,
                WeightedAmount = row.WeightedAmount ?? 0,
            }));
        }

        // Totals per group, in the order the groups first come (stage order from the query), then each period's groups.
        var totals = new List<(string? Key, int KeyOrder, PipelineGroup Group)>();
        foreach (var row in rows)
        {
            var at = totals.FindIndex(t => t.Key == row.Key);
            if (at < 0)
            {
                totals.Add((row.Key, row.KeyOrder, row.Totals));
            }
            else
            {
                var g = totals[at].Group;
                totals[at] = (row.Key, row.KeyOrder, new PipelineGroup
                {
                    Key = row.Key,
                    Count = g.Count + row.Totals.Count,
                    Amount = g.Amount + row.Totals.Amount,
                    WeightedAmount = g.WeightedAmount + row.Totals.WeightedAmount,
                });
            }
        }

        var groups = Order(query.GroupBy, totals.Select(t => (t.KeyOrder, t.Group)).ToList());
        var periods = rows.Where(r => r.Period is not null)
            .GroupBy(r => (r.PeriodOrder, r.Period))
            .OrderBy(g => g.Key.PeriodOrder)
            .Select(g => new PipelinePeriodGroups
            {
                Period = g.Key.Period!,
                Groups = Order(query.GroupBy, [.. g.Select(r => (r.KeyOrder, r.Totals))]),
            })
            .ToList();
        return new PipelineSummary
        {
            Start = range?.Start,
            End = range?.End,
            OpenCount = groups.Sum(g => g.Count),
            OpenAmount = groups.Sum(g => g.Amount),
            WeightedAmount = groups.Sum(g => g.WeightedAmount),
            Groups = groups,
            Periods = periods,
        };
    }

    /// <summary>The aggregate SOQL that <see cref="SummarizeAsync"/> sends for <paramref name="query"/>.</summary>
    internal static string SummaryQuery(PipelineQuery query, CalendarPeriod? byPeriod, (DateOnly Start, DateOnly End)? range)
    {
        if (byPeriod is { } period && !Enum.IsDefined(period))
        {
            throw new ArgumentOutOfRangeException(nameof(byPeriod), period, "Unknown period.");
        }

        if (byPeriod is not null && query.GroupBy is PipelineDimension.CloseMonth or PipelineDimension.CloseQuarter)
        {
            throw new ArgumentException("The query already groups by a close period; leave byPeriod null.", nameof(byPeriod));
        }

        // Group expressions and their aliases; the names are fixed text, never input.
        var select = new List<string>();
        var groupBy = new List<string>();
        var orderBy = new List<string>();
        void Group(string expression, string alias, bool order)
        {
            select.Add($"{expression} {alias}");
            groupBy.Add(expression);
            if (order)
            {
                orderBy.Add(expression);
            }
        }

        switch (query.GroupBy)
        {
            case PipelineDimension.Stage: Group("StageName", "GroupKey", order: true); break;
            case PipelineDimension.Owner: Group("OwnerId", "GroupKey", order: false); break;
            case PipelineDimension.LeadSource: Group("LeadSource", "GroupKey", order: false); break;
            case PipelineDimension.Type: Group("Type", "GroupKey", order: false); break;
            case PipelineDimension.ForecastCategory: Group("ForecastCategoryName", "GroupKey", order: false); break;
            case PipelineDimension.CloseMonth:
                Group("CALENDAR_YEAR(CloseDate)", "KeyYear", order: false);
                Group("CALENDAR_MONTH(CloseDate)", "KeyNumber", order: false);
                break;
            default:
                Group("CALENDAR_YEAR(CloseDate)", "KeyYear", order: false);
                Group("CALENDAR_QUARTER(CloseDate)", "KeyNumber", order: false);
                break;
        }

        if (byPeriod is not null)
        {
            // A year needs only its number; a month or quarter, its number within the year too.
            Group("CALENDAR_YEAR(CloseDate)", "PeriodYear", order: false);
            if (byPeriod != CalendarPeriod.Year)
            {
                Group(byPeriod == CalendarPeriod.Quarter ? "CALENDAR_QUARTER(CloseDate)" : "CALENDAR_MONTH(CloseDate)", "PeriodNumber", order: false);
            }
        }

        var where = new List<string> { "IsClosed = false" };
        if (range is { } r)
        {
            where.Add(SoqlText.Format($"CloseDate >= {r.Start} AND CloseDate <= {r.End}"));
        }

        if (query.Owners is { Count: > 0 } owners)
        {
            where.Add(SoqlText.Format($"OwnerId IN {owners}"));
        }

        if (query.LeadSources is { Count: > 0 } sources)
        {
            where.Add(SoqlText.Format($"LeadSource IN {sources}"));
        }

        if (query.Stages is { Count: > 0 } stages)
        {
            where.Add(SoqlText.Format($"StageName IN {stages}"));
        }

        var soql = new StringBuilder("SELECT ")
            .AppendJoin(", ", select)
            .Append(", COUNT(Id) Deals, SUM(Amount) TotalAmount, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity WHERE ")
            .AppendJoin(" AND ", where)
            .Append(" GROUP BY ")
            .AppendJoin(", ", groupBy);
        if (orderBy.Count > 0)
        {
            soql.Append(" ORDER BY ").AppendJoin(", ", orderBy);
        }

        return soql.ToString();
    }

    private static string? PeriodOf(CalendarPeriod period, int? year, int? number, out int order)
    {
        // A year comes without a number within it.
        if (year is not { } y || (period != CalendarPeriod.Year && number is null))
        {
            order = int.MaxValue;
            return null;
        }

        var firstMonth = period switch
        {
            CalendarPeriod.Month => number!.Value,
            CalendarPeriod.Quarter => ((number!.Value - 1) * 3) + 1,
            _ => 1,
        };
        order = Periods.Index(new DateOnly(y, firstMonth, 1), period);
        return Periods.Key(order, period);
    }

    private static List<PipelineGroup> Order(PipelineDimension dimension, List<(int KeyOrder, PipelineGroup Group)> groups) => dimension switch
    {
        PipelineDimension.Stage => [.. groups.Select(g => g.Group)],
        PipelineDimension.CloseMonth or PipelineDimension.CloseQuarter => [.. groups.OrderBy(g => g.KeyOrder).Select(g => g.Group)],
        _ => [.. groups.Select(g => g.Group).OrderByDescending(g => g.Amount).ThenBy(g => g.Key, StringComparer.Ordinal)],
    };

    /// <summary>One AggregateResult row of the summary query, named by the query's aliases.</summary>
    internal sealed class SummaryRow
    {
        public string? GroupKey { get; set; }

        public int? KeyYear { get; set; }

        public int? KeyNumber { get; set; }

        public int? PeriodYear { get; set; }

        public int? PeriodNumber { get; set; }

        public int Deals { get; set; }

        public double? TotalAmount { get; set; }

        public double? WeightedAmount { get; set; }
    }
}
