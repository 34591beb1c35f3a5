using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>Won revenue in one period, beside the same period a year earlier.</summary>
public sealed record PeriodRevenue
{
    [JsonConstructor]
    internal PeriodRevenue()
    {
    }

    /// <summary>The period's key: <c>2026-03</c>, <c>2026-Q1</c> or <c>2026</c>.</summary>
    public string Period { get; init; } = string.Empty;

    /// <summary>Its first day.</summary>
    public DateOnly Start { get; init; }

    /// <summary>Its last day.</summary>
    public DateOnly End { get; init; }

    /// <summary>The amount of deals won (by close date) in the period.</summary>
    public double WonRevenue { get; init; }

    /// <summary>How many deals were won in it.</summary>
    public int WonCount { get; init; }

    /// <summary>The amount won in the same period a year earlier.</summary>
    public double PriorYearRevenue { get; init; }

    /// <summary>
    /// (<see cref="WonRevenue"/> − <see cref="PriorYearRevenue"/>) ÷ <see cref="PriorYearRevenue"/>: 0.25 is
    /// 25% growth; null when nothing was won a year earlier.
    /// </summary>
    public double? YearOverYearChange { get; init; }
}

/// <summary>One weighted part of an account's health score.</summary>
public sealed record HealthComponent
{
    [JsonConstructor]
    internal HealthComponent()
    {
    }

    /// <summary>
    /// <c>activity_recency</c>, <c>activity_frequency</c>, <c>open_pipeline</c>, <c>win_rate</c> or <c>engaged_contacts</c>.
    /// </summary>
    public string Factor { get; init; } = string.Empty;

    /// <summary>The most points the part can give (its weight scaled so that all weights add up to 100).</summary>
    public double Weight { get; init; }

    /// <summary>How much of those points the account earned, 0–1.</summary>
    public double Value { get; init; }

    /// <summary><see cref="Weight"/> × <see cref="Value"/>.</summary>
    public double Points { get; init; }

    /// <summary>The fact behind the value, in words.</summary>
    public string Reason { get; init; } = string.Empty;
}

/// <summary>
/// An account's health, 0–100: the sum of its <see cref="Components"/>' points. <see cref="Reasons"/> lists the same
/// parts as score reasons whose impact is the points above (or below) half the part's weight, so the parts that lift or
/// drag the score most come first.
/// </summary>
public sealed record AccountHealth
{
    [JsonConstructor]
    internal AccountHealth()
    {
    }

    /// <summary>The score, 0–100.</summary>
    public double Score { get; init; }

    /// <summary>Every part, in a fixed order: recency, frequency, open pipeline, win rate, engaged contacts.</summary>
    public IReadOnlyList<HealthComponent> Components { get; init; } = [];

    /// <summary>The parts as reasons, largest |impact| first.</summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>How likely a customer is to leave, by rule.</summary>
public enum ChurnRiskLevel
{
    /// <summary>No rule fired.</summary>
    None,

    /// <summary>1 risk point.</summary>
    Low,

    /// <summary>2 risk points.</summary>
    Medium,

    /// <summary>3 or more risk points.</summary>
    High,
}

/// <summary>
/// A customer's churn risk: the rules that fired, each with its points, and the level their sum gives. The rules (for
/// accounts with won revenue): no activity in the last 90 days (2 points); won revenue of the last 365 days below that of
/// the 365 days before (1); a deal lost in the last 180 days (1); no open deal (1). 0 points is
/// <see cref="ChurnRiskLevel.None"/>, 1 <see cref="ChurnRiskLevel.Low"/>, 2 <see cref="ChurnRiskLevel.Medium"/>, 3 or more
/// <see cref="ChurnRiskLevel.High"/>.
/// </summary>
public sealed record ChurnRisk
{
    [JsonConstructor]
    internal ChurnRisk()
    {
    }

    /// <summary>The level.</summary>
    public ChurnRiskLevel Level { get; init; }

    /// <summary>The sum of the fired rules' points.</summary>
    public int Points { get; init; }

    /// <summary>
    /// The fired rules (<c>activity_stopped</c>, <c>revenue_declined</c>, <c>recent_losses</c>, <c>no_open_pipeline</c>) with
    /// their points as impact, largest first.
    /// </summary>
    public IReadOnlyList<ScoreReason> Reasons { get; init; } = [];
}

/// <summary>Activities counted by kind. A meeting is an Event, or a Task of type Meeting.</summary>
public sealed record ActivityCounts
{
    [JsonConstructor]
    internal ActivityCounts()
    {
    }

    /// <summary>All activities.</summary>
    public int Total { get; init; }

    /// <summary>Tasks.</summary>
    public int Tasks { get; init; }

    /// <summary>Events.</summary>
    public int Events { get; init; }

