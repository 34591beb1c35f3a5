namespace Atom.Salesforce.Soql;

/// <summary>The functions SOQL knows, their documented spelling and what kind of argument each takes.</summary>
internal static class SoqlFunctions
{
    public enum Kind
    {
        /// <summary>AVG, SUM, MIN, MAX, COUNT_DISTINCT: one field.</summary>
        Aggregate,

        /// <summary>COUNT() or COUNT(field).</summary>
        Count,

        /// <summary>GROUPING(field), for ROLLUP and CUBE subtotals.</summary>
        Grouping,

        /// <summary>CALENDAR_YEAR and the other date functions: a field or convertTimezone(field).</summary>
        Date,

        /// <summary>convertTimezone(field): only inside a date function.</summary>
        ConvertTimezone,

        /// <summary>convertCurrency(field): SELECT only, alone or inside FORMAT or an aggregate.</summary>
        ConvertCurrency,

        /// <summary>FORMAT(field | aggregate | convertCurrency): SELECT only.</summary>
        Format,

        /// <summary>toLabel(field): SELECT and WHERE.</summary>
        ToLabel,

        /// <summary>DISTANCE(locationField, GEOLOCATION(lat, lon) | locationField, 'mi' | 'km').</summary>
        Distance,

        /// <summary>GEOLOCATION(latitude, longitude): only inside DISTANCE.</summary>
        Geolocation,
    }

    private static readonly Dictionary<string, (string Name, Kind Kind)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AVG"] = ("AVG", Kind.Aggregate),
        ["SUM"] = ("SUM", Kind.Aggregate),
        ["MIN"] = ("MIN", Kind.Aggregate),
        ["MAX"] = ("MAX", Kind.Aggregate),
        ["COUNT_DISTINCT"] = ("COUNT_DISTINCT", Kind.Aggregate),
        ["COUNT"] = ("COUNT", Kind.Count),
        ["GROUPING"] = ("GROUPING", Kind.Grouping),
        ["CALENDAR_MONTH"] = ("CALENDAR_MONTH", Kind.Date),
        ["CALENDAR_QUARTER"] = ("CALENDAR_QUARTER", Kind.Date),
        ["CALENDAR_YEAR"] = ("CALENDAR_YEAR", Kind.Date),
        ["DAY_IN_MONTH"] = ("DAY_IN_MONTH", Kind.Date),
        ["DAY_IN_WEEK"] = ("DAY_IN_WEEK", Kind.Date),
        ["DAY_IN_YEAR"] = ("DAY_IN_YEAR", Kind.Date),
        ["DAY_ONLY"] = ("DAY_ONLY", Kind.Date),
        ["FISCAL_MONTH"] = ("FISCAL_MONTH", Kind.Date),
        ["FISCAL_QUARTER"] = ("FISCAL_QUARTER", Kind.Date),
        ["FISCAL_YEAR"] = ("FISCAL_YEAR", Kind.Date),
        ["HOUR_IN_DAY"] = ("HOUR_IN_DAY", Kind.Date),
        ["WEEK_IN_MONTH"] = ("WEEK_IN_MONTH", Kind.Date),
        ["WEEK_IN_YEAR"] = ("WEEK_IN_YEAR", Kind.Date),
        ["convertTimezone"] = ("convertTimezone", Kind.ConvertTimezone),
        ["convertCurrency"] = ("convertCurrency", Kind.ConvertCurrency),
        ["FORMAT"] = ("FORMAT", Kind.Format),
        ["toLabel"] = ("toLabel", Kind.ToLabel),
        ["DISTANCE"] = ("DISTANCE", Kind.Distance),
        ["GEOLOCATION"] = ("GEOLOCATION", Kind.Geolocation),
    };

    public static bool TryGet(string name, out Kind kind)
    {
        if (Known.TryGetValue(name, out var entry))
        {
            kind = entry.Kind;
            return true;
        }

        kind = default;
        return false;
    }

    /// <summary>The documented spelling of a known function; other names as given.</summary>
    public static string CanonicalName(string name) => Known.TryGetValue(name, out var entry) ? entry.Name : name;

    public static bool IsAggregate(string name) => TryGet(name, out var kind) && kind is Kind.Aggregate or Kind.Count;
}
