namespace Atom.Salesforce.Client.Analytics;

/// <summary>
/// The filters of the analytics queries (lead sources, owners, industries, ...): an unset or empty list lets every value
/// through; otherwise a value passes when the list holds it, compared case-insensitively as Salesforce compares picklist
/// values, and a record with no value does not pass.
/// </summary>
internal static class PicklistFilter
{
    /// <summary>The set of wanted values; null when the filter is unset (everything passes).</summary>
    public static HashSet<string>? Create(IReadOnlyCollection<string>? values) =>
        values is { Count: > 0 } ? new HashSet<string>(values, StringComparer.OrdinalIgnoreCase) : null;

    /// <summary>True when the filter is unset or holds the value.</summary>
    public static bool Passes(HashSet<string>? filter, string? value) => filter is null || (value is not null && filter.Contains(value));

    /// <summary>Throws when a filter holds a blank value.</summary>
    public static void Validate(IReadOnlyCollection<string>? values, string name)
    {
        if (values is not null && values.Any(string.IsNullOrWhiteSpace))
        {
            throw CallerArgument.Invalid($"The {name} filter holds a blank value.", "query");
        }
    }
}
