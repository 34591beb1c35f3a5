using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// A win probability model trained on the org's closed deals, how it did on held-out deals beside the Probability
/// Salesforce showed and the stage's default probability, and its predictions for the open deals asked for.
/// </summary>
public sealed record WinProbabilityReport
{
    [JsonConstructor]
    internal WinProbabilityReport()
    {
    }

    /// <summary>Closed deals the model trained on.</summary>
    public int TrainingDeals { get; init; }

    /// <summary>Training examples: each training deal as it stood at each snapshot age before it closed.</summary>
    public int TrainingSnapshots { get; init; }

    /// <summary>Closed deals kept out of training.</summary>
    public int HeldOutDeals { get; init; }

    /// <summary>The model's accuracy on the held-out deals' snapshots.</summary>
    public ModelAccuracy Model { get; init; } = new();

    /// <summary>
    /// The accuracy, on the same snapshots, of the Probability Salesforce showed for the deal at that moment (its
    /// OpportunityHistory row's, so a rep's override counts; the stage's default where the row has none): the figure to
    /// beat. Compare the Brier scores (lower is better) and AUCs.
    /// </summary>
    public ModelAccuracy SalesforceProbability { get; init; } = new();

    /// <summary>
    /// The accuracy of the stage's default probability (OpportunityStage.DefaultProbability) at the deal's stage on the same
    /// snapshots; equal to <see cref="SalesforceProbability"/> where no rep overrode a probability.
    /// </summary>
    public ModelAccuracy StageDefault { get; init; } = new();

    /// <summary>The open deals in scope, most likely to win first.</summary>
    public IReadOnlyList<WinProbabilityScore> Predictions { get; init; } = [];
}

/// <summary>One open deal's chance to be won.</summary>
public sealed record WinProbabilityScore
{
    [JsonConstructor]
    internal WinProbabilityScore()
    {
    }

    /// <summary>The opportunity.</summary>
    public string OpportunityId { get; init; } = string.Empty;

    /// <summary>Its name.</summary>
    public string? Name { get; init; }

    /// <summary>Its stage now.</summary>
    public string StageName { get; init; } = string.Empty;

    /// <summary>The model's probability that it will be won, 0–1.</summary>
    public double Probability { get; init; }

    /// <summary>
    /// The Probability the deal shows in Salesforce now, 0–1 (the stage's default when it has none), for comparison.
    /// </summary>
    public double SalesforceProbability { get; init; }

    /// <summary>The stage's default probability, 0–1, for comparison.</summary>
    public double StageDefaultProbability { get; init; }

    /// <summary>
    /// What moved the probability away from that of a typical deal, in percentage points (each factor's effect with the
    /// others held), largest first.
    /// </summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}
