using System.Globalization;

namespace Atom.Salesforce.Client.Analytics;

/// <summary>
/// A range of days, both ends included: fixed (<see cref="Between"/>) or relative to today (<see cref="Relative(string)"/>, the SOQL
/// date literals such as <c>THIS_QUARTER</c>, <c>LAST_N_DAYS:90</c> or <c>last_30_days</c>), resolved against a
/// <see cref="TimeProvider"/> when used. Days are UTC days; weeks start on Sunday; quarters are calendar quarters. The fiscal
/// literals (<c>THIS_FISCAL_QUARTER</c>, <c>LAST_FISCAL_YEAR</c>, <c>NEXT_N_FISCAL_QUARTERS:2</c>, ...) follow a standard fiscal
/// year that starts on the first day of a given month (January, Salesforce's default, unless told otherwise); fiscal quarters
/// are three-month blocks from that month.
/// </summary>
public sealed class DateRange
{
    private enum Unit
    {
        Day,
        Week,
        Month,
        Quarter,
        Year,
        FiscalQuarter,
        FiscalYear,
    }

    private enum Kind
    {
        This,
        Last,
        Next,
        LastN,
        NextN,
        Ago,
    }

    private readonly DateOnly _start;
    private readonly DateOnly _end;
    private readonly Unit _unit;
    private readonly Kind _kind;
    private readonly int _n;
    private readonly int _fiscalStartMonth = 1;

    private DateRange(DateOnly start, DateOnly end)
    {
        _start = start;
        _end = end;
    }

    private DateRange(string literal, Unit unit, Kind kind, int n, int fiscalStartMonth)
    {
        Literal = literal;
        _unit = unit;
        _kind = kind;
        _n = n;
        _fiscalStartMonth = fiscalStartMonth;
    }

    /// <summary>The relative name it was made from; null for a fixed range.</summary>
    public string? Literal { get; }

    /// <summary>The month (1–12) the fiscal year starts in, for fiscal literals; 1 (January) unless given.</summary>
    public int FiscalYearStartMonth => _fiscalStartMonth;

