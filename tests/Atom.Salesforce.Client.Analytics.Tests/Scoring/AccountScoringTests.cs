using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Accounts;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

/// <summary>Contact engagement, account score and cross-sell on hand-worked data; today is 2026-07-01.</summary>
public sealed class AccountScoringTests
{
    private const double Tolerance = 1e-9;
    private static readonly DateOnly Today = AccountSample.Today;
    private readonly AccountScoring _scoring = new(AccountSample.Clock());

    /// <summary>
    /// K1 (S1): meeting 5 days ago, call 20, e-mail 40, call 100 days ago; responded to a campaign 30 days ago (and one 400
    /// days ago, one without response); opted out of e-mail. K2 (S3): nothing, do-not-call. K3 (S1): six calls 31–36 days ago.
    /// Deals: Technology S1 won 100 and 300, lost one; S2 won 200. Retail S3 won 400, lost two; S4 lost one. Open: S1 500, S3 125.
    /// </summary>
    private static SalesData Data() => new()
    {
        Accounts =
        [
            new() { Id = "S1", Industry = "Technology", NumberOfEmployees = 100 },
            new() { Id = "S2", Industry = "Technology", NumberOfEmployees = 500 },
            new() { Id = "S3", Industry = "Retail", NumberOfEmployees = 100 },
            new() { Id = "S4", Industry = "Retail", NumberOfEmployees = 3000 },
        ],
        Contacts =
        [
            new() { Id = "K1", AccountId = "S1", HasOptedOutOfEmail = true },
            new() { Id = "K2", AccountId = "S3", DoNotCall = true },
            new() { Id = "K3", AccountId = "S1" },
        ],
        Activities =
        [
            Activity("a1", "K1", ActivityKind.Event, "Meeting", 5),
            Activity("a2", "K1", ActivityKind.Task, "Call", 20),
            Activity("a3", "K1", ActivityKind.Task, "Email", 40),
            Activity("a4", "K1", ActivityKind.Task, "Call", 100),
            Activity("a5", "K1", ActivityKind.Task, "Call", -3),
            .. Enumerable.Range(31, 6).Select(d => Activity($"k3-{d}", "K3", ActivityKind.Task, "Call", d)),
        ],
        CampaignMembers =
        [
            new() { Id = "m1", CampaignId = "c1", ContactId = "K1", HasResponded = true, CreatedDate = AccountSample.At(Today.AddDays(-30)) },
            new() { Id = "m2", CampaignId = "c2", ContactId = "K1", HasResponded = true, CreatedDate = AccountSample.At(Today.AddDays(-400)) },
            new() { Id = "m3", CampaignId = "c3", ContactId = "K1", HasResponded = false, CreatedDate = AccountSample.At(Today.AddDays(-10)) },
        ],
        Opportunities =
        [
            Deal("d1", "S1", 100, won: true), Deal("d2", "S1", 300, won: true), Deal("d3", "S1", 50, won: false),
            Deal("d4", "S2", 200, won: true),
            Deal("d5", "S3", 400, won: true), Deal("d6", "S3", 50, won: false), Deal("d7", "S3", 50, won: false),
            Deal("d8", "S4", 50, won: false),
            new() { Id = "o1", AccountId = "S1", StageName = "Prospecting", Amount = 500 },
            new() { Id = "o2", AccountId = "S3", StageName = "Prospecting", Amount = 125 },
        ],
    };

    [Fact]
    public void Contact_engagement_adds_recency_frequency_kinds_and_responses_and_takes_off_opt_outs()
    {
        var scores = _scoring.ScoreContacts(Data()).ToDictionary(s => s.ContactId);

        // K1: last activity 5 days ago 30; 3 in 90 days (a4 is older, a5 planned) 15; meeting + call + e-mail 20; one recent response 10; opted out −10.
        var k1 = scores["K1"];
        Assert.Equal(65, k1.Score, Tolerance);
        Assert.Equal(
            [("recency", 30.0), ("activity_kinds", 20.0), ("frequency", 15.0), ("campaign_responses", 10.0), ("email_opt_out", -10.0)],
            k1.Reasons.Select(r => (r.Factor, r.Impact)));
        Assert.Equal("Recent meeting, call, e-mail", k1.Reasons[1].Description);
        // K3: 31 days ago 10; six in 90 days 30, capped at 25; calls only 5.
        Assert.Equal(40, scores["K3"].Score, Tolerance);
        // K2: nothing but do-not-call: −10, clamped at 0.
        Assert.Equal(0, scores["K2"].Score, Tolerance);
        Assert.Equal("do_not_call", Assert.Single(scores["K2"].Reasons).Factor);
        Assert.Equal(["K1", "K3", "K2"], _scoring.ScoreContacts(Data()).Select(s => s.ContactId));
    }

