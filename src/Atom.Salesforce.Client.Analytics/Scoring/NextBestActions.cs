using System.Globalization;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// Next best actions for accounts, open opportunities and open leads from an ordered rule set
/// (<see cref="NextBestActionRules"/>): at most one action per record, from the first rule that fires on it, each with
/// the rule's name, the facts it fired on and a priority. Thread-safe; registered by <c>.AddAnalytics()</c>.
/// </summary>
public class NextBestActions
{
    internal const SalesDataParts Parts = AccountAnalytics.Parts | SalesDataParts.Leads;

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the rules engine with the clock that decides "today".</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public NextBestActions(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>For mocking frameworks: the rules engine on the system clock.</summary>
    protected NextBestActions()
        : this(null)
    {
    }

    /// <summary>Loads accounts, opportunities, contacts, activities and leads (one query each, at once) and proposes actions.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="rules">The rules; null for <see cref="NextBestActionRules.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<IReadOnlyList<NextBestAction>> RecommendAsync(SalesforceClient client, NextBestActionRules? rules = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var data = await SalesDataLoader.LoadAsync(client, Parts, cancellationToken).ConfigureAwait(false);
        return Recommend(data, rules);
    }

    /// <summary>Reads accounts, opportunities, contacts, activities and leads from <paramref name="source"/> (Salesforce or a mirror of it) and proposes actions.</summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="rules">The rules; null for <see cref="NextBestActionRules.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<IReadOnlyList<NextBestAction>> RecommendAsync(ISalesDataSource source, NextBestActionRules? rules = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var data = await source.LoadAsync(Parts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Recommend(data, rules);
    }

    /// <summary>Proposes the next best action of each account, open opportunity and open lead a rule fires on, most urgent first.</summary>
    /// <param name="data">Opportunities, leads and activities; accounts and contacts too for the account rules.</param>
    /// <param name="rules">The rules; null for <see cref="NextBestActionRules.Default"/>.</param>
    /// <param name="accounts">
    /// An account report to read churn risk and expansion candidates from; null to compute one over all accounts (only
    /// when a rule needs it).
    /// </param>
    public virtual IReadOnlyList<NextBestAction> Recommend(SalesData data, NextBestActionRules? rules = null, AccountReport? accounts = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        rules ??= NextBestActionRules.Default;
        var today = Periods.Today(_timeProvider);
        var actions = new List<NextBestAction>();

        // Last activity day per record it is about (WhatId) and per person (WhoId), past activities only.
        var lastByWhat = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var touchedWho = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in data.Activities)
        {
            var day = Periods.DayOf(a);
            if (day > today)
            {
                continue;
            }

            if (a.WhatId is { } what && (!lastByWhat.TryGetValue(what, out var known) || day > known))
            {
                lastByWhat[what] = day;
            }

            if (a.WhoId is { } who)
            {
                touchedWho.Add(who);
            }
        }

        foreach (var o in data.Opportunities)
        {
            if (o.IsClosed)
            {
                continue;
            }

            foreach (var rule in rules.Rules)
            {
                if (OpportunityAction(rule, o, today, lastByWhat) is { } action)
                {
                    actions.Add(action);
                    break;
                }
            }
        }

        foreach (var lead in data.Leads)
        {
            if (lead.IsConverted || (lead.Status?.StartsWith("Closed", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                continue;
            }

            foreach (var rule in rules.Rules)
            {
                if (LeadAction(rule, lead, today, touchedWho) is { } action)
                {
                    actions.Add(action);
                    break;
                }
            }
        }

        if (rules.Rules.Any(r => r.Trigger is NextBestActionTrigger.ChurnRisk or NextBestActionTrigger.ExpansionCandidate))
        {
            accounts ??= new AccountAnalytics(_timeProvider).Analyze(data);
            foreach (var account in accounts.Accounts)
            {
                foreach (var rule in rules.Rules)
                {
                    if (AccountAction(rule, account) is { } action)
                    {
                        actions.Add(action);
                        break;
                    }
                }
            }
        }

        actions.Sort(static (a, b) => a.Priority != b.Priority
            ? b.Priority.CompareTo(a.Priority)
            : a.Target != b.Target ? a.Target.CompareTo(b.Target) : string.CompareOrdinal(a.TargetId, b.TargetId));
        return actions;
    }

    private static NextBestAction? OpportunityAction(NextBestActionRule rule, OpportunityRecord o, DateOnly today, Dictionary<string, DateOnly> lastByWhat)
    {
        switch (rule.Trigger)
        {
            case NextBestActionTrigger.StaleOpportunity:
            {
                var hasActivity = lastByWhat.TryGetValue(o.Id, out var last);
                var since = hasActivity ? last : Periods.DayOf(o.CreatedDate);
                var days = today.DayNumber - since.DayNumber;
                if (days < rule.Days)
                {
                    return null;
                }

                var reason = hasActivity
                    ? string.Create(CultureInfo.InvariantCulture, $"No activity on the open deal for {days} days (last on {last:yyyy-MM-dd}; the rule allows {rule.Days})")
                    : string.Create(CultureInfo.InvariantCulture, $"No activity on the open deal since it was created {days} days ago (the rule allows {rule.Days})");
                return Action(ActionTarget.Opportunity, o.Id, rule, reason, new Dictionary<string, string>
                {
                    ["stage"] = o.StageName,
                    ["last_activity"] = hasActivity ? string.Create(CultureInfo.InvariantCulture, $"{last:yyyy-MM-dd}") : "none",
                    ["days_without_activity"] = string.Create(CultureInfo.InvariantCulture, $"{days}"),
                });
            }

            case NextBestActionTrigger.CloseDatePassed:
            {
                if (o.CloseDate >= today)
                {
                    return null;
                }

                var overdue = today.DayNumber - o.CloseDate.DayNumber;
                return Action(ActionTarget.Opportunity, o.Id, rule, string.Create(CultureInfo.InvariantCulture, $"The close date {o.CloseDate:yyyy-MM-dd} passed {overdue} days ago and the deal is still open"),
                    new Dictionary<string, string>
                    {
                        ["stage"] = o.StageName,
                        ["close_date"] = string.Create(CultureInfo.InvariantCulture, $"{o.CloseDate:yyyy-MM-dd}"),
                        ["days_overdue"] = string.Create(CultureInfo.InvariantCulture, $"{overdue}"),
                    });
            }

            default:
                return null;
        }
    }

    private static NextBestAction? LeadAction(NextBestActionRule rule, LeadRecord lead, DateOnly today, HashSet<string> touchedWho)
    {
        if (rule.Trigger != NextBestActionTrigger.HotLeadNotContacted
            || !string.Equals(lead.Rating, "Hot", StringComparison.OrdinalIgnoreCase)
            || touchedWho.Contains(lead.Id))
        {
            return null;
        }

        var age = today.DayNumber - Periods.DayOf(lead.CreatedDate).DayNumber;
        if (age < rule.Days)
        {
            return null;
        }

        return Action(ActionTarget.Lead, lead.Id, rule, string.Create(CultureInfo.InvariantCulture, $"Hot lead created {age} days ago with no activity logged (the rule allows {rule.Days})"),
            new Dictionary<string, string>
            {
                ["rating"] = lead.Rating!,
                ["status"] = lead.Status ?? "",
                ["days_since_created"] = string.Create(CultureInfo.InvariantCulture, $"{age}"),
                ["activities"] = "0",
            });
    }

    private static NextBestAction? AccountAction(NextBestActionRule rule, AccountInsight account)
    {
        switch (rule.Trigger)
        {
            case NextBestActionTrigger.ChurnRisk when account.ChurnRisk is { } risk && risk.Level >= rule.MinimumChurnRisk:
                return Action(ActionTarget.Account, account.AccountId, rule,
                    string.Create(CultureInfo.InvariantCulture, $"Churn risk {risk.Level}: {string.Join("; ", risk.Reasons.Select(r => r.Description))}"),
                    new Dictionary<string, string>
                    {
                        ["churn_risk"] = risk.Level.ToString(),
                        ["churn_points"] = string.Create(CultureInfo.InvariantCulture, $"{risk.Points}"),
                        ["churn_rules"] = string.Join(",", risk.Reasons.Select(r => r.Factor)),
                    });
            case NextBestActionTrigger.ExpansionCandidate when account.ExpansionReasons.Count > 0:
                return Action(ActionTarget.Account, account.AccountId, rule,
                    string.Create(CultureInfo.InvariantCulture, $"Healthy customer (health {account.Health.Score:0}): {string.Join("; ", account.ExpansionReasons.Select(r => r.Description))}"),
                    new Dictionary<string, string>
                    {
                        ["health"] = string.Create(CultureInfo.InvariantCulture, $"{account.Health.Score:0.#}"),
                        ["open_pipeline"] = string.Create(CultureInfo.InvariantCulture, $"{account.OpenPipeline:0.##}"),
                        ["expansion_reasons"] = string.Join(",", account.ExpansionReasons.Select(r => r.Factor)),
                    });
            default:
                return null;
        }
    }

    private static NextBestAction Action(ActionTarget target, string id, NextBestActionRule rule, string reason, Dictionary<string, string> facts) =>
        new()
        {
            Target = target,
            TargetId = id,
            Rule = rule.Name,
            Action = rule.Action,
            Priority = rule.Priority,
            Reason = reason,
            Facts = facts,
        };

}