    /// <summary>Tasks and events of type Call.</summary>
    public int Calls { get; init; }

    /// <summary>Tasks and events of type Email.</summary>
    public int Emails { get; init; }

    /// <summary>Events that are not calls or e-mails, and tasks of type Meeting.</summary>
    public int Meetings { get; init; }

    /// <summary>Tasks that are closed.</summary>
    public int CompletedTasks { get; init; }
}

/// <summary>How engaged an account is: its activities over three windows ending today, and its contacts.</summary>
public sealed record AccountEngagement
{
    [JsonConstructor]
    internal AccountEngagement()
    {
    }

    /// <summary>The day of its latest activity up to today; null when there is none.</summary>
    public DateOnly? LastActivityDate { get; init; }

    /// <summary>Days from that day to today; null when there is none.</summary>
    public int? DaysSinceLastActivity { get; init; }

    /// <summary>Activities dated in the 30 days up to today (today included).</summary>
    public ActivityCounts Last30Days { get; init; } = new();

    /// <summary>Activities dated in the 90 days up to today.</summary>
    public ActivityCounts Last90Days { get; init; } = new();

    /// <summary>Activities dated in the 365 days up to today.</summary>
    public ActivityCounts Last365Days { get; init; } = new();

    /// <summary>The account's contacts.</summary>
    public int Contacts { get; init; }

    /// <summary>Contacts with an activity in the last 90 days.</summary>
    public int EngagedContacts { get; init; }
}

/// <summary>
/// A customer's lifetime value. Historical: the sum of its won revenue. Predicted: the historical value plus its
/// <see cref="AnnualValue"/> × the org's <see cref="RetentionModel.LifetimeMultiplier"/> (the discounted number of
/// further years a customer is expected to keep buying).
/// </summary>
public sealed record CustomerLifetimeValue
{
    [JsonConstructor]
    internal CustomerLifetimeValue()
    {
    }

    /// <summary>All its won revenue to date.</summary>
    public double HistoricalValue { get; init; }

    /// <summary>Years since its first won deal closed, at least 1.</summary>
    public double CustomerYears { get; init; }

    /// <summary><see cref="HistoricalValue"/> ÷ <see cref="CustomerYears"/>.</summary>
    public double AnnualValue { get; init; }

    /// <summary><see cref="AnnualValue"/> × the lifetime multiplier; null when the org's retention is unknown.</summary>
    public double? PredictedFutureValue { get; init; }

    /// <summary><see cref="HistoricalValue"/> + <see cref="PredictedFutureValue"/>; null likewise.</summary>
    public double? PredictedLifetimeValue { get; init; }
}

/// <summary>One year of the org's customer retention: customers who bought in a year, and how many bought again the next.</summary>
public sealed record RetentionYear
{
    [JsonConstructor]
    internal RetentionYear()
    {
    }

    /// <summary>The year's first day (years are the 365-day windows ending today, today − 365, ...).</summary>
    public DateOnly Start { get; init; }

    /// <summary>Its last day.</summary>
    public DateOnly End { get; init; }

    /// <summary>Accounts with a deal won in the year.</summary>
    public int Customers { get; init; }

    /// <summary>Of those, accounts with a deal won in the following year.</summary>
    public int RetainedNextYear { get; init; }
}

/// <summary>
/// The org's observed customer retention and the lifetime model built on it. Retention r = Σ retained ÷ Σ customers
/// over the <see cref="Years"/> that have a following year. Each further year a customer keeps buying with probability
/// rᵗ and is worth 1 ÷ (1 + d)ᵗ of today, so the <see cref="LifetimeMultiplier"/> is Σ (r ÷ (1 + d))ᵗ for t = 1 to the
/// horizon: the discounted number of years of revenue still to come.
/// </summary>
public sealed record RetentionModel
{
    [JsonConstructor]
    internal RetentionModel()
    {
    }

    /// <summary>Each year with a following year, most recent first.</summary>
    public IReadOnlyList<RetentionYear> Years { get; init; } = [];

    /// <summary>r; null when no year has a following one with customers.</summary>
    public double? RetentionRate { get; init; }

    /// <summary>d.</summary>
    public double DiscountRate { get; init; }

    /// <summary>How many future years are added up.</summary>
    public int HorizonYears { get; init; }

    /// <summary>The discounted expected years to come; null when r is unknown.</summary>
    public double? LifetimeMultiplier { get; init; }
}

/// <summary>Everything the report knows about one account.</summary>
public sealed record AccountInsight
{
    [JsonConstructor]
    internal AccountInsight()
    {
    }

    /// <summary>The account.</summary>
    public string AccountId { get; init; } = string.Empty;

    /// <summary>Its name.</summary>
    public string? Name { get; init; }

    /// <summary>Its industry.</summary>
    public string? Industry { get; init; }

