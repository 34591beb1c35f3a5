using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Emulator.Data;

/// <summary>
/// Salesforce record ids (reference §8): a 3-character key prefix, then the record number, 15 case-sensitive characters,
/// plus a 3-character case-safe suffix computed from which of the 15 are upper-case (<see cref="SalesforceId"/>, the SDK's one
/// implementation of it).
/// </summary>
internal static class RecordIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The 18-character id of record number <paramref name="number"/> of the object with <paramref name="keyPrefix"/>.</summary>
    public static string Create(string keyPrefix, long number)
    {
        Span<char> id = stackalloc char[15];
        keyPrefix.AsSpan().CopyTo(id);
        id[3] = 'H';
        id[4] = 's';
        for (var i = 14; i >= 5; i--)
        {
            id[i] = Base62[(int)(number % 62)];
            number /= 62;
        }

        return To18(id);
    }

    /// <summary>Looks like an id: 15 or 18 letters and digits, with a matching suffix when there are 18.</summary>
    public static bool IsValid(string? id) => SalesforceId.TryParse(id, out _);

    /// <summary>The 18-character form of a valid id (the 15 case-sensitive characters decide; the suffix is recomputed).</summary>
    public static string Normalize(string id) => SalesforceId.Parse(id).Value;

    /// <summary>The 18-character form of the 15 characters of an id.</summary>
    public static string To18(ReadOnlySpan<char> id15) => SalesforceId.Parse(new string(id15)).Value;
}
