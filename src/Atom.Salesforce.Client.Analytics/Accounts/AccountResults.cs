using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>Won revenue in one period, beside the same period a year earlier.</summary>
/// <param name="Period">The period's key: <c>2026-03</c>, <c>2026-Q1</c> or <c>2026</c>.</param>
/// <param name="Start">Its first day.</param>
/// <param name="End">Its last day.</param>
/// <param name="WonRevenue">The amount of deals won (by close date) in the period.</param>
/// <param name="WonCount">How many deals were won in it.</param>
/// <param name="PriorYearRevenue">The amount won in the same period a year earlier.</param>
/// <param name="YearOverYearChange">
/// (<paramref name="WonRevenue"/> − <paramref name="PriorYearRevenue"/>) ÷ <paramref name="PriorYearRevenue"/>: 0.25 is
/// 25% growth; null when nothing was won a year earlier.
/// </param>
public sealed record PeriodRevenue(string Period, DateOnly Start, DateOnly End, double WonRevenue, int WonCount, double PriorYearRevenue, double? YearOverYearChange);

/// <summary>One weighted part of an account's health score.</summary>
/// <param name="Factor">
/// <c>activity_recency</c>, <c>activity_frequency</c>, <c>open_pipeline</c>, <c>win_rate</c> or <c>engaged_contacts</c>.
/// </param>
/// <param name="Weight">The most points the part can give (its weight scaled so that all weights add up to 100).</param>
/// <param name="Value">How much of those points the account earned, 0–1.</param>
/// <param name="Points"><paramref name="Weight"/> × <paramref name="Value"/>.</param>
/// <param name="Reason">The fact behind the value, in words.</param>
public sealed record HealthComponent(string Factor, double Weight, double Value, double Points, string Reason);

/// <summary>
/// An account's health, 0–100: the sum of its <see cref="Components"/>' points. <see cref="Reasons"/> lists the same
/// parts as score reasons whose impact is the points above (or below) half the part's weight, so the parts that lift or
/// drag the score most come first.
/// </summary>
/// <param name="Score">The score, 0–100.</param>
/// <param name="Components">Every part, in a fixed order: recency, frequency, open pipeline, win rate, engaged contacts.</param>
/// <param name="Reasons">The parts as reasons, largest |impact| first.</param>
public sealed record AccountHealth(double Score, IReadOnlyList<HealthComponent> Components, IReadOnlyList<ScoreReason> Reasons);

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
/// <param name="Level">The level.</param>
/// <param name="Points">The sum of the fired rules' points.</param>
/// <param name="Reasons">
/// The fired rules (<c>activity_stopped</c>, <c>revenue_declined</c>, <c>recent_losses</c>, <c>no_open_pipeline</c>) with
/// their points as impact, largest first.
/// </param>
public sealed record ChurnRisk(ChurnRiskLevel Level, int Points, IReadOnlyList<ScoreReason> Reasons);

/// <summary>Activities counted by kind. A meeting is an Event, or a Task of type Meeting.</summary>
/// <param name="Total">All activities.</param>
/// <param name="Tasks">Tasks.</param>
/// <param name="Events">Events.</param>
/// <param name="Calls">Tasks and events of type Call.</param>
/// <param name="Emails">Tasks and events of type Email.</param>
/// <param name="Meetings">Events that are not calls or e-mails, and tasks of type Meeting.</param>
/// <param name="CompletedTasks">Tasks that are closed.</param>
public sealed record ActivityCounts(int Total, int Tasks, int Events, int Calls, int Emails, int Meetings, int CompletedTasks);

/// <summary>How engaged an account is: its activities over three windows ending today, and its contacts.</summary>
/// <param name="LastActivityDate">The day of its latest activity up to today; null when there is none.</param>
/// <param name="DaysSinceLastActivity">Days from that day to today; null when there is none.</param>
/// <param name="Last30Days">Activities dated in the 30 days up to today (today included).</param>
/// <param name="Last90Days">Activities dated in the 90 days up to today.</param>
/// <param name="Last365Days">Activities dated in the 365 days up to today.</param>
/// <param name="Contacts">The account's contacts.</param>
/// <param name="EngagedContacts">Contacts with an activity in the last 90 days.</param>
public sealed record AccountEngagement(
    DateOnly? LastActivityDate,
    int? DaysSinceLastActivity,
    ActivityCounts Last30Days,
    ActivityCounts Last90Days,
    ActivityCounts Last365Days,
    int Contacts,
    int EngagedContacts);

/// <summary>
/// A customer's lifetime value. Historical: the sum of its won revenue. Predicted: the historical value plus its
/// <paramref name="AnnualValue"/> × the org's <see cref="RetentionModel.LifetimeMultiplier"/> (the discounted number of
/// further years a customer is expected to keep buying).
/// </summary>
/// <param name="HistoricalValue">All its won revenue to date.</param>
/// <param name="CustomerYears">Years since its first won deal closed, at least 1.</param>
/// <param name="AnnualValue"><paramref name="HistoricalValue"/> ÷ <paramref name="CustomerYears"/>.</param>
/// <param name="PredictedFutureValue"><paramref name="AnnualValue"/> × the lifetime multiplier; null when the org's retention is unknown.</param>
/// <param name="PredictedLifetimeValue"><paramref name="HistoricalValue"/> + <paramref name="PredictedFutureValue"/>; null likewise.</param>
public sealed record CustomerLifetimeValue(double HistoricalValue, double CustomerYears, double AnnualValue, double? PredictedFutureValue, double? PredictedLifetimeValue);

