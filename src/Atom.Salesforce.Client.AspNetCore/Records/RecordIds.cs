namespace Atom.Salesforce.Client.AspNetCore.Records;

/// <summary>
/// Record ids compared as Salesforce compares them: the 15-character id is case-sensitive, the 18-character one adds a
/// suffix that encodes the case of the first 15, so <c>001...AAA</c> and its 15-character form name the same record.
/// </summary>
internal static class RecordIds
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are ids of the same record.</summary>
    public static bool Same(string a, string b) =>
        Canonical15(a) is { } left && Canonical15(b) is { } right && string.Equals(left, right, StringComparison.Ordinal);

    /// <summary>The case-sensitive 15-character id, with the case restored from an 18-character id's suffix; null if not an id.</summary>
    private static string? Canonical15(string id)
    {
        if (id.Length is not (15 or 18) || !id.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        if (id.Length == 15)
        {
            return id;
        }

        var chars = id.ToCharArray(0, 15);
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var flags = SuffixAlphabet.IndexOf(char.ToUpperInvariant(id[15 + chunk]), StringComparison.Ordinal);
            if (flags < 0)
            {
                return null;
            }

            for (var j = 0; j < 5; j++)
            {
                var i = (chunk * 5) + j;
                chars[i] = (flags & (1 << j)) != 0 ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            }
        }

        return new string(chars);
    }
}
