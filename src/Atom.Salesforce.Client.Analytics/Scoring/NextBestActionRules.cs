using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Analytics.Accounts;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>What a next-best-action rule looks at.</summary>
public enum NextBestActionTrigger
{
    /// <summary>An open opportunity with no activity (WhatId) for <see cref="NextBestActionRule.Days"/> days or more (counted from its creation when it has none).</summary>
    StaleOpportunity,

    /// <summary>An open opportunity whose close date is before today.</summary>
    CloseDatePassed,

    /// <summary>An open lead rated Hot, created <see cref="NextBestActionRule.Days"/> days ago or more, with no activity logged with it (WhoId).</summary>
    HotLeadNotContacted,

    /// <summary>A customer whose churn risk (<see cref="ChurnRisk"/>) is at least <see cref="NextBestActionRule.MinimumChurnRisk"/>.</summary>
    ChurnRisk,

    /// <summary>A customer that is an expansion candidate (see <see cref="AccountAnalytics"/>).</summary>
    ExpansionCandidate,
}

/// <summary>How urgent an action is.</summary>
public enum ActionPriority
{
    /// <summary>When there is time.</summary>
    Low,

    /// <summary>This week.</summary>
    Normal,

    /// <summary>Soon.</summary>
    High,

    /// <summary>Today.</summary>
    Urgent,
}

/// <summary>One rule: when its trigger fires on a record, it proposes its action.</summary>
public sealed record NextBestActionRule
{
    /// <summary>A short unique name, reported with every action the rule proposes, for example <c>stale-deal</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the rule looks at.</summary>
    public required NextBestActionTrigger Trigger { get; init; }

    /// <summary>The action proposed, for example <c>Schedule a call</c>.</summary>
    public required string Action { get; init; }

    /// <summary>How urgent the action is.</summary>
    public ActionPriority Priority { get; init; } = ActionPriority.Normal;

    /// <summary>The day threshold of <see cref="NextBestActionTrigger.StaleOpportunity"/> and <see cref="NextBestActionTrigger.HotLeadNotContacted"/>.</summary>
    public int Days { get; init; }

    /// <summary>The lowest churn risk <see cref="NextBestActionTrigger.ChurnRisk"/> fires on; <see cref="ChurnRiskLevel.Medium"/> by default.</summary>
    public ChurnRiskLevel MinimumChurnRisk { get; init; } = ChurnRiskLevel.Medium;
}

/// <summary>
/// An ordered rule set. For each record (account, open opportunity, open lead) the rules are tried in order and the
/// first one that fires gives the record's next best action, so put the rule you want to win first. Validated when built.
/// </summary>
public sealed class NextBestActionRules
{
    /// <summary>Rules tried in order.</summary>
    /// <exception cref="ArgumentException">A name or action is blank, a name repeats, a trigger is unknown or a day count negative.</exception>
    public NextBestActionRules(IEnumerable<NextBestActionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i] ?? throw new ArgumentException($"Rule {i + 1} is null.", nameof(rules));
            if (string.IsNullOrWhiteSpace(rule.Name) || !names.Add(rule.Name))
            {
                throw new ArgumentException($"Rule {i + 1} needs a unique, non-blank name ('{rule.Name}').", nameof(rules));
            }

            if (string.IsNullOrWhiteSpace(rule.Action))
            {
                throw new ArgumentException($"Rule {rule.Name} has no action.", nameof(rules));
            }

            if (!Enum.IsDefined(rule.Trigger) || !Enum.IsDefined(rule.Priority) || !Enum.IsDefined(rule.MinimumChurnRisk))
            {
                throw new ArgumentException($"Rule {rule.Name} has an unknown trigger, priority or churn level.", nameof(rules));
            }

            if (rule.Days < 0)
            {
                throw new ArgumentException($"Rule {rule.Name} has a negative day count ({rule.Days}).", nameof(rules));
            }

            if (rule.Trigger == NextBestActionTrigger.ChurnRisk && rule.MinimumChurnRisk == ChurnRiskLevel.None)
            {
                throw new ArgumentException($"Rule {rule.Name} would fire on every customer: its minimum churn risk must be above None.", nameof(rules));
            }
        }
    }

    /// <summary>
    /// The default rules, in order: <c>hot-lead-not-contacted</c> (2 days, call the lead, urgent); <c>stale-deal</c>
    /// (14 days, schedule a call, high); <c>close-date-passed</c> (update the close date, normal); <c>churn-risk</c>
    /// (medium or high, executive check-in, high); <c>expansion</c> (propose an upgrade, normal).
    /// </summary>
    public static NextBestActionRules Default { get; } = new(
    [
        new() { Name = "hot-lead-not-contacted", Trigger = NextBestActionTrigger.HotLeadNotContacted, Days = 2, Action = "Call the lead", Priority = ActionPriority.Urgent },
        new() { Name = "stale-deal", Trigger = NextBestActionTrigger.StaleOpportunity, Days = 14, Action = "Schedule a call", Priority = ActionPriority.High },
        new() { Name = "close-date-passed", Trigger = NextBestActionTrigger.CloseDatePassed, Action = "Update the close date", Priority = ActionPriority.Normal },
        new() { Name = "churn-risk", Trigger = NextBestActionTrigger.ChurnRisk, MinimumChurnRisk = ChurnRiskLevel.Medium, Action = "Executive check-in", Priority = ActionPriority.High },
        new() { Name = "expansion", Trigger = NextBestActionTrigger.ExpansionCandidate, Action = "Propose an upgrade", Priority = ActionPriority.Normal },
    ]);

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<NextBestActionRule> Rules { get; }
}

/// <summary>What a next best action is about.</summary>
public enum ActionTarget
{
    /// <summary>An account.</summary>
    Account,

    /// <summary>An open opportunity.</summary>
    Opportunity,

    /// <summary>An open lead.</summary>
    Lead,
}

/// <summary>A proposed action, with the rule that fired and the facts it fired on.</summary>
public sealed record NextBestAction
{
    [JsonConstructor]
    internal NextBestAction()
    {
    }

    /// <summary>What kind of record it is about.</summary>
    public ActionTarget Target { get; init; }

    /// <summary>The record.</summary>
    public string TargetId { get; init; } = string.Empty;

    /// <summary>The name of the rule that fired.</summary>
    public string Rule { get; init; } = string.Empty;

    /// <summary>What to do.</summary>
    public string Action { get; init; } = string.Empty;

    /// <summary>How urgent it is.</summary>
    public ActionPriority Priority { get; init; }

    /// <summary>Why, in words.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The facts the rule read, by name (for example <c>days_without_activity</c> = <c>21</c>).</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();
}
