namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// One factor that moved a score, and by how much. Scores list their reasons largest <see cref="Impact"/> (by absolute
/// value) first, so the first few say why the score is what it is.
/// </summary>
/// <param name="Factor">A stable, machine-readable name for the factor, for example <c>lead_source</c>.</param>
/// <param name="Impact">
/// How far the factor moved the score, in the score's own units (points for a 0–100 score, percentage points for a
/// probability); positive raised it, negative lowered it.
/// </param>
/// <param name="Description">A short human-readable explanation, for example <c>Source is Partner Referral</c>.</param>
public sealed record ScoreReason(string Factor, double Impact, string Description);