    [Fact]
    public void Account_score_adds_fit_engagement_and_pipeline()
    {
        var scores = _scoring.ScoreAccounts(Data()).ToDictionary(s => s.AccountId);

        // Industry win rates: Technology 3 of 4, Retail 1 of 4 (best 3/4). Size bands: Small (S1, S3) 3 of 6; Mid-market and
        // Enterprise have fewer than 3 closed deals. Average won deal (100 + 300 + 200 + 400) ÷ 4 = 250.
        // S1: fit 20 + 20; engagement (65 + 40) ÷ 2 × 0.3 = 15.75; pipeline 30 × min(1, 500/250) = 30.
        var s1 = scores["S1"];
        Assert.Equal(40, s1.Fit, Tolerance);
        Assert.Equal(15.75, s1.Engagement, Tolerance);
        Assert.Equal(30, s1.Pipeline, Tolerance);
        Assert.Equal(85.75, s1.Score, Tolerance);
        // S3: fit 20 × (1/4) ÷ (3/4) + 20; engagement 0 (K2 scores 0); pipeline 30 × 125/250.
        Assert.Equal((20 / 3.0) + 20 + 15, scores["S3"].Score, Tolerance);
        Assert.Equal(["size_fit", "pipeline", "industry_fit", "engagement"], scores["S3"].Reasons.Select(r => r.Factor));
        // S2: Technology 20; Mid-market too few closed deals 0; no contacts, no pipeline.
        Assert.Equal(20, scores["S2"].Score, Tolerance);
        Assert.Equal("Size band Mid-market has fewer than 3 closed deals", scores["S2"].Reasons.Single(r => r.Factor == "size_fit").Description);
    }

    [Theory]
    [InlineData(null, "Unknown")]
    [InlineData(199, "Small")]
    [InlineData(200, "Mid-market")]
    [InlineData(1999, "Mid-market")]
    [InlineData(2000, "Enterprise")]
    public void Size_bands(int? employees, string band) => Assert.Equal(band, AccountScoring.SizeBand(employees));

    /// <summary>
    /// Technology, small: T1 won New Customer (from a Webinar campaign) and Upgrade (Partner Referral); T2 New Customer and
    /// Upgrade (Partner Referral); T3 New Customer; T4 New Customer and Upgrade; T5 New Customer; X nothing. Retail, small:
    /// R1 New Customer (Web) and Upgrade; R2 New Customer (Web). Seven accounts won something: New Customer 7, Upgrade 4,
    /// Partner Referral 2, Web 2, Webinar 1.
    /// </summary>
    private static SalesData CrossSellData() => new()
    {
        Accounts = [.. new[] { "T1", "T2", "T3", "T4", "T5", "X" }.Select(id => new AccountRecord { Id = id, Industry = "Technology", NumberOfEmployees = 50 }),
            .. new[] { "R1", "R2" }.Select(id => new AccountRecord { Id = id, Industry = "Retail", NumberOfEmployees = 50 })],
        Campaigns = [new() { Id = "CMP1", Type = "Webinar" }],
        Opportunities =
        [
            Won("T1", "New Customer", campaign: "CMP1"), Won("T1", "Existing Customer - Upgrade", "Partner Referral"),
            Won("T2", "New Customer"), Won("T2", "Existing Customer - Upgrade", "Partner Referral"),
            Won("T3", "New Customer"),
            Won("T4", "New Customer"), Won("T4", "Existing Customer - Upgrade"),
            Won("T5", "New Customer"),
            Won("R1", "New Customer", "Web"), Won("R1", "Existing Customer - Upgrade"),
            Won("R2", "New Customer", "Web"),
            new() { Id = "open", AccountId = "T3", StageName = "Prospecting", Type = "Existing Customer - Downgrade" },
        ],
    };

