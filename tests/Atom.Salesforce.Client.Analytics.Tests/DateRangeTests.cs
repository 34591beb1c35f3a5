using Atom.Salesforce.Client.Analytics.Tests.Pipeline;

namespace Atom.Salesforce.Client.Analytics.Tests;

public sealed class DateRangeTests
{
    // Today is Tuesday 2026-06-30 (PipelineSample.Now); weeks start on Sunday 06-28.
    [Theory]
    [InlineData("TODAY", "2026-06-30", "2026-06-30")]
    [InlineData("yesterday", "2026-06-29", "2026-06-29")]
    [InlineData("TOMORROW", "2026-07-01", "2026-07-01")]
    [InlineData("THIS_WEEK", "2026-06-28", "2026-07-04")]
    [InlineData("LAST_WEEK", "2026-06-21", "2026-06-27")]
    [InlineData("THIS_MONTH", "2026-06-01", "2026-06-30")]
    [InlineData("NEXT_MONTH", "2026-07-01", "2026-07-31")]
    [InlineData("this_quarter", "2026-04-01", "2026-06-30")]
    [InlineData("LAST_QUARTER", "2026-01-01", "2026-03-31")]
    [InlineData("NEXT_QUARTER", "2026-07-01", "2026-09-30")]
    [InlineData("LAST_YEAR", "2025-01-01", "2025-12-31")]
    [InlineData("THIS_YEAR", "2026-01-01", "2026-12-31")]
    // LAST_N_DAYS includes today: 06-30 minus 90 days is 04-01 (30 days back to 05-31, 31 to 04-30, 29 more to 04-01).
    [InlineData("LAST_N_DAYS:90", "2026-04-01", "2026-06-30")]
    [InlineData("LAST_90_DAYS", "2026-04-01", "2026-06-30")]
    [InlineData("last_30_days", "2026-05-31", "2026-06-30")]
    [InlineData("NEXT_N_DAYS:7", "2026-07-01", "2026-07-07")]
    [InlineData("N_DAYS_AGO:3", "2026-06-27", "2026-06-27")]
    // The other LAST_N_ and NEXT_N_ forms leave out the current unit.
    [InlineData("LAST_N_MONTHS:2", "2026-04-01", "2026-05-31")]
    [InlineData("NEXT_N_QUARTERS:2", "2026-07-01", "2026-12-31")]
    [InlineData("LAST_N_WEEKS:1", "2026-06-21", "2026-06-27")]
    [InlineData("N_YEARS_AGO:2", "2024-01-01", "2024-12-31")]
    public void Relative_names_resolve_against_the_clock(string literal, string start, string end)
    {
        var range = DateRange.Relative(literal);

        var (from, to) = range.Resolve(PipelineSample.Clock());

        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), from);
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), to);
        Assert.Equal(literal, range.Literal);
    }

    [Fact]
    public void A_fixed_range_ignores_the_clock()
    {
        var range = DateRange.Between(new(2026, 1, 1), new(2026, 1, 31));

        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31)), range.Resolve(PipelineSample.Clock()));
        Assert.Null(range.Literal);
        Assert.Equal("2026-01-01..2026-01-31", range.ToString());
    }

    // Fiscal literals, today Tuesday 2026-06-30. A fiscal year starting in month m starts on the first of m in the calendar
    // year when today's month is m or later, else in the year before; fiscal quarters are 3-month blocks from there.
    [Theory]
    // January (Salesforce's default): the same as the calendar.
    [InlineData("THIS_FISCAL_QUARTER", 1, "2026-04-01", "2026-06-30")]
    [InlineData("THIS_FISCAL_YEAR", 1, "2026-01-01", "2026-12-31")]
    [InlineData("last_fiscal_year", 1, "2025-01-01", "2025-12-31")]
    // February: FY 2026-02-01..2027-01-31; June is its 5th month (index 4), so Q2 = 05-01..07-31.
    [InlineData("THIS_FISCAL_QUARTER", 2, "2026-05-01", "2026-07-31")]
    [InlineData("LAST_FISCAL_QUARTER", 2, "2026-02-01", "2026-04-30")]
    [InlineData("NEXT_FISCAL_QUARTER", 2, "2026-08-01", "2026-10-31")]
    [InlineData("N_FISCAL_QUARTERS_AGO:1", 2, "2026-02-01", "2026-04-30")]
    [InlineData("THIS_FISCAL_YEAR", 2, "2026-02-01", "2027-01-31")]
    // April: FY 2026-04-01..2027-03-31; last one 2025-04-01..2026-03-31; next 2027-04-01..2028-03-31.
    [InlineData("LAST_FISCAL_YEAR", 4, "2025-04-01", "2026-03-31")]
    [InlineData("NEXT_FISCAL_YEAR", 4, "2027-04-01", "2028-03-31")]
    [InlineData("THIS_FISCAL_QUARTER", 4, "2026-04-01", "2026-06-30")]
    // July: June is the last month of FY 2025-07-01..2026-06-30. The N forms leave out the current unit.
    [InlineData("THIS_FISCAL_YEAR", 7, "2025-07-01", "2026-06-30")]
    [InlineData("LAST_N_FISCAL_YEARS:2", 7, "2023-07-01", "2025-06-30")]
    [InlineData("NEXT_N_FISCAL_YEARS:1", 7, "2026-07-01", "2027-06-30")]
    [InlineData("N_FISCAL_YEARS_AGO:1", 7, "2024-07-01", "2025-06-30")]
    // October: FY 2025-10-01..2026-09-30; June is month index 8, Q3 = 04-01..06-30.
    [InlineData("NEXT_N_FISCAL_QUARTERS:2", 10, "2026-07-01", "2026-12-31")]
    [InlineData("LAST_N_FISCAL_QUARTERS:3", 10, "2025-07-01", "2026-03-31")]
    public void Fiscal_names_follow_the_fiscal_year_start_month(string literal, int startMonth, string start, string end)
    {
        var range = DateRange.Relative(literal, startMonth);

        var (from, to) = range.Resolve(PipelineSample.Clock());

        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), from);
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), to);
        Assert.Equal(startMonth, range.FiscalYearStartMonth);
    }

    [Fact]
    public void Fiscal_names_without_a_start_month_use_January()
    {
        Assert.Equal((new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30)), DateRange.Relative("THIS_FISCAL_QUARTER").Resolve(PipelineSample.Clock()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void A_fiscal_start_month_outside_1_to_12_is_refused(int month)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DateRange.Relative("THIS_FISCAL_YEAR", month));
    }

    [Theory]
    [InlineData("THIS_FISCAL_MONTH")]
    [InlineData("LAST_FISCAL_QUARTERS")]
    [InlineData("NEXT_N_FISCAL_QUARTER:2")]
    [InlineData("FISCAL_YEAR")]
    [InlineData("THIS_FISCAL_FISCAL_YEAR")]
    [InlineData("LAST_N_DAYS")]
    [InlineData("LAST_N_DAYS:x")]
    [InlineData("THIS_DECADE")]
    [InlineData("NEXT_N_DAY:3")]
    [InlineData("sometime")]
    public void Unknown_names_are_refused(string literal)
    {
        Assert.Throws<ArgumentException>(() => DateRange.Relative(literal));
    }

    [Fact]
    public void A_range_ending_before_it_starts_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DateRange.Between(new(2026, 2, 1), new(2026, 1, 1)));
    }

    [Theory]
    [InlineData("LAST_N_DAYS:99999999")]
    [InlineData("N_DAYS_AGO:2147483647")]
    [InlineData("NEXT_N_FISCAL_QUARTERS:2147483647")]
    [InlineData("N_YEARS_AGO:1001")]
    [InlineData("NEXT_N_MONTHS:12001")]
    [InlineData("LAST_N_WEEKS:52001")]
    [InlineData("LAST_365001_DAYS")]
    public void An_n_reaching_more_than_1000_years_is_refused_as_an_argument_exception(string literal)
    {
        // ArgumentException itself (Assert.Throws is exact), with the bound in words: not an ArgumentOutOfRangeException
        // from date arithmetic when the range is resolved.
        var refused = Assert.Throws<ArgumentException>(() => DateRange.Relative(literal));
        Assert.Contains("1,000 years", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_n_resolves_and_a_range_leaving_the_calendar_is_an_argument_exception()
    {
        var today = new DateOnly(2026, 6, 30);
        Assert.Equal(new DateOnly(1026, 1, 1), DateRange.Relative("N_YEARS_AGO:1000").Resolve(today).Start);
        Assert.Equal(today.AddDays(-365_000), DateRange.Relative("LAST_N_DAYS:365000").Resolve(today).Start);
        Assert.Equal(new DateOnly(3026, 6, 30), DateRange.Relative("NEXT_N_FISCAL_QUARTERS:4000").Resolve(today).End);

        var refused = Assert.Throws<ArgumentException>(() => DateRange.Relative("N_YEARS_AGO:1000").Resolve(new DateOnly(500, 1, 1)));
        Assert.Contains("outside the calendar", refused.Message, StringComparison.Ordinal);
    }
}

