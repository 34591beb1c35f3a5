using System.Globalization;
using Atom.Salesforce.Soql;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// Relative date literals as day ranges on the org clock (reference §6.4), and the date functions of §6.6. Days are UTC
/// days (the org's users are on GMT), weeks start on Sunday (en_US), and the fiscal year is the calendar year.
/// </summary>
internal static class DateFunctions
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "CALENDAR_MONTH", "CALENDAR_QUARTER", "CALENDAR_YEAR", "DAY_IN_MONTH", "DAY_IN_WEEK", "DAY_IN_YEAR", "DAY_ONLY",
        "FISCAL_MONTH", "FISCAL_QUARTER", "FISCAL_YEAR", "HOUR_IN_DAY", "WEEK_IN_MONTH", "WEEK_IN_YEAR",
    };

    public static bool IsDateFunction(string name) => Names.Contains(name);

    /// <summary>DAY_ONLY and HOUR_IN_DAY need a dateTime; the others take a date or a dateTime.</summary>
    public static bool NeedsDateTime(string name) =>
        name.Equals("DAY_ONLY", StringComparison.OrdinalIgnoreCase) || name.Equals("HOUR_IN_DAY", StringComparison.OrdinalIgnoreCase);

    /// <summary>The function's value for a stored date or dateTime: a number, or a date for DAY_ONLY.</summary>
    public static object? Apply(string name, object? value)
    {
        DateTime moment;
        switch (value)
        {
            case DateOnly d:
                moment = d.ToDateTime(TimeOnly.MinValue);
                break;
            case DateTimeOffset dt:
                moment = dt.UtcDateTime;
                break;
            default:
                return null;
        }

        return name.ToUpperInvariant() switch
        {
            "CALENDAR_MONTH" or "FISCAL_MONTH" => moment.Month,
            "CALENDAR_QUARTER" or "FISCAL_QUARTER" => ((moment.Month - 1) / 3) + 1,
            "CALENDAR_YEAR" or "FISCAL_YEAR" => moment.Year,
            "DAY_IN_MONTH" => moment.Day,
            "DAY_IN_WEEK" => (int)moment.DayOfWeek + 1,
            "DAY_IN_YEAR" => moment.DayOfYear,
            "DAY_ONLY" => DateOnly.FromDateTime(moment),
            "HOUR_IN_DAY" => moment.Hour,
            "WEEK_IN_MONTH" => ((moment.Day - 1) / 7) + 1,
            "WEEK_IN_YEAR" => ((moment.DayOfYear - 1) / 7) + 1,
            _ => (object?)null,
        } switch
        {
            int n => (decimal)n,
            var other => other,
        };
    }

    /// <summary>The days a relative date literal covers: [start, end).</summary>
    public static (DateOnly Start, DateOnly End) Range(SoqlRelativeDate literal, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var n = literal.Count ?? 0;
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return literal.Kind switch
        {
            SoqlDateLiteralKind.Yesterday => (today.AddDays(-1), today),
            SoqlDateLiteralKind.Today => (today, today.AddDays(1)),
            SoqlDateLiteralKind.Tomorrow => (today.AddDays(1), today.AddDays(2)),
            SoqlDateLiteralKind.LastWeek => (week.AddDays(-7), week),
            SoqlDateLiteralKind.ThisWeek => (week, week.AddDays(7)),
            SoqlDateLiteralKind.NextWeek => (week.AddDays(7), week.AddDays(14)),
            SoqlDateLiteralKind.LastMonth => (month.AddMonths(-1), month),
            SoqlDateLiteralKind.ThisMonth => (month, month.AddMonths(1)),
            SoqlDateLiteralKind.NextMonth => (month.AddMonths(1), month.AddMonths(2)),
            SoqlDateLiteralKind.Last90Days => (today.AddDays(-90), today.AddDays(1)),
            SoqlDateLiteralKind.Next90Days => (today.AddDays(1), today.AddDays(91)),
            SoqlDateLiteralKind.LastNDays => (today.AddDays(-n), today.AddDays(1)),
            SoqlDateLiteralKind.NextNDays => (today.AddDays(1), today.AddDays(1 + n)),
            SoqlDateLiteralKind.NDaysAgo => (today.AddDays(-n), today.AddDays(1 - n)),
            SoqlDateLiteralKind.NextNWeeks => (week.AddDays(7), week.AddDays(7 + (7 * n))),
            SoqlDateLiteralKind.LastNWeeks => (week.AddDays(-7 * n), week),
            SoqlDateLiteralKind.NWeeksAgo => (week.AddDays(-7 * n), week.AddDays(7 - (7 * n))),
            SoqlDateLiteralKind.NextNMonths => (month.AddMonths(1), month.AddMonths(1 + n)),
            SoqlDateLiteralKind.LastNMonths => (month.AddMonths(-n), month),
            SoqlDateLiteralKind.NMonthsAgo => (month.AddMonths(-n), month.AddMonths(1 - n)),
            SoqlDateLiteralKind.ThisQuarter or SoqlDateLiteralKind.ThisFiscalQuarter => (quarter, quarter.AddMonths(3)),
            SoqlDateLiteralKind.LastQuarter or SoqlDateLiteralKind.LastFiscalQuarter => (quarter.AddMonths(-3), quarter),
            SoqlDateLiteralKind.NextQuarter or SoqlDateLiteralKind.NextFiscalQuarter => (quarter.AddMonths(3), quarter.AddMonths(6)),
            SoqlDateLiteralKind.NextNQuarters or SoqlDateLiteralKind.NextNFiscalQuarters => (quarter.AddMonths(3), quarter.AddMonths(3 + (3 * n))),
            SoqlDateLiteralKind.LastNQuarters or SoqlDateLiteralKind.LastNFiscalQuarters => (quarter.AddMonths(-3 * n), quarter),
            SoqlDateLiteralKind.NQuartersAgo or SoqlDateLiteralKind.NFiscalQuartersAgo => (quarter.AddMonths(-3 * n), quarter.AddMonths(3 - (3 * n))),
            SoqlDateLiteralKind.ThisYear or SoqlDateLiteralKind.ThisFiscalYear => (year, year.AddYears(1)),
            SoqlDateLiteralKind.LastYear or SoqlDateLiteralKind.LastFiscalYear => (year.AddYears(-1), year),
            SoqlDateLiteralKind.NextYear or SoqlDateLiteralKind.NextFiscalYear => (year.AddYears(1), year.AddYears(2)),
            SoqlDateLiteralKind.NextNYears or SoqlDateLiteralKind.NextNFiscalYears => (year.AddYears(1), year.AddYears(1 + n)),
            SoqlDateLiteralKind.LastNYears or SoqlDateLiteralKind.LastNFiscalYears => (year.AddYears(-n), year),
            SoqlDateLiteralKind.NYearsAgo or SoqlDateLiteralKind.NFiscalYearsAgo => (year.AddYears(-n), year.AddYears(1 - n)),
            _ => throw QueryErrors.Malformed($"unexpected date literal: {literal}"),
        };
    }

    /// <summary>FORMAT(): the en_US rendering of a value (<c>$44,000.00</c>, <c>4/10/2025, 3:31 PM</c>).</summary>
    public static object? Format(object? value, FieldDefinition? field)
    {
        var us = CultureInfo.GetCultureInfo("en-US");
        return value switch
        {
            decimal d when field?.Type == FieldType.Currency => d.ToString("C" + field.Scale.ToString(CultureInfo.InvariantCulture), us),
            decimal d when field?.Type == FieldType.Percent => d.ToString("N" + field.Scale.ToString(CultureInfo.InvariantCulture), us) + "%",
            decimal d when field?.Type == FieldType.Double => d.ToString("N" + field.Scale.ToString(CultureInfo.InvariantCulture), us),
            decimal d => d.ToString("#,##0.##########", us),
            DateOnly d => d.ToString("M/d/yyyy", us),
            DateTimeOffset dt => dt.UtcDateTime.ToString("M/d/yyyy, h:mm tt", us),
            TimeOnly t => t.ToString("h:mm tt", us),
            bool b => b ? "true" : "false",
            _ => value,
        };
    }
}
