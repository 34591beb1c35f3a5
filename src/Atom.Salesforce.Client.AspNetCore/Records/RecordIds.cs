using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Records;

/// <summary>
/// Record ids compared as Salesforce compares them (<see cref="SalesforceId"/>): the 15-character id is case-sensitive, the
/// 18-character one adds a suffix that encodes the case of the first 15, so <c>001...AAA</c> and its 15-character form name
/// the same record.
/// </summary>
internal static class RecordIds
{
    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are ids of the same record.</summary>
    public static bool Same(string a, string b) =>
        SalesforceId.TryParse(a, out var left) && SalesforceId.TryParse(b, out var right) && left == right;
}
