namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// A win probability model trained on the org's closed deals, how it did on held-out deals beside the Probability
/// Salesforce showed and the stage's default probability, and its predictions for the open deals asked for.
/// </summary>
/// <param name="TrainingDeals">Closed deals the model trained on.</param>
/// <param name="TrainingSnapshots">Training examples: each training deal as it stood at each snapshot age before it closed.</param>
/// <param name="HeldOutDeals">Closed deals kept out of training.</param>
/// <param name="Model">The model's accuracy on the held-out deals' snapshots.</param>
/// <param name="SalesforceProbability">
/// The accuracy, on the same snapshots, of the Probability Salesforce showed for the deal at that moment (its
/// OpportunityHistory row's, so a rep's override counts; the stage's default where the row has none): the figure to
/// beat. Compare the Brier scores (lower is better) and AUCs.
/// </param>
/// <param name="StageDefault">
/// The accuracy of the stage's default probability (OpportunityStage.DefaultProbability) at the deal's stage on the same
/// snapshots; equal to <paramref name="SalesforceProbability"/> where no rep overrode a probability.
/// </param>
/// <param name="Predictions">The open deals in scope, most likely to win first.</param>
public sealed record WinProbabilityReport(
    int TrainingDeals,
    int TrainingSnapshots,
    int HeldOutDeals,
    ModelAccuracy Model,
    ModelAccuracy SalesforceProbability,
    ModelAccuracy StageDefault,
    IReadOnlyList<WinProbabilityScore> Predictions);

/// <summary>One open deal's chance to be won.</summary>
/// <param name="OpportunityId">The opportunity.</param>
/// <param name="Name">Its name.</param>
/// <param name="StageName">Its stage now.</param>
/// <param name="Probability">The model's probability that it will be won, 0–1.</param>
/// <param name="SalesforceProbability">
/// The Probability the deal shows in Salesforce now, 0–1 (the stage's default when it has none), for comparison.
/// </param>
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
    double SalesforceProbability,
    double StageDefaultProbability,
    IReadOnlyList<ScoreReason> Reasons);