/// <summary>One year of the org's customer retention: customers who bought in a year, and how many bought again the next.</summary>
/// <param name="Start">The year's first day (years are the 365-day windows ending today, today − 365, ...).</param>
/// <param name="End">Its last day.</param>
/// <param name="Customers">Accounts with a deal won in the year.</param>
/// <param name="RetainedNextYear">Of those, accounts with a deal won in the following year.</param>
public sealed record RetentionYear(DateOnly Start, DateOnly End, int Customers, int RetainedNextYear);

/// <summary>
/// The org's observed customer retention and the lifetime model built on it. Retention r = Σ retained ÷ Σ customers
/// over the <see cref="Years"/> that have a following year. Each further year a customer keeps buying with probability
/// rᵗ and is worth 1 ÷ (1 + d)ᵗ of today, so the <see cref="LifetimeMultiplier"/> is Σ (r ÷ (1 + d))ᵗ for t = 1 to the
/// horizon: the discounted number of years of revenue still to come.
/// </summary>
/// <param name="Years">Each year with a following year, most recent first.</param>
/// <param name="RetentionRate">r; null when no year has a following one with customers.</param>
/// <param name="DiscountRate">d.</param>
/// <param name="HorizonYears">How many future years are added up.</param>
/// <param name="LifetimeMultiplier">The discounted expected years to come; null when r is unknown.</param>
public sealed record RetentionModel(IReadOnlyList<RetentionYear> Years, double? RetentionRate, double DiscountRate, int HorizonYears, double? LifetimeMultiplier);

/// <summary>Everything the report knows about one account.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Name">Its name.</param>
/// <param name="Industry">Its industry.</param>
/// <param name="Type">Its type.</param>
/// <param name="OwnerId">Its owner.</param>
/// <param name="Territory">The territory the rules assign.</param>
/// <param name="IsCustomer">True when it has won revenue (any deal won, ever).</param>
/// <param name="WonRevenue">Won revenue with a close date in the query's range.</param>
/// <param name="OpenPipeline">The amount of its open deals.</param>
/// <param name="OpenCount">Its open deals.</param>
/// <param name="Growth">Its won revenue by period, only the periods in range where it or the year before has any.</param>
/// <param name="Health">Its health score.</param>
/// <param name="ChurnRisk">Its churn risk; null for accounts that are not customers.</param>
/// <param name="Engagement">Its activities and engaged contacts.</param>
/// <param name="LifetimeValue">Its lifetime value; null for accounts that are not customers.</param>
/// <param name="ExpansionReasons">Why it is an expansion candidate (<c>low_pipeline</c>, <c>few_engaged_contacts</c>); empty when it is not.</param>
public sealed record AccountInsight(
    string AccountId,
    string? Name,
    string? Industry,
    string? Type,
    string? OwnerId,
    string Territory,
    bool IsCustomer,
    double WonRevenue,
    double OpenPipeline,
    int OpenCount,
    IReadOnlyList<PeriodRevenue> Growth,
    AccountHealth Health,
    ChurnRisk? ChurnRisk,
    AccountEngagement Engagement,
    CustomerLifetimeValue? LifetimeValue,
    IReadOnlyList<ScoreReason> ExpansionReasons);

/// <summary>Accounts in one territory.</summary>
/// <param name="Territory">The territory.</param>
/// <param name="Accounts">Accounts assigned to it.</param>
/// <param name="WonRevenue">Their won revenue in the query's range.</param>
/// <param name="OpenPipeline">Their open pipeline.</param>
public sealed record TerritorySummary(string Territory, int Accounts, double WonRevenue, double OpenPipeline);

/// <summary>Accounts in one group of the summary.</summary>
/// <param name="Key">The group's value (industry, type, owner id or territory); null for accounts without one.</param>
/// <param name="Accounts">Accounts in the group.</param>
/// <param name="Customers">Of those, accounts with won revenue.</param>
/// <param name="WonRevenue">Their won revenue in the query's range.</param>
/// <param name="OpenPipeline">Their open pipeline.</param>
/// <param name="AverageHealth">Their mean health score.</param>
public sealed record AccountGroup(string? Key, int Accounts, int Customers, double WonRevenue, double OpenPipeline, double AverageHealth);

/// <summary>An account report over the accounts an <see cref="AccountQuery"/> selects.</summary>
/// <param name="Start">The first close date covered; null for all.</param>
/// <param name="End">The last close date covered; null for all.</param>
/// <param name="GrowthPeriod">The period growth is bucketed by.</param>
/// <param name="Growth">
/// Won revenue per period with its year-over-year change, every period from the first to the last: of the range (up to
/// today's period; a range wholly in the future keeps its first period), or of the won deals when there is none. Today's
/// period is partial.
/// </param>
/// <param name="WonRevenue">Won revenue in range, all selected accounts.</param>
/// <param name="OpenPipeline">Open pipeline of all selected accounts.</param>
/// <param name="Accounts">Every selected account, healthiest first.</param>
/// <param name="ChurnRisks">Customers with a churn risk above none, riskiest first (then largest lifetime revenue).</param>
/// <param name="ExpansionCandidates">Expansion candidates, largest annual value first.</param>
/// <param name="Groups">The summary by <see cref="AccountQuery.GroupBy"/>, largest won revenue first.</param>
/// <param name="Territories">The summary per territory, largest won revenue first.</param>
/// <param name="Retention">The org's retention and the lifetime value model.</param>
public sealed record AccountReport(
    DateOnly? Start,
    DateOnly? End,
    CalendarPeriod GrowthPeriod,
    IReadOnlyList<PeriodRevenue> Growth,
    double WonRevenue,
    double OpenPipeline,
    IReadOnlyList<AccountInsight> Accounts,
    IReadOnlyList<AccountInsight> ChurnRisks,
    IReadOnlyList<AccountInsight> ExpansionCandidates,
    IReadOnlyList<AccountGroup> Groups,
    IReadOnlyList<TerritorySummary> Territories,
    RetentionModel Retention);
