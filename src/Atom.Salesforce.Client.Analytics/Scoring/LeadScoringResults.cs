using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>A lead's rule-based score.</summary>
public sealed record LeadRuleScore
{
    [JsonConstructor]
    internal LeadRuleScore()
    {
    }

    /// <summary>The lead.</summary>
    public string LeadId { get; init; } = string.Empty;

    /// <summary>0–100: the sum of the points of the rules that fired, clamped.</summary>
    public double Score { get; init; }

    /// <summary>Each rule that fired with non-zero points, in points, largest first.</summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>A lead's conversion probability from a <see cref="LeadScoringModel"/>.</summary>
public sealed record LeadPrediction
{
    [JsonConstructor]
    internal LeadPrediction()
    {
    }

    /// <summary>The lead.</summary>
    public string LeadId { get; init; } = string.Empty;

    /// <summary>The predicted chance the lead converts, 0–1.</summary>
    public double Probability { get; init; }

    /// <summary>
    /// The factors that moved the prediction most, largest first; each impact is in percentage points, the change from the
    /// prediction with that factor set to the training average.
    /// </summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>What <c>LeadScoring.ScoreAsync</c> returns (from an org or a data source): the rule score, and the model's prediction when a model was given.</summary>
public sealed record LeadScoreResult
{
    [JsonConstructor]
    internal LeadScoreResult()
    {
    }

    /// <summary>The lead.</summary>
    public string LeadId { get; init; } = string.Empty;

    /// <summary>The rule-based score.</summary>
    public LeadRuleScore Rules { get; init; } = new();

    /// <summary>The model's prediction; null when no model was given.</summary>
    public LeadPrediction? Model { get; init; }
}

/// <summary>How <see cref="LeadScoring.Train"/> picks and splits the leads it learns from.</summary>
public sealed class LeadTrainingOptions
{
    /// <summary>
    /// An unconverted lead counts as a negative example only when created more than this many days before today, so that
    /// new leads that have not had their chance yet do not teach the model that they fail; default 30. Converted leads
    /// always count.
    /// </summary>
    public int NegativeAfterDays { get; init; } = 30;

    /// <summary>
    /// The share of leads, chosen by a stable hash of the id, held out of training to measure the model on; default 0.25.
    /// 0 trains on every lead and leaves <see cref="LeadScoringModel.Accuracy"/> null.
    /// </summary>
    public double HoldoutShare { get; init; } = 0.25;

    /// <summary>The ridge penalty that keeps weights small on few or separable leads; default 1.</summary>
    public double L2Penalty { get; init; } = 1;

    internal void Validate()
    {
        if (NegativeAfterDays < 0)
        {
            throw new ArgumentException($"{nameof(NegativeAfterDays)} cannot be negative, not {NegativeAfterDays}.", nameof(NegativeAfterDays));
        }

        if (!(HoldoutShare >= 0 && HoldoutShare < 1))
        {
            throw new ArgumentException($"{nameof(HoldoutShare)} must be at least 0 and below 1, not {HoldoutShare}.", nameof(HoldoutShare));
        }

        if (!(L2Penalty >= 0) || !double.IsFinite(L2Penalty))
        {
            throw new ArgumentException($"{nameof(L2Penalty)} must be a finite number of at least 0, not {L2Penalty}.", nameof(L2Penalty));
        }
    }
}
