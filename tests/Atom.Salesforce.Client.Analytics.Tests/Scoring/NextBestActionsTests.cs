using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Accounts;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

/// <summary>Which rules fire and which do not, on hand-made records; today is 2026-07-01.</summary>
public sealed class NextBestActionsTests
{
    private static readonly DateOnly Today = AccountSample.Today;
    private readonly NextBestActions _actions = new(AccountSample.Clock());

    /// <summary>
    /// OP1: open, last activity 20 days ago. OP2: open, activity 3 days ago, close date 5 days ago. OP3: open, created 5 days
    /// ago, no activity. OP4: open, created 40 days ago, no activity, close date yesterday. OP5: closed long ago.
    /// L1: Hot, 3 days old, no activity. L2: Hot, 1 day old. L3: Hot, 10 days old, called. L4: Warm, 10 days old. L5: Hot, converted.
    /// </summary>
    private static SalesData Data() => new()
    {
        Opportunities =
        [
            Open("OP1", created: 30, close: -10),
            Open("OP2", created: 30, close: 5),
            Open("OP3", created: 5, close: -30),
            Open("OP4", created: 40, close: 1),
            new() { Id = "OP5", StageName = "Closed Won", IsClosed = true, IsWon = true, CloseDate = Today.AddDays(-300), CreatedDate = AccountSample.At(Today.AddDays(-400)) },
        ],
        Leads =
        [
            Lead("L1", "Hot", 3), Lead("L2", "Hot", 1), Lead("L3", "Hot", 10), Lead("L4", "Warm", 10),
            Lead("L5", "Hot", 10) with { IsConverted = true, Status = "Closed - Converted" },
        ],
        Activities =
        [
            new() { Id = "a1", WhatId = "OP1", ActivityDate = Today.AddDays(-20) },
            new() { Id = "a2", WhatId = "OP2", ActivityDate = Today.AddDays(-3) },
            new() { Id = "a3", WhoId = "L3", ActivityDate = Today.AddDays(-9) },
            new() { Id = "a4", WhatId = "OP4", ActivityDate = Today.AddDays(2) },
        ],
    };

    [Fact]
    public void The_default_rules_fire_on_stale_deals_passed_close_dates_and_hot_leads_not_contacted()
    {
        var actions = _actions.Recommend(Data());

        // Urgent first (L1), then high (OP1, OP4 stale), then normal (OP2 close date). OP3 (5 days old), L2 (1 day), L3 (called),
        // L4 (warm), L5 (converted) and OP5 (closed) get nothing. OP4 is stale and overdue: stale-deal comes first in the rules.
        Assert.Equal(
            [("L1", "hot-lead-not-contacted"), ("OP1", "stale-deal"), ("OP4", "stale-deal"), ("OP2", "close-date-passed")],
            actions.Select(a => (a.TargetId, a.Rule)));
        var l1 = actions[0];
        Assert.Equal((ActionTarget.Lead, "Call the lead", ActionPriority.Urgent), (l1.Target, l1.Action, l1.Priority));
        Assert.Equal("3", l1.Facts["days_since_created"]);
        Assert.Equal("20", actions[1].Facts["days_without_activity"]);
        Assert.Equal(Today.AddDays(-20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), actions[1].Facts["last_activity"]);
        // OP4's only activity is planned in two days: it counts from creation.
        Assert.Equal("none", actions[2].Facts["last_activity"]);
        Assert.Equal("40", actions[2].Facts["days_without_activity"]);
        Assert.Equal("5", actions[3].Facts["days_overdue"]);
        Assert.Equal("The close date 2026-06-26 passed 5 days ago and the deal is still open", actions[3].Reason);
    }

    [Fact]
    public void Rule_order_decides_which_action_a_record_gets_and_thresholds_are_configurable()
    {
        var rules = new NextBestActionRules(
        [
            new() { Name = "fix-close", Trigger = NextBestActionTrigger.CloseDatePassed, Action = "Update the close date", Priority = ActionPriority.Low },
            new() { Name = "stale-30", Trigger = NextBestActionTrigger.StaleOpportunity, Days = 30, Action = "Call", Priority = ActionPriority.High },
            new() { Name = "hot-5", Trigger = NextBestActionTrigger.HotLeadNotContacted, Days = 5, Action = "Call the lead" },
        ]);

        var actions = _actions.Recommend(Data(), rules);

        // OP4 now gets fix-close (first in order); OP1 (20 days) is not stale at 30; L1 (3 days) not yet due at 5.
        Assert.Equal([("OP2", "fix-close"), ("OP4", "fix-close")], actions.Select(a => (a.TargetId, a.Rule)).Order());
        Assert.All(actions, a => Assert.Equal(ActionPriority.Low, a.Priority));
    }

