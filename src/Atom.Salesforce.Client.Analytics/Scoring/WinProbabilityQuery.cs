
namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// How <see cref="WinProbabilityScoring"/> trains and which open deals it scores. The model always trains on every closed
/// deal; the filters choose only the open deals that get a prediction.
/// </summary>
public sealed class WinProbabilityQuery
{
    /// <summary>Score only open deals whose close date is in this range (both ends included); null for all.</summary>
    public DateRange? CloseDate { get; init; }

    /// <summary>Score only deals of these owners (OwnerId); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Owners { get; init; }

    /// <summary>Score only deals from these lead sources; null or empty for all.</summary>
    public IReadOnlyCollection<string>? LeadSources { get; init; }

    /// <summary>Score only deals now in these stages; null or empty for all.</summary>
    public IReadOnlyCollection<string>? Stages { get; init; }

    /// <summary>The share of closed deals held out of training to measure accuracy on (by a stable hash of the id); 0.25 by default.</summary>
    public double HoldoutFraction { get; init; } = 0.25;

    /// <summary>
    /// The deal ages, in days since creation, at which each closed deal is rebuilt from its history as a training example
    /// (only those before it closed). Null for 1, 7, 14, 30, 60, 90, 120, 180, 270, 365, 540 and 730 days.
    /// </summary>
    public IReadOnlyList<int>? SnapshotAges { get; init; }

    /// <summary>
    /// The default probability (percent, 0–100) of each stage, as OpportunityStage.DefaultProbability gives it. Null to
    /// read the org's OpportunityStage table (<c>WinProbabilityScoring.AnalyzeAsync</c>), or else the most common
    /// Probability of the open deals in each stage, or else Salesforce's defaults for the standard stage names.
    /// </summary>
    public IReadOnlyDictionary<string, double>? StageProbabilities { get; init; }

    /// <summary>The ridge penalty of the logistic model; 1 by default.</summary>
    public double Regularization { get; init; } = 1.0;

    internal static readonly int[] DefaultSnapshotAges = [1, 7, 14, 30, 60, 90, 120, 180, 270, 365, 540, 730];

    internal static void Validate(WinProbabilityQuery? query)
    {
        if (query is null)
        {
            return;
        }

        if (double.IsNaN(query.HoldoutFraction) || query.HoldoutFraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.HoldoutFraction, "WinProbabilityQuery.HoldoutFraction must be at least 0 and below 1.");
        }

        if (query.SnapshotAges is { } ages && (ages.Count == 0 || ages.Any(a => a < 0)))
        {
            throw new ArgumentException("WinProbabilityQuery.SnapshotAges must hold at least one age, none negative.", nameof(query));
        }

        if (query.StageProbabilities is { } stages && stages.Values.Any(p => double.IsNaN(p) || p is < 0 or > 100))
        {
            throw new ArgumentException("WinProbabilityQuery.StageProbabilities must be percentages from 0 to 100.", nameof(query));
        }

        if (double.IsNaN(query.Regularization) || query.Regularization < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Regularization, "WinProbabilityQuery.Regularization must not be negative.");
        }
    }
}
