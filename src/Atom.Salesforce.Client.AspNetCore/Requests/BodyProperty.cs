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
    /// <summary>A relative SOQL date literal (<c>LAST_N_DAYS:90</c>) or <c>{"start": "yyyy-MM-dd", "end": "yyyy-MM-dd"}</c>.</summary>
    DateRange,
    /// <summary>
    /// Filters: an object whose properties, each an array of strings, are the names in <see cref="BodyProperty.FilterNames"/>,
    /// for example <c>{"owners": [...], "lead_sources": [...]}</c>.
    /// </summary>
    Filters,
}

/// <summary>One property of a route's JSON body: checked by <see cref="RequestBody"/> and described in the OpenAPI document.</summary>
internal sealed record BodyProperty(string Name, BodyType Type, bool Required, string Description)
{
    /// <summary>The filter names a <see cref="BodyType.Filters"/> property accepts.</summary>
    public IReadOnlyList<string> FilterNames { get; init; } = [];

    /// <summary>A <c>filters</c> property accepting the given names, each an array of strings.</summary>
    public static BodyProperty Filters(string description, params string[] names) =>
        new("filters", BodyType.Filters, false, description) { FilterNames = names };

    public static BodyProperty UserId { get; } = new(
        "user_id", BodyType.String, false,
        "The SDK user id. Optional: the signed-in user is used; a different value is refused with 403 (unless trusted mode is on, where it is required).");

    public static BodyProperty Query { get; } = new(
        "query", BodyType.String, false,
        "A SOQL WHERE condition on the object's filterable fields, for example \"Industry = 'Energy' AND AnnualRevenue > 1000000\". Functions, subqueries, other clauses and unknown fields are refused.");

    public static BodyProperty Fields { get; } = new("fields", BodyType.StringArray, false, "Fields to return; each must be a field of the object. A sensible default set when omitted.");

    public static BodyProperty Limit { get; } = new("limit", BodyType.Integer, false, "How many records to return, 1 to the configured maximum (2,000 by default); 50 when omitted.");
}
