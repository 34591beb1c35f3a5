namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>
/// Jaro–Winkler string similarity (0 = nothing in common, 1 = equal): the Jaro similarity, raised for a common prefix of
/// up to four characters, which suits names, where typos sit late more often than early. Short enough to own rather than
/// take a dependency for.
/// </summary>
internal static class JaroWinkler
{
    /// <summary>The prefix bonus per character (Winkler's 0.1).</summary>
    private const double PrefixScale = 0.1;

    /// <summary>Winkler applies the prefix bonus only above this Jaro similarity.</summary>
    private const double BoostThreshold = 0.7;

    /// <summary>The Jaro–Winkler similarity of two strings, compared character by character (ordinal).</summary>
    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var jaro = Jaro(a, b);
        if (jaro <= BoostThreshold)
        {
            return jaro;
        }

        var prefix = 0;
        var limit = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < limit && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * PrefixScale * (1 - jaro));
    }

    /// <summary>
    /// The Jaro similarity: with m characters matching within half the longer length of each other and t half the number
    /// of matched characters out of order, (m/|a| + m/|b| + (m − t)/m) / 3, or 0 when nothing matches.
    /// </summary>
    public static double Jaro(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a.SequenceEqual(b))
        {
            return 1;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        // Names are short: flags on the stack, no allocation per comparison.
        Span<bool> aMatched = a.Length <= 256 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 256 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var start = Math.Max(0, i - window);
            var end = Math.Min(b.Length - 1, i + window);
            for (var j = start; j <= end; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = true;
                    bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var outOfOrder = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }

            while (!bMatched[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                outOfOrder++;
            }

            k++;
        }

        var m = (double)matches;
        return ((m / a.Length) + (m / b.Length) + ((m - (outOfOrder / 2.0)) / m)) / 3;
    }
}
