namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// Splits records into training and held-out sets by a hash of their id, so the split is the same on every run and
/// every machine, and a record never moves between the sets as the org grows.
/// </summary>
internal static class HoldoutSplit
{
    /// <summary>True when the record belongs to the held-out share (about <paramref name="fraction"/> of all ids).</summary>
    public static bool IsHeldOut(string id, double fraction)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (fraction <= 0)
        {
            return false;
        }

        // FNV-1a over the UTF-16 code units: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 15;
        hash *= 0x2c1b3c6du;
        hash ^= hash >> 12;
        return hash / (double)uint.MaxValue < fraction;
    }
}
