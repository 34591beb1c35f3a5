using Atom.Salesforce.Soql;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>Every relative date literal against the org clock (reference §6.4): the org's "now" is Tuesday 2026-11-24 10:30 UTC.</summary>
public sealed class DateLiteralTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    /// <summary>The first and last day each literal covers when today is Tuesday 2026-11-24 (weeks start on Sunday the 22nd).</summary>
    public static TheoryData<string, string, string> Ranges => new()
    {
        { "YESTERDAY", "2026-11-23", "2026-11-23" },
        { "TODAY", "2026-11-24", "2026-11-24" },
        { "TOMORROW", "2026-11-25", "2026-11-25" },
        { "LAST_WEEK", "2026-11-15", "2026-11-21" },
        { "THIS_WEEK", "2026-11-22", "2026-11-28" },
        { "NEXT_WEEK", "2026-11-29", "2026-12-05" },
        { "LAST_MONTH", "2026-10-01", "2026-10-31" },
        { "THIS_MONTH", "2026-11-01", "2026-11-30" },
        { "NEXT_MONTH", "2026-12-01", "2026-12-31" },
        { "LAST_90_DAYS", "2026-08-26", "2026-11-24" },
        { "NEXT_90_DAYS", "2026-11-25", "2027-02-22" },
        { "LAST_N_DAYS:3", "2026-11-21", "2026-11-24" },
        { "NEXT_N_DAYS:3", "2026-11-25", "2026-11-27" },
        { "N_DAYS_AGO:3", "2026-11-21", "2026-11-21" },
        { "NEXT_N_WEEKS:2", "2026-11-29", "2026-12-12" },
        { "LAST_N_WEEKS:2", "2026-11-08", "2026-11-21" },
        { "N_WEEKS_AGO:2", "2026-11-08", "2026-11-14" },
        { "NEXT_N_MONTHS:2", "2026-12-01", "2027-01-31" },
        { "LAST_N_MONTHS:2", "2026-09-01", "2026-10-31" },
        { "N_MONTHS_AGO:2", "2026-09-01", "2026-09-30" },
        { "THIS_QUARTER", "2026-10-01", "2026-12-31" },
        { "LAST_QUARTER", "2026-07-01", "2026-09-30" },
        { "NEXT_QUARTER", "2027-01-01", "2027-03-31" },
        { "NEXT_N_QUARTERS:2", "2027-01-01", "2027-06-30" },
        { "LAST_N_QUARTERS:2", "2026-04-01", "2026-09-30" },
        { "N_QUARTERS_AGO:2", "2026-04-01", "2026-06-30" },
        { "THIS_YEAR", "2026-01-01", "2026-12-31" },
        { "LAST_YEAR", "2025-01-01", "2025-12-31" },
        { "NEXT_YEAR", "2027-01-01", "2027-12-31" },
        { "NEXT_N_YEARS:2", "2027-01-01", "2028-12-31" },
        { "LAST_N_YEARS:2", "2024-01-01", "2025-12-31" },
        { "N_YEARS_AGO:2", "2024-01-01", "2024-12-31" },
        { "THIS_FISCAL_QUARTER", "2026-10-01", "2026-12-31" },
        { "LAST_FISCAL_QUARTER", "2026-07-01", "2026-09-30" },
        { "NEXT_FISCAL_QUARTER", "2027-01-01", "2027-03-31" },
        { "NEXT_N_FISCAL_QUARTERS:2", "2027-01-01", "2027-06-30" },
        { "LAST_N_FISCAL_QUARTERS:2", "2026-04-01", "2026-09-30" },
        { "N_FISCAL_QUARTERS_AGO:2", "2026-04-01", "2026-06-30" },
        { "THIS_FISCAL_YEAR", "2026-01-01", "2026-12-31" },
        { "LAST_FISCAL_YEAR", "2025-01-01", "2025-12-31" },
        { "NEXT_FISCAL_YEAR", "2027-01-01", "2027-12-31" },
        { "NEXT_N_FISCAL_YEARS:2", "2027-01-01", "2028-12-31" },
        { "LAST_N_FISCAL_YEARS:2", "2024-01-01", "2025-12-31" },
        { "N_FISCAL_YEARS_AGO:2", "2024-01-01", "2024-12-31" },
    };

    [Fact]
    public void The_table_covers_every_date_literal_kind()
    {
        var covered = Ranges.Select(row => SoqlQuery.Parse($"SELECT Id FROM Account WHERE CreatedDate = {row.Data.Item1}").Where)
            .OfType<SoqlComparison>().Select(c => ((SoqlRelativeDate)c.Right).Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<SoqlDateLiteralKind>().ToHashSet(), covered);
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task A_date_literal_covers_its_range_on_date_and_dateTime_fields(string literal, string first, string last)
    {
        var time = new FakeTimeProvider(Now);
        await using var org = QueryTestOrg.Create(time);
        // One record a day, from 2023 to 2029, with a date and a dateTime (at 23:30 UTC, late in the day) field.
        for (var day = new DateOnly(2023, 1, 1); day <= new DateOnly(2029, 12, 31); day = day.AddDays(1))
        {
            org.Seed("Dated__c", ("Name", day.ToString("yyyy-MM-dd")), ("D__c", day), ("T__c", new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 30)), TimeSpan.Zero)));
        }

        var start = DateOnly.Parse(first);
        var end = DateOnly.Parse(last);
        var days = end.DayNumber - start.DayNumber + 1;

        var onDate = await Days(org, $"D__c = {literal}");
        var onDateTime = await Days(org, $"T__c = {literal}");
        var before = await Days(org, $"D__c < {literal}");
        var after = await Days(org, $"T__c > {literal}");
        var atMostEnd = await Days(org, $"D__c <= {literal}");
        var fromStart = await Days(org, $"T__c >= {literal}");
        var outside = await Days(org, $"D__c != {literal}");

        Assert.Equal((start, end, days), (onDate[0], onDate[^1], onDate.Count));
        Assert.Equal(onDate, onDateTime);
        Assert.Equal(start.AddDays(-1), before[^1]);
        Assert.Equal(end.AddDays(1), after[0]);
        Assert.Equal(end, atMostEnd[^1]);
        Assert.Equal(start, fromStart[0]);
        Assert.Equal(before.Count + after.Count, outside.Count);
    }

    private static async Task<List<DateOnly>> Days(Infrastructure.EmulatedOrg org, string where) =>
        [.. (await org.QueryAsync($"SELECT D__c FROM Dated__c WHERE {where} ORDER BY D__c")).Select(r => r.Get<DateOnly>("D__c"))];

    [Fact]
    public async Task Date_functions_work_in_UTC_and_compare_with_numbers()
    {
        await using var org = QueryTestOrg.Create(new FakeTimeProvider(Now));
        org.Seed("Dated__c", ("Name", "a"), ("D__c", new DateOnly(2024, 2, 1)), ("T__c", new DateTimeOffset(2024, 2, 3, 23, 15, 0, TimeSpan.Zero)));
        org.Seed("Dated__c", ("Name", "b"), ("D__c", new DateOnly(2025, 12, 31)), ("T__c", new DateTimeOffset(2025, 7, 6, 1, 0, 0, TimeSpan.Zero)));

        Assert.Equal(["a"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE CALENDAR_YEAR(D__c) = 2024"));
        Assert.Equal(["a"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE DAY_IN_YEAR(D__c) = 32"));
        Assert.Equal(["b"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE CALENDAR_QUARTER(D__c) = 4 AND FISCAL_YEAR(D__c) = 2025"));
        Assert.Equal(["a"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE HOUR_IN_DAY(convertTimezone(T__c)) = 23"));
        Assert.Equal(["b"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE DAY_IN_WEEK(T__c) = 1"));
        Assert.Equal(["a"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE DAY_ONLY(T__c) = 2024-02-03"));
        Assert.Equal(["a"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE WEEK_IN_MONTH(D__c) = 1 AND CALENDAR_MONTH(D__c) = 2"));
        Assert.Equal(["b"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE WEEK_IN_YEAR(D__c) = 53 AND DAY_IN_MONTH(D__c) = 31"));
        Assert.Equal(["b"], await org.NamesAsync("SELECT Name FROM Dated__c WHERE T__c > 2025-01-01T00:00:00Z AND D__c >= 2025-12-31"));
    }

    [Fact]
    public async Task The_org_clock_decides_what_TODAY_is()
    {
        var time = new FakeTimeProvider(Now);
        await using var org = QueryTestOrg.Create(time);
        org.Seed("Dated__c", ("Name", "today"), ("D__c", new DateOnly(2026, 11, 24)));

        var before = await org.NamesAsync("SELECT Name FROM Dated__c WHERE D__c = TODAY");
        time.Advance(TimeSpan.FromDays(1));
        var after = await org.NamesAsync("SELECT Name FROM Dated__c WHERE D__c = YESTERDAY");

        Assert.Equal(["today"], before);
        Assert.Equal(["today"], after);
    }
}
