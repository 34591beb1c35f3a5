using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>
/// The aggregate SOQL behind <see cref="AccountAnalytics.GrowthAsync"/>: won revenue and deal count per calendar period,
/// grouped by the org (<c>GROUP BY CALENDAR_YEAR(CloseDate), CALENDAR_QUARTER(CloseDate)</c>), with the account filters
/// applied through the Account relationship.
/// </summary>
internal static class RevenueGrowthQuery
{
    public static string Soql(AccountQuery query, DateOnly? from, DateOnly? to)
    {
        var (select, groupBy) = query.GrowthPeriod switch
        {
            CalendarPeriod.Month => ("CALENDAR_YEAR(CloseDate) y, CALENDAR_MONTH(CloseDate) p", "CALENDAR_YEAR(CloseDate), CALENDAR_MONTH(CloseDate)"),
            CalendarPeriod.Quarter => ("CALENDAR_YEAR(CloseDate) y, CALENDAR_QUARTER(CloseDate) p", "CALENDAR_YEAR(CloseDate), CALENDAR_QUARTER(CloseDate)"),
            _ => ("CALENDAR_YEAR(CloseDate) y", "CALENDAR_YEAR(CloseDate)"),
        };
        var where = new List<string> { "IsWon = true", "AccountId != null" };
        if (from is { } start)
        {
            where.Add(Client.Soql.Soql.Format($"CloseDate >= {start}"));
        }

        if (to is { } end)
        {
            where.Add(Client.Soql.Soql.Format($"CloseDate <= {end}"));
        }

        if (query.Owners is { Count: > 0 } owners)
        {
            where.Add(Client.Soql.Soql.Format($"Account.OwnerId IN {owners}"));
        }

        if (query.Industries is { Count: > 0 } industries)
        {
            where.Add(Client.Soql.Soql.Format($"Account.Industry IN {industries}"));
        }

        if (query.Types is { Count: > 0 } types)
        {
            where.Add(Client.Soql.Soql.Format($"Account.Type IN {types}"));
        }

        return $"SELECT {select}, SUM(Amount) amount, COUNT(Id) n FROM Opportunity WHERE {string.Join(" AND ", where)} GROUP BY {groupBy}";
    }

    /// <summary>The period index of a row (see <see cref="Periods.Index"/>).</summary>
    public static int Index(Row row, CalendarPeriod period) => period switch
    {
        CalendarPeriod.Month => (row.Year * 12) + row.Period - 1,
        CalendarPeriod.Quarter => (row.Year * 4) + row.Period - 1,
        _ => row.Year,
    };

    /// <summary>One AggregateResult row.</summary>
    internal sealed class Row
    {
        [JsonPropertyName("y")]
        public int Year { get; init; }

        [JsonPropertyName("p")]
        public int Period { get; init; }

        [JsonPropertyName("amount")]
        public double? Amount { get; init; }

        [JsonPropertyName("n")]
        public int Count { get; init; }
    }
}