    [Fact]
    public void Account_rules_read_churn_risk_and_expansion_from_the_account_analytics()
    {
        var rules = new NextBestActionRules(
        [
            new() { Name = "churn-risk", Trigger = NextBestActionTrigger.ChurnRisk, MinimumChurnRisk = ChurnRiskLevel.High, Action = "Executive check-in", Priority = ActionPriority.High },
            new() { Name = "expansion", Trigger = NextBestActionTrigger.ExpansionCandidate, Action = "Propose an upgrade" },
        ]);

        // In the account sample A2 (5 points) and A4 (4) are at high churn risk and A1 is an expansion candidate.
        var actions = _actions.Recommend(AccountSample.Data(), rules);

        Assert.Equal([("A2", "churn-risk"), ("A4", "churn-risk"), ("A1", "expansion")], actions.Select(a => (a.TargetId, a.Rule)));
        Assert.Equal("5", actions[0].Facts["churn_points"]);
        Assert.StartsWith("Churn risk High: No activity in the last 90 days", actions[0].Reason, StringComparison.Ordinal);
        Assert.Equal("few_engaged_contacts", actions[2].Facts["expansion_reasons"]);

        // An account report passed in is used as is: with a stricter expansion bar nobody is a candidate.
        var report = new AccountAnalytics(AccountSample.Clock()).Analyze(AccountSample.Data(), new AccountQuery { ExpansionMinimumHealth = 99 });
        Assert.DoesNotContain(_actions.Recommend(AccountSample.Data(), rules, report), a => a.Rule == "expansion");
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(14, true)]
    public void A_deal_is_stale_from_exactly_the_rules_day_count(int daysSinceActivity, bool fires)
    {
        var data = new SalesData
        {
            Opportunities = [Open("OP", created: 100, close: -30)],
            Activities = [new() { Id = "a", WhatId = "OP", ActivityDate = Today.AddDays(-daysSinceActivity) }],
        };

        var actions = _actions.Recommend(data);

        Assert.Equal(fires, actions.Any(a => a.Rule == "stale-deal"));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void A_hot_lead_is_due_a_call_from_exactly_the_rules_day_count(int ageDays, bool fires)
    {
        var actions = _actions.Recommend(new SalesData { Leads = [Lead("L", "hot", ageDays)] });

        Assert.Equal(fires, actions.Any(a => a.Rule == "hot-lead-not-contacted"));
    }

    [Fact]
    public void Invalid_rule_sets_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new NextBestActionRules([Rule("a"), Rule("A")]));
        Assert.Throws<ArgumentException>(() => new NextBestActionRules([Rule(" ")]));
        Assert.Throws<ArgumentException>(() => new NextBestActionRules([Rule("a") with { Action = "" }]));
        Assert.Throws<ArgumentException>(() => new NextBestActionRules([Rule("a") with { Days = -1 }]));
        Assert.Throws<ArgumentException>(() => new NextBestActionRules([Rule("a") with { Trigger = NextBestActionTrigger.ChurnRisk, MinimumChurnRisk = ChurnRiskLevel.None }]));
        Assert.Equal(5, NextBestActionRules.Default.Rules.Count);
    }

    private static NextBestActionRule Rule(string name) => new() { Name = name, Trigger = NextBestActionTrigger.CloseDatePassed, Action = "Do it" };

    private static OpportunityRecord Open(string id, int created, int close) => new()
    {
        Id = id, StageName = "Qualification", Amount = 1000, CreatedDate = AccountSample.At(Today.AddDays(-created)), CloseDate = Today.AddDays(-close),
    };

    [Fact]
    public async Task Null_arguments_are_refused_before_any_call()
    {
        Assert.Throws<ArgumentNullException>(() => _actions.Recommend(null!));
        Assert.Throws<ArgumentNullException>(() => new NextBestActionRules(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _actions.RecommendAsync((SalesforceClient)null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _actions.RecommendAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: TestContext.Current.CancellationToken));
    }

    private static LeadRecord Lead(string id, string rating, int ageDays) => new()
    {
        Id = id, Rating = rating, Status = "Open - Not Contacted", CreatedDate = AccountSample.At(Today.AddDays(-ageDays)),
    };
}