    /// <summary>A fixed range from <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public static DateRange Between(DateOnly start, DateOnly end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        return new DateRange(start, end);
    }

    /// <summary>
    /// A range relative to today, named by a SOQL date literal, case-insensitive: <c>TODAY</c>, <c>YESTERDAY</c>,
    /// <c>TOMORROW</c>; <c>THIS_</c>, <c>LAST_</c>, <c>NEXT_</c> + <c>WEEK</c>, <c>MONTH</c>, <c>QUARTER</c> or <c>YEAR</c>;
    /// <c>LAST_90_DAYS</c>, <c>NEXT_90_DAYS</c> (and any <c>LAST_n_DAYS</c>, <c>NEXT_n_DAYS</c>); <c>LAST_N_</c>,
    /// <c>NEXT_N_</c> + <c>DAYS</c>, <c>WEEKS</c>, <c>MONTHS</c>, <c>QUARTERS</c> or <c>YEARS</c> + <c>:n</c>; <c>N_DAYS_AGO:n</c>
    /// and the like; and the fiscal forms <c>THIS_FISCAL_QUARTER</c>, <c>LAST_FISCAL_YEAR</c>, <c>NEXT_N_FISCAL_QUARTERS:n</c>,
    /// <c>N_FISCAL_YEARS_AGO:n</c> and the like, with a fiscal year starting in January. As in SOQL, <c>LAST_N_DAYS:n</c>
    /// includes today and the other <c>LAST_N_</c> and <c>NEXT_N_</c> forms leave out the current unit. <c>n</c> is at most
    /// <see cref="MaxYears"/> years' worth of its unit (365,000 days, 52,000 weeks, 12,000 months, 4,000 quarters): a larger one is refused here rather
    /// than failing when the range is resolved.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of these, or its <c>n</c> is out of range.</exception>
    public static DateRange Relative(string literal) => Relative(literal, 1);

    /// <summary>
    /// A range relative to today as <see cref="Relative(string)"/>, with fiscal literals following a standard fiscal year that
    /// starts on the first of <paramref name="fiscalYearStartMonth"/> (the org's Setup &gt; Fiscal Year start month). Custom
    /// fiscal years (with their own period lengths) are not supported.
    /// </summary>
    /// <param name="literal">The SOQL date literal.</param>
    /// <param name="fiscalYearStartMonth">The month the fiscal year starts in, 1 (January) to 12.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fiscalYearStartMonth"/> is not 1 to 12.</exception>
    /// <exception cref="ArgumentException">The name is not a date literal, or its <c>n</c> is out of range.</exception>
    public static DateRange Relative(string literal, int fiscalYearStartMonth)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(literal);
        ArgumentOutOfRangeException.ThrowIfLessThan(fiscalYearStartMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fiscalYearStartMonth, 12);
        var text = literal.Trim().ToUpperInvariant();
        switch (text)
        {
            case "TODAY": return new DateRange(literal, Unit.Day, Kind.This, 0, fiscalYearStartMonth);
            case "YESTERDAY": return new DateRange(literal, Unit.Day, Kind.Last, 0, fiscalYearStartMonth);
            case "TOMORROW": return new DateRange(literal, Unit.Day, Kind.Next, 0, fiscalYearStartMonth);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var head = colon < 0 ? text : text[..colon];
        int? n = null;
        if (colon >= 0)
        {
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw Invalid(literal);
            }

            n = parsed;
        }

        // The fiscal forms are the calendar forms with FISCAL before QUARTER(S) or YEAR(S): parse without it, then swap the unit.
        var parts = head.Split('_').ToList();
        var fiscal = parts.IndexOf("FISCAL");
        if (fiscal >= 0)
        {
            parts.RemoveAt(fiscal);
            if (fiscal >= parts.Count || parts[fiscal] is not ("QUARTER" or "QUARTERS" or "YEAR" or "YEARS") || parts.Contains("FISCAL"))
            {
                throw Invalid(literal);
            }
        }

        var range = Parse(literal, [.. parts], n, fiscalYearStartMonth) ?? throw Invalid(literal);
        var max = MaxCount(range._unit);
        if (range._n > max)
        {
            throw new ArgumentException(
                $"'{Excerpt(literal)}' reaches too far: n is at most {max.ToString("N0", CultureInfo.InvariantCulture)} for {range._unit.ToString().ToUpperInvariant()} ({MaxYears:N0} years).",
                nameof(literal));
        }

        return fiscal < 0 ? range : new DateRange(literal, range._unit == Unit.Quarter ? Unit.FiscalQuarter : Unit.FiscalYear, range._kind, range._n, fiscalYearStartMonth);
    }

    /// <summary>
    /// The farthest a relative range reaches from today, in years: Salesforce documents no bound on <c>n</c>, so the bound is
    /// what keeps every range resolved from a date between the years 1001 and 8998 inside the calendar (0001–9999).
    /// </summary>
    public const int MaxYears = 1_000;

    private static int MaxCount(Unit unit) => unit switch
    {
        Unit.Day => MaxYears * 365,
        Unit.Week => MaxYears * 52,
        Unit.Month => MaxYears * 12,
        Unit.Quarter or Unit.FiscalQuarter => MaxYears * 4,
        _ => MaxYears,
    };

    private static string Excerpt(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static DateRange? Parse(string literal, string[] parts, int? n, int fiscalStartMonth)
    {
        if (n is null && parts.Length == 2 && parts[0] is "THIS" or "LAST" or "NEXT" && TryUnit(parts[1], plural: false, out var unit))
        {
            return new DateRange(literal, unit, parts[0] switch { "THIS" => Kind.This, "LAST" => Kind.Last, _ => Kind.Next }, 0, fiscalStartMonth);
        }

        // LAST_90_DAYS, last_30_days: the day count written into the name.
        if (n is null && parts.Length == 3 && parts[0] is "LAST" or "NEXT" && parts[2] == "DAYS"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            return new DateRange(literal, Unit.Day, parts[0] == "LAST" ? Kind.LastN : Kind.NextN, days, fiscalStartMonth);
        }

        if (n is not null && parts.Length == 3 && parts[0] is "LAST" or "NEXT" && parts[1] == "N" && TryUnit(parts[2], plural: true, out unit))
        {
            return new DateRange(literal, unit, parts[0] == "LAST" ? Kind.LastN : Kind.NextN, n.Value, fiscalStartMonth);
        }

        if (n is not null && parts.Length == 3 && parts[0] == "N" && parts[2] == "AGO" && TryUnit(parts[1], plural: true, out unit))
        {
            return new DateRange(literal, unit, Kind.Ago, n.Value, fiscalStartMonth);
        }

        return null;
    }

    /// <summary>The first and last day of the range, with today taken from <paramref name="timeProvider"/> (UTC).</summary>
    public (DateOnly Start, DateOnly End) Resolve(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Resolve(DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime));
    }

    /// <summary>The first and last day of the range when today is <paramref name="today"/>.</summary>
    /// <exception cref="ArgumentException">The range reaches before 0001-01-01 or after 9999-12-31 from <paramref name="today"/>.</exception>
    public (DateOnly Start, DateOnly End) Resolve(DateOnly today)
    {
        if (Literal is null)
        {
            return (_start, _end);
        }

        try
        {
            return ResolveRelative(today);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ArgumentException($"'{Excerpt(Literal)}' reaches outside the calendar (0001-01-01 to 9999-12-31) from {today:yyyy-MM-dd}.", nameof(today));
        }
    }

    private (DateOnly Start, DateOnly End) ResolveRelative(DateOnly today)
    {

        if (_unit == Unit.Day)
        {
            return _kind switch
            {
                Kind.This => (today, today),
                Kind.Last => (today.AddDays(-1), today.AddDays(-1)),
                Kind.Next => (today.AddDays(1), today.AddDays(1)),
                Kind.LastN => (today.AddDays(-_n), today),
                Kind.NextN => (today.AddDays(1), today.AddDays(_n)),
                _ => (today.AddDays(-_n), today.AddDays(-_n)),
            };
        }

        var current = PeriodStart(today, _unit, _fiscalStartMonth);
        var (from, to) = _kind switch
        {
            Kind.This => (0, 1),
            Kind.Last => (-1, 0),
            Kind.Next => (1, 2),
            Kind.LastN => (-_n, 0),
            Kind.NextN => (1, _n + 1),
            _ => (-_n, -_n + 1),
        };
        return (Add(current, _unit, from), Add(current, _unit, to).AddDays(-1));
    }

    /// <inheritdoc />
    public override string ToString() => Literal ?? $"{_start:yyyy-MM-dd}..{_end:yyyy-MM-dd}";

    private static DateOnly PeriodStart(DateOnly day, Unit unit, int fiscalStartMonth)
    {
        // The fiscal year holding the day starts on the first of fiscalStartMonth, this calendar year or the one before.
        var monthsIntoFiscalYear = (day.Month - fiscalStartMonth + 12) % 12;
        var fiscalYearStart = new DateOnly(day.Year, day.Month, 1).AddMonths(-monthsIntoFiscalYear);
        return unit switch
        {
            Unit.Week => day.AddDays(-(int)day.DayOfWeek),
            Unit.Month => new DateOnly(day.Year, day.Month, 1),
            Unit.Quarter => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
            Unit.FiscalQuarter => fiscalYearStart.AddMonths(monthsIntoFiscalYear / 3 * 3),
            Unit.FiscalYear => fiscalYearStart,
            _ => new DateOnly(day.Year, 1, 1),
        };
    }

    private static DateOnly Add(DateOnly start, Unit unit, int count) => unit switch
    {
        Unit.Week => start.AddDays(7 * count),
        Unit.Month => start.AddMonths(count),
        Unit.Quarter or Unit.FiscalQuarter => start.AddMonths(3 * count),
        _ => start.AddYears(count),
    };

    private static bool TryUnit(string word, bool plural, out Unit unit)
    {
        var singular = plural ? (word.EndsWith('S') ? word[..^1] : "") : word;
        switch (singular)
        {
            case "DAY" when plural:
                unit = Unit.Day;
                return true;
            case "WEEK":
                unit = Unit.Week;
                return true;
            case "MONTH":
                unit = Unit.Month;
                return true;
            case "QUARTER":
                unit = Unit.Quarter;
                return true;
            case "YEAR":
                unit = Unit.Year;
                return true;
            default:
                unit = default;
                return false;
        }
    }

    private static ArgumentException Invalid(string literal) =>
        new($"'{literal}' is not a date range: use a SOQL date literal such as THIS_QUARTER, LAST_N_DAYS:90 or last_30_days.", nameof(literal));
}