    /// <summary>Its type.</summary>
    public string? Type { get; init; }

    /// <summary>Its owner.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The territory the rules assign.</summary>
    public string Territory { get; init; } = string.Empty;

    /// <summary>True when it has won revenue (any deal won, ever).</summary>
    public bool IsCustomer { get; init; }

    /// <summary>Won revenue with a close date in the query's range.</summary>
    public double WonRevenue { get; init; }

    /// <summary>The amount of its open deals.</summary>
    public double OpenPipeline { get; init; }

    /// <summary>Its open deals.</summary>
    public int OpenCount { get; init; }

    /// <summary>Its won revenue by period, only the periods in range where it or the year before has any.</summary>
    public IReadOnlyList<PeriodRevenue> Growth { get; init; } = [];

    /// <summary>Its health score.</summary>
    public AccountHealth Health { get; init; } = new();

    /// <summary>Its churn risk; null for accounts that are not customers.</summary>
    public ChurnRisk? ChurnRisk { get; init; }

    /// <summary>Its activities and engaged contacts.</summary>
    public AccountEngagement Engagement { get; init; } = new();

    /// <summary>Its lifetime value; null for accounts that are not customers.</summary>
    public CustomerLifetimeValue? LifetimeValue { get; init; }

    /// <summary>
    /// Why it is an expansion candidate (<c>low_pipeline</c>, <c>few_engaged_contacts</c>); empty when it is not.
    /// </summary>
    public IReadOnlyList<ScoreReason> ExpansionReasons { get; init; } = [];
}

/// <summary>Accounts in one territory.</summary>
public sealed record TerritorySummary
{
    [JsonConstructor]
    internal TerritorySummary()
    {
    }

    /// <summary>The territory.</summary>
    public string Territory { get; init; } = string.Empty;

    /// <summary>Accounts assigned to it.</summary>
    public int Accounts { get; init; }

    /// <summary>Their won revenue in the query's range.</summary>
    public double WonRevenue { get; init; }

    /// <summary>Their open pipeline.</summary>
    public double OpenPipeline { get; init; }
}

/// <summary>Accounts in one group of the summary.</summary>
public sealed record AccountGroup
{
    [JsonConstructor]
    internal AccountGroup()
    {
    }

    /// <summary>The group's value (industry, type, owner id or territory); null for accounts without one.</summary>
    public string? Key { get; init; }

    /// <summary>Accounts in the group.</summary>
    public int Accounts { get; init; }

    /// <summary>Of those, accounts with won revenue.</summary>
    public int Customers { get; init; }

    /// <summary>Their won revenue in the query's range.</summary>
    public double WonRevenue { get; init; }

    /// <summary>Their open pipeline.</summary>
    public double OpenPipeline { get; init; }

    /// <summary>Their mean health score.</summary>
    public double AverageHealth { get; init; }
}

/// <summary>An account report over the accounts an <see cref="AccountQuery"/> selects.</summary>
public sealed record AccountReport
{
    [JsonConstructor]
    internal AccountReport()
    {
    }

    /// <summary>The first close date covered; null for all.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>The last close date covered; null for all.</summary>
    public DateOnly? End { get; init; }

    /// <summary>The period growth is bucketed by.</summary>
    public CalendarPeriod GrowthPeriod { get; init; }

    /// <summary>
    /// Won revenue per period with its year-over-year change, every period from the first to the last: of the range (up to
    /// today's period; a range wholly in the future keeps its first period), or of the won deals when there is none. Today's
    /// period is partial.
    /// </summary>
    public IReadOnlyList<PeriodRevenue> Growth { get; init; } = [];

    /// <summary>Won revenue in range, all selected accounts.</summary>
    public double WonRevenue { get; init; }

    /// <summary>Open pipeline of all selected accounts.</summary>
    public double OpenPipeline { get; init; }

    /// <summary>Every selected account, healthiest first.</summary>
    public IReadOnlyList<AccountInsight> Accounts { get; init; } = [];

    /// <summary>Customers with a churn risk above none, riskiest first (then largest lifetime revenue).</summary>
    public IReadOnlyList<AccountInsight> ChurnRisks { get; init; } = [];

    /// <summary>Expansion candidates, largest annual value first.</summary>
    public IReadOnlyList<AccountInsight> ExpansionCandidates { get; init; } = [];

    /// <summary>The summary by <see cref="AccountQuery.GroupBy"/>, largest won revenue first.</summary>
    public IReadOnlyList<AccountGroup> Groups { get; init; } = [];

    /// <summary>The summary per territory, largest won revenue first.</summary>
    public IReadOnlyList<TerritorySummary> Territories { get; init; } = [];

    /// <summary>The org's retention and the lifetime value model.</summary>
    public RetentionModel Retention { get; init; } = new();
}
