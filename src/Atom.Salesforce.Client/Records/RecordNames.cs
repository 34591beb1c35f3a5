using System.Text.RegularExpressions;

namespace Atom.Salesforce.Client.Records;

/// <summary>
/// Checks of names and ids before they reach a URL: an sObject or field name is an API name
/// (<c>Account</c>, <c>ns__Invoice__c</c>), a record id is 15 or 18 letters and digits. Anything else is refused
/// before any I/O, so no argument can change the path of a request.
/// </summary>
internal static partial class RecordNames
{
    public static void ThrowIfInvalidName(string? name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (!ApiName().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{Truncate(name)}' is not a Salesforce API name (letters, digits and underscores, starting with a letter).", paramName);
        }
    }

    public static void ThrowIfInvalidId(string? id, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, paramName);
        if (!RecordId().IsMatch(id))
        {
            throw new ArgumentException($"'{Truncate(id)}' is not a Salesforce record id (15 or 18 letters and digits).", paramName);
        }
    }

    public static string JoinFields(IEnumerable<string>? fields, string paramName)
    {
        if (fields is null)
        {
            return string.Empty;
        }

        var list = new List<string>();
        foreach (var field in fields)
        {
            if (field is null || !FieldPath().IsMatch(field))
            {
                throw new ArgumentException($"'{Truncate(field)}' is not a Salesforce field name.", paramName);
            }

            list.Add(field);
        }

        return string.Join(',', list);
    }

    private static string Truncate(string? s) => s is null ? "null" : s.Length <= 80 ? s : s[..80] + "…";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,79}\z")]
    private static partial Regex ApiName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79}){0,5}\z")]
    private static partial Regex FieldPath();

    [GeneratedRegex(@"^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?\z")]
    private static partial Regex RecordId();
}