    [Fact]
    public void Cross_sell_recommends_what_similar_accounts_won_with_support_and_lift()
    {
        var recommendations = _scoring.RecommendCrossSell(CrossSellData());

        // T3's peers: T1, T2, T4, T5. Partner Referral: 2 of 4 = 0.5 against 2 of 7 overall → lift 1.75.
        // Upgrade: 3 of 4 = 0.75 against 4 of 7 → lift 1.3125. Webinar: 1 peer, below the support of 2.
        var t3 = recommendations.Where(r => r.AccountId == "T3").ToList();
        Assert.Equal([(CrossSellKind.LeadSource, "Partner Referral"), (CrossSellKind.OpportunityType, "Existing Customer - Upgrade")], t3.Select(r => (r.Kind, r.Value)));
        Assert.Equal((2, 4, 0.5), (t3[0].Support, t3[0].Peers, t3[0].Confidence));
        Assert.Equal(1.75, t3[0].Lift, Tolerance);
        Assert.Equal((3, 4, 0.75), (t3[1].Support, t3[1].Peers, t3[1].Confidence));
        Assert.Equal(1.3125, t3[1].Lift, Tolerance);
        Assert.Equal("3 of 4 similar accounts (Technology, Small) won deals of type Existing Customer - Upgrade; lift 1.31", t3[1].Reason);

        // X never won: peers T1–T5. Partner Referral 2/5 ÷ 2/7 = 1.4; Upgrade 3/5 ÷ 4/7 = 1.05; New Customer 5/5 ÷ 7/7 = 1.
        Assert.Equal([1.4, 1.05, 1.0], recommendations.Where(r => r.AccountId == "X").Select(r => Math.Round(r.Lift, 9)));
        // T1 and T2 already won all their peers have (the Webinar has one peer only); R2's one peer is below the support.
        Assert.DoesNotContain(recommendations, r => r.AccountId is "T1" or "T2" or "R1" or "R2");
    }

    [Fact]
    public void Cross_sell_thresholds_are_configurable_and_validated()
    {
        var loose = _scoring.RecommendCrossSell(CrossSellData(), new CrossSellOptions { MinimumSupport = 1, MaximumPerAccount = 1 });

        // R2's single peer R1 won an Upgrade: 1/1 against 4/7 → lift 1.75.
        var r2 = Assert.Single(loose, r => r.AccountId == "R2");
        Assert.Equal("Existing Customer - Upgrade", r2.Value);
        Assert.Equal(1.75, r2.Lift, Tolerance);
        Assert.Single(loose, r => r.AccountId == "X");

        Assert.Throws<ArgumentException>(() => _scoring.RecommendCrossSell(CrossSellData(), new CrossSellOptions { MinimumSupport = 0 }));
        Assert.Throws<ArgumentException>(() => _scoring.RecommendCrossSell(CrossSellData(), new CrossSellOptions { MinimumLift = double.NaN }));
        Assert.Throws<ArgumentException>(() => _scoring.RecommendCrossSell(CrossSellData(), new CrossSellOptions { MaximumPerAccount = 0 }));
    }

    [Fact]
    public void Score_bundles_the_three()
    {
        var report = _scoring.Score(Data());

        Assert.Equal(3, report.Contacts.Count);
        Assert.Equal("S1", report.Accounts[0].AccountId);
        Assert.Empty(report.CrossSell);
    }

    private static ActivityRecord Activity(string id, string who, ActivityKind kind, string type, int daysAgo) => new()
    {
        Id = id, WhoId = who, Kind = kind, Type = type, ActivityDate = Today.AddDays(-daysAgo), IsClosed = kind == ActivityKind.Task,
    };

    private static OpportunityRecord Deal(string id, string account, decimal amount, bool won) => new()
    {
        Id = id, AccountId = account, StageName = won ? "Closed Won" : "Closed Lost", Amount = amount, IsClosed = true, IsWon = won, CloseDate = Today.AddDays(-50),
    };

    private static int _next;

    [Fact]
    public async Task Null_arguments_are_refused_before_any_call()
    {
        Assert.Throws<ArgumentNullException>(() => _scoring.Score(null!));
        Assert.Throws<ArgumentNullException>(() => _scoring.ScoreContacts(null!));
        Assert.Throws<ArgumentNullException>(() => _scoring.ScoreAccounts(null!));
        Assert.Throws<ArgumentNullException>(() => _scoring.RecommendCrossSell(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _scoring.ScoreAsync((SalesforceClient)null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _scoring.ScoreAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: TestContext.Current.CancellationToken));
    }

    private static OpportunityRecord Won(string account, string type, string? source = null, string? campaign = null) => new()
    {
        Id = $"w{Interlocked.Increment(ref _next)}", AccountId = account, StageName = "Closed Won", Type = type, LeadSource = source, CampaignId = campaign,
        IsClosed = true, IsWon = true, Amount = 100, CloseDate = Today.AddDays(-10),
    };
}
