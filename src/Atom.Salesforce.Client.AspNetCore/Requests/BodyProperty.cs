namespace Atom.Salesforce.Client.AspNetCore.Requests;

/// <summary>The JSON kinds a request property may have.</summary>
internal enum BodyType
{
    String,
    Id,
    Integer,
    Boolean,
    /// <summary>A JSON object of Salesforce field names and values (<c>account_data</c>, ...).</summary>
    FieldValues,
    StringArray,
    /// <summary>
    /// A named range (<c>last_30_days</c>, <c>this_quarter</c>, any SOQL date literal such as <c>LAST_N_DAYS:90</c>) or
    /// <c>{"start_date": "yyyy-MM-dd", "end_date": "yyyy-MM-dd"}</c> (the pack's <c>start</c> / <c>end</c> are aliases).
    /// </summary>
    DateRange,
    /// <summary>
    /// Filters: an object whose properties, each an array of strings, are the names (or their aliases) in
    /// <see cref="BodyProperty.FilterNames"/>, for example <c>{"lead_source": [...], "owners": [...]}</c>.
    /// </summary>
    Filters,
}

/// <summary>
/// A name in a request body and, where the pack had its own earlier spelling, that spelling as an alias: a filter
/// (<c>lead_source</c> / <c>lead_sources</c>) or a bound of a fixed date range (<c>start_date</c> / <c>start</c>). The name
/// is the seed's documented spelling where it documents one. Giving both with different values is refused.
/// </summary>
internal sealed record AliasedName(string Name, string? Alias = null)
{
    public static implicit operator AliasedName(string name) => new(name);
}

/// <summary>One property of a route's JSON body: checked by <see cref="RequestBody"/> and described in the OpenAPI document.</summary>
internal sealed record BodyProperty(string Name, BodyType Type, bool Required, string Description)
{
    /// <summary>
    /// How a <see cref="BodyType.DateRange"/> may be written, for descriptions: a named range or a fixed one, documented
    /// spelling first.
    /// </summary>
    public const string DateRangeForms =
        "a named range (\"last_30_days\", \"last_7_days\", \"last_90_days\", \"this_month\", \"last_month\", \"this_quarter\", \"last_quarter\", \"this_year\", \"last_year\", or any SOQL date literal such as \"LAST_N_DAYS:365\"; case-insensitive) or {\"start_date\": \"yyyy-MM-dd\", \"end_date\": \"yyyy-MM-dd\"} (\"start\" and \"end\" are accepted as aliases)";

    /// <summary>The filters a <see cref="BodyType.Filters"/> property accepts.</summary>
    public IReadOnlyList<AliasedName> FilterNames { get; init; } = [];

    /// <summary>A <c>filters</c> property accepting the given names (and their aliases), each an array of strings.</summary>
    public static BodyProperty Filters(string description, params AliasedName[] names) =>
        new("filters", BodyType.Filters, false, description) { FilterNames = names };

    /// <summary>A <see cref="BodyType.DateRange"/> property named <c>date_range</c>, covering what <paramref name="covers"/> says.</summary>
    public static BodyProperty DateRange(string covers) =>
        new("date_range", BodyType.DateRange, false, $"{covers}: {DateRangeForms}; all when omitted.");

    public static BodyProperty UserId { get; } = new(
        "user_id", BodyType.String, false,
        "The SDK user id. Optional: the signed-in user is used; a different value is refused with 403 (unless trusted mode is on, where it is required).");

    public static BodyProperty Username { get; } = new(
        "username", BodyType.String, false,
        "The Salesforce username of the user's login to use, when the user has connected several (oauth/logins lists them). Optional with a single login.");

    public static BodyProperty Query { get; } = new(
        "query", BodyType.String, false,
        "A SOQL WHERE condition on the object's filterable fields, for example \"Industry = 'Energy' AND AnnualRevenue > 1000000\". Functions, subqueries, other clauses and unknown fields are refused.");

    public static BodyProperty Fields { get; } = new("fields", BodyType.StringArray, false, "Fields to return; each must be a field of the object. A sensible default set when omitted.");

    public static BodyProperty Limit { get; } = new("limit", BodyType.Integer, false, "How many records to return, 1 to the configured maximum (2,000 by default); 50 when omitted.");
}
