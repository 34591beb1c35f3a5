using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// How engaged a contact is, 0–100, with its reasons. Points: last activity with the contact within 14 days 30, within
/// 30 days 20, within 90 days 10; 5 per activity in the last 90 days (at most 25); kinds of activity in the last 90 days:
/// a meeting 10, a call 5, an e-mail 5; 10 per campaign responded to among those it joined in the last 365 days (campaign
/// members by CreatedDate, at most 25); opted out of
/// e-mail −10 and do-not-call −10 (less reachable). Clamped to 0–100.
/// </summary>
public sealed record ContactEngagementScore
{
    [JsonConstructor]
    internal ContactEngagementScore()
    {
    }

    /// <summary>The contact.</summary>
    public string ContactId { get; init; } = string.Empty;

    /// <summary>Its account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The score, 0–100.</summary>
    public double Score { get; init; }

    /// <summary>
    /// The factors (<c>recency</c>, <c>frequency</c>, <c>activity_kinds</c>, <c>campaign_responses</c>, <c>email_opt_out</c>,
    /// <c>do_not_call</c>) with their points, largest |impact| first; factors that gave no points are left out.
    /// </summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>
/// How promising an account is, 0–100: fit (up to 40: its industry's and its size band's win rates in the org, each
/// against the best industry or band, 20 points each), engagement (up to 30: the mean engagement score of its three most
/// engaged contacts × 0.3) and pipeline (up to 30: its open pipeline against the org's average won deal, capped at 1).
/// Unlike the account health score, which measures the state of a relationship (recency, frequency, win rate), the
/// account score ranks any account, prospects included, by who it is (fit) as well as by what is happening.
/// </summary>
public sealed record AccountScore
{
    [JsonConstructor]
    internal AccountScore()
    {
    }

    /// <summary>The account.</summary>
    public string AccountId { get; init; } = string.Empty;

    /// <summary>Fit + engagement + pipeline.</summary>
    public double Score { get; init; }

    /// <summary>The fit points, 0–40.</summary>
    public double Fit { get; init; }

    /// <summary>The engagement points, 0–30.</summary>
    public double Engagement { get; init; }

    /// <summary>The pipeline points, 0–30.</summary>
    public double Pipeline { get; init; }

    /// <summary>
    /// <c>industry_fit</c>, <c>size_fit</c>, <c>engagement</c> and <c>pipeline</c> with their points, largest first.
    /// </summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>What a cross-sell recommendation recommends.</summary>
public enum CrossSellKind
{
    /// <summary>An opportunity Type, for example <c>Existing Customer - Upgrade</c>.</summary>
    OpportunityType,

    /// <summary>A LeadSource that won deals come from.</summary>
    LeadSource,

    /// <summary>The Type of the campaign that sourced won deals, for example <c>Webinar</c>.</summary>
    CampaignType,
}

/// <summary>
/// A cross-sell recommendation: something similar accounts (same industry and size band, with won deals) won and this
/// account has not. This is association counting, not a prediction: <see cref="Confidence"/> is the share of the
/// peers that won it, and <see cref="Lift"/> how much likelier that is among the peers than among all accounts with
/// won deals (above 1: the peers favour it).
/// </summary>
public sealed record CrossSellRecommendation
{
    [JsonConstructor]
    internal CrossSellRecommendation()
    {
    }

    /// <summary>The account.</summary>
    public string AccountId { get; init; } = string.Empty;

    /// <summary>What is recommended.</summary>
    public CrossSellKind Kind { get; init; }

    /// <summary>The type, source or campaign type.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>How many peers won it.</summary>
    public int Support { get; init; }

    /// <summary>How many peers there are (same industry and size band, with won deals, the account left out).</summary>
    public int Peers { get; init; }

    /// <summary><see cref="Support"/> ÷ <see cref="Peers"/>.</summary>
    public double Confidence { get; init; }

    /// <summary><see cref="Confidence"/> ÷ the share of all accounts with won deals that won it.</summary>
    public double Lift { get; init; }

    /// <summary>The same in words.</summary>
    public string Reason { get; init; } = string.Empty;
}

/// <summary>Thresholds of the cross-sell recommendations.</summary>
public sealed class CrossSellOptions
{
    /// <summary>The fewest peers that must have won a thing for it to be recommended; 2 by default.</summary>
    public int MinimumSupport { get; init; } = 2;

    /// <summary>The lowest lift recommended; 1 by default (at least as common among peers as overall).</summary>
    public double MinimumLift { get; init; } = 1;

    /// <summary>The most recommendations per account, best lift first; 3 by default.</summary>
    public int MaximumPerAccount { get; init; } = 3;

    internal void Validate()
    {
        if (MinimumSupport < 1)
        {
            throw new ArgumentException($"The minimum support must be at least 1, not {MinimumSupport}.", "options");
        }

        if (!double.IsFinite(MinimumLift) || MinimumLift < 0)
        {
            throw new ArgumentException($"The minimum lift must be a number of at least 0, not {MinimumLift}.", "options");
        }

        if (MaximumPerAccount < 1)
        {
            throw new ArgumentException($"The maximum per account must be at least 1, not {MaximumPerAccount}.", "options");
        }
    }
}

/// <summary>Contact engagement scores, account scores and cross-sell recommendations of one org.</summary>
public sealed record AccountScoringReport
{
    [JsonConstructor]
    internal AccountScoringReport()
    {
    }

    /// <summary>Every contact, most engaged first.</summary>
    public IReadOnlyList<ContactEngagementScore> Contacts { get; init; } = [];

    /// <summary>Every account, highest score first.</summary>
    public IReadOnlyList<AccountScore> Accounts { get; init; } = [];

    /// <summary>Recommendations, by account, best lift first.</summary>
    public IReadOnlyList<CrossSellRecommendation> CrossSell { get; init; } = [];
}
