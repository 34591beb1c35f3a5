namespace Atom.Salesforce.Emulator.Data;

/// <summary>
/// Salesforce record ids (reference §8): a 3-character key prefix, then the record number, 15 case-sensitive characters,
/// plus a 3-character case-safe suffix computed from which of the 15 are upper-case.
/// </summary>
internal static class RecordIds
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
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
    public static bool IsValid(string? id)
    {
        if (id is null || (id.Length != 15 && id.Length != 18))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return id.Length == 15 || string.Equals(To18(id.AsSpan(0, 15)), id, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The 18-character form of a valid id (the 15 case-sensitive characters decide; the suffix is recomputed).</summary>
    public static string Normalize(string id) => To18(id.AsSpan(0, 15));

    public static string To18(ReadOnlySpan<char> id15)
    {
        Span<char> id = stackalloc char[18];
        id15.CopyTo(id);
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var flags = 0;
            for (var j = 0; j < 5; j++)
            {
                if (id15[(chunk * 5) + j] is >= 'A' and <= 'Z')
                {
                    flags |= 1 << j;
                }
            }

            id[15 + chunk] = SuffixAlphabet[flags];
        }

        return new string(id);
    }
}
