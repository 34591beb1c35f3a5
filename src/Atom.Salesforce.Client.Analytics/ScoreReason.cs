using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics;

/// <summary>
/// One factor that moved a score, and by how much. Scores list their reasons largest <see cref="Impact"/> (by absolute
/// value) first, so the first few say why the score is what it is.
/// </summary>
public sealed record ScoreReason
{
    [JsonConstructor]
    internal ScoreReason()
    {
    }

    /// <summary>A stable, machine-readable name for the factor, for example <c>lead_source</c>.</summary>
    public string Factor { get; init; } = string.Empty;

    /// <summary>
    /// How far the factor moved the score, in the score's own units (points for a 0–100 score, percentage points for a
    /// probability); positive raised it, negative lowered it.
    /// </summary>
    public double Impact { get; init; }

    /// <summary>A short human-readable explanation, for example <c>Source is Partner Referral</c>.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Sorts the reasons in place, largest |impact| first (ties by factor name), as every score lists them.</summary>
    internal static List<ScoreReason> Sorted(List<ScoreReason> reasons)
    {
        reasons.Sort(static (a, b) =>
        {
            var byImpact = Math.Abs(b.Impact).CompareTo(Math.Abs(a.Impact));
            return byImpact != 0 ? byImpact : string.CompareOrdinal(a.Factor, b.Factor);
        });
        return reasons;
    }
}
