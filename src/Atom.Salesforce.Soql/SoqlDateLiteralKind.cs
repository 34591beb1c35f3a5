namespace Atom.Salesforce.Soql;

/// <summary>
/// The relative date literals (<c>TODAY</c>, <c>LAST_N_DAYS:30</c>, ...): all 44 of them. Those whose name has an <c>N</c>
/// take a count.
/// </summary>
public enum SoqlDateLiteralKind
{
    /// <summary><c>YESTERDAY</c></summary>
    Yesterday,

    /// <summary><c>TODAY</c></summary>
    Today,

    /// <summary><c>TOMORROW</c></summary>
    Tomorrow,

    /// <summary><c>LAST_WEEK</c></summary>
    LastWeek,

    /// <summary><c>THIS_WEEK</c></summary>
    ThisWeek,

    /// <summary><c>NEXT_WEEK</c></summary>
    NextWeek,

    /// <summary><c>LAST_MONTH</c></summary>
    LastMonth,

    /// <summary><c>THIS_MONTH</c></summary>
    ThisMonth,

    /// <summary><c>NEXT_MONTH</c></summary>
    NextMonth,

    /// <summary><c>LAST_90_DAYS</c>: the 90 days before today and today.</summary>
    Last90Days,

    /// <summary><c>NEXT_90_DAYS</c>: the 90 days after today.</summary>
    Next90Days,

    /// <summary><c>LAST_N_DAYS:n</c>: the n days before today and today.</summary>
    LastNDays,

    /// <summary><c>NEXT_N_DAYS:n</c>: the n days after today.</summary>
    NextNDays,

    /// <summary><c>N_DAYS_AGO:n</c></summary>
    NDaysAgo,

    /// <summary><c>NEXT_N_WEEKS:n</c></summary>
    NextNWeeks,

    /// <summary><c>LAST_N_WEEKS:n</c></summary>
    LastNWeeks,

    /// <summary><c>N_WEEKS_AGO:n</c></summary>
    NWeeksAgo,

    /// <summary><c>NEXT_N_MONTHS:n</c></summary>
    NextNMonths,

    /// <summary><c>LAST_N_MONTHS:n</c></summary>
    LastNMonths,

    /// <summary><c>N_MONTHS_AGO:n</c></summary>
    NMonthsAgo,

    /// <summary><c>THIS_QUARTER</c></summary>
    ThisQuarter,

    /// <summary><c>LAST_QUARTER</c></summary>
    LastQuarter,

    /// <summary><c>NEXT_QUARTER</c></summary>
    NextQuarter,

    /// <summary><c>NEXT_N_QUARTERS:n</c></summary>
    NextNQuarters,

    /// <summary><c>LAST_N_QUARTERS:n</c></summary>
    LastNQuarters,

    /// <summary><c>N_QUARTERS_AGO:n</c></summary>
    NQuartersAgo,

    /// <summary><c>THIS_YEAR</c></summary>
    ThisYear,

    /// <summary><c>LAST_YEAR</c></summary>
    LastYear,

    /// <summary><c>NEXT_YEAR</c></summary>
    NextYear,

    /// <summary><c>NEXT_N_YEARS:n</c></summary>
    NextNYears,

    /// <summary><c>LAST_N_YEARS:n</c></summary>
    LastNYears,

    /// <summary><c>N_YEARS_AGO:n</c></summary>
    NYearsAgo,

    /// <summary><c>THIS_FISCAL_QUARTER</c></summary>
    ThisFiscalQuarter,

    /// <summary><c>LAST_FISCAL_QUARTER</c></summary>
    LastFiscalQuarter,

    /// <summary><c>NEXT_FISCAL_QUARTER</c></summary>
    NextFiscalQuarter,

    /// <summary><c>NEXT_N_FISCAL_QUARTERS:n</c></summary>
    NextNFiscalQuarters,

    /// <summary><c>LAST_N_FISCAL_QUARTERS:n</c></summary>
    LastNFiscalQuarters,

    /// <summary><c>N_FISCAL_QUARTERS_AGO:n</c></summary>
    NFiscalQuartersAgo,

    /// <summary><c>THIS_FISCAL_YEAR</c></summary>
    ThisFiscalYear,

    /// <summary><c>LAST_FISCAL_YEAR</c></summary>
    LastFiscalYear,

    /// <summary><c>NEXT_FISCAL_YEAR</c></summary>
    NextFiscalYear,

    /// <summary><c>NEXT_N_FISCAL_YEARS:n</c></summary>
    NextNFiscalYears,

    /// <summary><c>LAST_N_FISCAL_YEARS:n</c></summary>
    LastNFiscalYears,

    /// <summary><c>N_FISCAL_YEARS_AGO:n</c></summary>
    NFiscalYearsAgo,
}

/// <summary>The SOQL spelling of each <see cref="SoqlDateLiteralKind"/> and whether it takes a count.</summary>
internal static class SoqlDateLiterals
{
    private static readonly string[] Names =
    [
        "YESTERDAY", "TODAY", "TOMORROW", "LAST_WEEK", "THIS_WEEK", "NEXT_WEEK", "LAST_MONTH", "THIS_MONTH", "NEXT_MONTH",
        "LAST_90_DAYS", "NEXT_90_DAYS", "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO", "NEXT_N_WEEKS", "LAST_N_WEEKS", "N_WEEKS_AGO",
        "NEXT_N_MONTHS", "LAST_N_MONTHS", "N_MONTHS_AGO", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER", "NEXT_N_QUARTERS",
        "LAST_N_QUARTERS", "N_QUARTERS_AGO", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR", "NEXT_N_YEARS", "LAST_N_YEARS", "N_YEARS_AGO",
        "THIS_FISCAL_QUARTER", "LAST_FISCAL_QUARTER", "NEXT_FISCAL_QUARTER", "NEXT_N_FISCAL_QUARTERS", "LAST_N_FISCAL_QUARTERS",
        "N_FISCAL_QUARTERS_AGO", "THIS_FISCAL_YEAR", "LAST_FISCAL_YEAR", "NEXT_FISCAL_YEAR", "NEXT_N_FISCAL_YEARS",
        "LAST_N_FISCAL_YEARS", "N_FISCAL_YEARS_AGO",
    ];

    private static readonly Dictionary<string, SoqlDateLiteralKind> ByName = Enumerable.Range(0, Names.Length)
        .ToDictionary(i => Names[i], i => (SoqlDateLiteralKind)i, StringComparer.OrdinalIgnoreCase);

    public static int Count => Names.Length;

    public static string Name(SoqlDateLiteralKind kind) => Names[(int)kind];

    /// <summary>True for the literals written <c>NAME:n</c>.</summary>
    public static bool TakesCount(SoqlDateLiteralKind kind) => Names[(int)kind].Contains("_N_", StringComparison.Ordinal) || Names[(int)kind].StartsWith("N_", StringComparison.Ordinal);

    public static bool TryFind(string name, out SoqlDateLiteralKind kind) => ByName.TryGetValue(name, out kind);

    public static bool IsDefined(SoqlDateLiteralKind kind) => (uint)kind < (uint)Names.Length;
}
