namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// A win probability model trained on the org's closed deals, how it did on held-out deals beside the stage's default
/// probability, and its predictions for the open deals asked for.
/// </summary>
/// <param name="TrainingDeals">Closed deals the model trained on.</param>
/// <param name="TrainingSnapshots">Training examples: each training deal as it stood at each snapshot age before it closed.</param>
/// <param name="HeldOutDeals">Closed deals kept out of training.</param>
/// <param name="Model">The model's accuracy on the held-out deals' snapshots.</param>
/// <param name="StageDefault">
/// The accuracy of the stage's default probability (what Salesforce shows as Probability) on the same snapshots: the
/// figure to beat. Compare the Brier scores (lower is better) and AUCs.
/// </param>
/// <param name="Predictions">The open deals in scope, most likely to win first.</param>
public sealed record WinProbabilityReport(
    int TrainingDeals,
    int TrainingSnapshots,
    int HeldOutDeals,
    ModelAccuracy Model,
    ModelAccuracy StageDefault,
    IReadOnlyList<WinProbabilityScore> Predictions);

/// <summary>One open deal's chance to be won.</summary>
/// <param name="OpportunityId">The opportunity.</param>
/// <param name="Name">Its name.</param>
/// <param name="StageName">Its stage now.</param>
/// <param name="Probability">The model's probability that it will be won, 0–1.</param>
/// <param name="StageDefaultProbability">The stage's default probability, 0–1, for comparison.</param>
/// <param name="Reasons">
/// What moved the probability away from that of a typical deal, in percentage points (each factor's effect with the
/// others held), largest first.
/// </param>
public sealed record WinProbabilityScore(
    string OpportunityId,
    string? Name,
    string StageName,
    double Probability,
    double StageDefaultProbability,
    IReadOnlyList<ScoreReason> Reasons);
