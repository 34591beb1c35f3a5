using System.Globalization;

namespace Atom.Salesforce.Client.Analytics;

/// <summary>A calendar period that amounts are bucketed by: month, quarter or year (calendar, not fiscal).</summary>
public enum CalendarPeriod
{
    /// <summary>A calendar month, keyed <c>yyyy-MM</c>.</summary>
    Month,

    /// <summary>A calendar quarter, keyed <c>yyyy-Qn</c>.</summary>
    Quarter,

    /// <summary>A calendar year, keyed <c>yyyy</c>.</summary>
    Year,
}

/// <summary>Period arithmetic shared by the account and performance analytics.</summary>
internal static class Periods
{
    /// <summary>A number that grows by one per period: months since year 0, quarters since year 0, or the year.</summary>
    public static int Index(DateOnly day, CalendarPeriod period) => period switch
    {
        CalendarPeriod.Month => (day.Year * 12) + day.Month - 1,
        CalendarPeriod.Quarter => (day.Year * 4) + ((day.Month - 1) / 3),
        _ => day.Year,
    };

    /// <summary>How many periods make a year: the offset of the same period a year earlier.</summary>
    public static int PerYear(CalendarPeriod period) => period switch
    {
        CalendarPeriod.Month => 12,
        CalendarPeriod.Quarter => 4,
        _ => 1,
    };

    /// <summary>The first day of the period with index <paramref name="index"/>.</summary>
    public static DateOnly Start(int index, CalendarPeriod period) => period switch
    {
        CalendarPeriod.Month => new DateOnly(index / 12, (index % 12) + 1, 1),
        CalendarPeriod.Quarter => new DateOnly(index / 4, ((index % 4) * 3) + 1, 1),
        _ => new DateOnly(index, 1, 1),
    };

    /// <summary>The last day of the period with index <paramref name="index"/>.</summary>
    public static DateOnly End(int index, CalendarPeriod period) => Start(index + 1, period).AddDays(-1);

    /// <summary>The period's key: <c>2026-03</c>, <c>2026-Q1</c> or <c>2026</c>.</summary>
    public static string Key(int index, CalendarPeriod period) => period switch
    {
        CalendarPeriod.Month => string.Create(CultureInfo.InvariantCulture, $"{index / 12:D4}-{(index % 12) + 1:D2}"),
        CalendarPeriod.Quarter => string.Create(CultureInfo.InvariantCulture, $"{index / 4:D4}-Q{(index % 4) + 1}"),
        _ => index.ToString("D4", CultureInfo.InvariantCulture),
    };

    /// <summary>The UTC day an activity happened on: its ActivityDate, else the day it was created.</summary>
    public static DateOnly DayOf(Data.ActivityRecord activity) =>
        activity.ActivityDate ?? DateOnly.FromDateTime(activity.CreatedDate.UtcDateTime);

    /// <summary>The UTC day of a timestamp.</summary>
    public static DateOnly DayOf(DateTimeOffset moment) => DateOnly.FromDateTime(moment.UtcDateTime);

    /// <summary>Today (UTC) by <paramref name="timeProvider"/>.</summary>
    public static DateOnly Today(TimeProvider timeProvider) => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
}
