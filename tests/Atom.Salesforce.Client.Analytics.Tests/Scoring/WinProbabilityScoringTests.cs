using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.DependencyInjection;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

public sealed class WinProbabilityScoringTests
{
    private readonly WinProbabilityScoring _scoring = new(new FakeTimeProvider(WinProbabilitySample.Now));

    [Fact]
    public void Learns_the_planted_lead_source_and_close_date_push_signals_and_beats_the_stage_default()
    {
        var sample = WinProbabilitySample.Create(3_000, seed: 5);
        var partner = WinProbabilitySample.OpenDeal("006900000000001AAA", "Partner Referral", pushes: 0);
        var purchased = WinProbabilitySample.OpenDeal("006900000000002AAA", "Purchased List", pushes: 0);
        var pushed = WinProbabilitySample.OpenDeal("006900000000003AAA", "Partner Referral", pushes: 2);
        var data = new SalesData
        {
            Opportunities = [.. sample.Opportunities, partner.Deal, purchased.Deal, pushed.Deal],
            OpportunityHistory = [.. sample.OpportunityHistory, .. partner.History, .. purchased.History, .. pushed.History],
        };

        var report = _scoring.Analyze(data);

        Assert.True(report.Model.BrierScore < report.StageDefault.BrierScore, $"model {report.Model.BrierScore:F4} vs stage {report.StageDefault.BrierScore:F4}");
        Assert.True(report.Model.Auc > report.StageDefault.Auc);
        Assert.True(report.HeldOutDeals > 500);
        Assert.Equal(report.Model.Count, report.StageDefault.Count);

        var byId = report.Predictions.ToDictionary(p => p.OpportunityId);
        Assert.Equal(3, byId.Count);
        var partnerScore = byId[partner.Deal.Id];
        var purchasedScore = byId[purchased.Deal.Id];
        var pushedScore = byId[pushed.Deal.Id];
        // Planted: 70 % against 12 % by source; pushed deals win 0.35 times as often.
        Assert.True(partnerScore.Probability > purchasedScore.Probability + 0.2, $"{partnerScore.Probability:F3} vs {purchasedScore.Probability:F3}");
        Assert.True(pushedScore.Probability < partnerScore.Probability - 0.15, $"{pushedScore.Probability:F3} vs {partnerScore.Probability:F3}");
        Assert.Equal(0.1, partnerScore.StageDefaultProbability, 10);

        var source = Assert.Single(partnerScore.Reasons, r => r.Factor == "lead_source");
        Assert.True(source.Impact > 0);
        Assert.Equal("Lead source Partner Referral", source.Description);
        Assert.True(Assert.Single(purchasedScore.Reasons, r => r.Factor == "lead_source").Impact < 0);
        var push = Assert.Single(pushedScore.Reasons, r => r.Factor == "close_date_pushes");
        Assert.True(push.Impact < 0);
        Assert.Equal("Close date pushed 2 times", push.Description);
        foreach (var score in report.Predictions)
        {
            Assert.Equal(score.Reasons.OrderByDescending(r => Math.Abs(r.Impact)).Select(r => r.Factor), score.Reasons.Select(r => r.Factor));
        }
    }

    [Fact]
    public void Closed_deals_are_rebuilt_at_each_snapshot_age_before_they_closed()
    {
        // A closes on day 20 (ages 1, 7, 14: 3 snapshots), B on day 100 (1, 7, 14, 30, 60, 90: 6), C on day 40 (1, 7, 14,
        // 30: 4). Nothing is held out. 13 snapshots, none at or after a close.
        var created = WinProbabilitySample.Now.AddDays(-400);
        var data = new SalesData
        {
            Opportunities =
            [
                Closed("006000000000001AAA", created, won: true),
                Closed("006000000000002AAA", created, won: false),
                Closed("006000000000003AAA", created, won: false),
            ],
            OpportunityHistory =
            [
                .. History("006000000000001AAA", created, 20, "Closed Won"),
                .. History("006000000000002AAA", created, 100, "Closed Lost"),
                .. History("006000000000003AAA", created, 40, "Closed Lost"),
            ],
        };

        var report = _scoring.Analyze(data, new WinProbabilityQuery { HoldoutFraction = 0 });

        Assert.Equal(3, report.TrainingDeals);
        Assert.Equal(13, report.TrainingSnapshots);
        Assert.Equal(0, report.HeldOutDeals);
        Assert.Equal(0, report.Model.Count);
        Assert.Empty(report.Predictions);
    }

    [Fact]
    public void A_timeline_reads_stage_entry_and_close_date_pushes_as_of_a_moment()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = new List<OpportunityHistoryRecord>
        {
            // Out of order on purpose: the timeline sorts.
            new() { OpportunityId = "o", StageName = "Qualification", CloseDate = new(2026, 2, 28), CreatedDate = t0.AddDays(10) },
            new() { OpportunityId = "o", StageName = "Prospecting", CloseDate = new(2026, 1, 31), CreatedDate = t0 },
            new() { OpportunityId = "o", StageName = "Qualification", CloseDate = new(2026, 1, 31), CreatedDate = t0.AddDays(5) },
            new() { OpportunityId = "o", StageName = "Proposal/Price Quote", CloseDate = new(2026, 2, 15), CreatedDate = t0.AddDays(20) },
            new() { OpportunityId = "o", StageName = "Proposal/Price Quote", CloseDate = new(2026, 3, 15), CreatedDate = t0.AddDays(30) },
            new() { OpportunityId = "o", StageName = "Closed Won", CloseDate = new(2026, 3, 10), CreatedDate = t0.AddDays(40) },
        };

        var timeline = DealTimeline.Create(rows, new HashSet<string> { "Closed Won" });

        Assert.Equal(t0.AddDays(40).UtcTicks, timeline.ClosedAt);
        // Day 12: in Qualification since day 5; the close date moved from Jan 31 to Feb 28 once.
        Assert.Equal(("Qualification", t0.AddDays(5).UtcTicks, 1), timeline.AsOf(t0.AddDays(12).UtcTicks, "x", t0.UtcTicks));
        // Day 31: in Proposal since day 20; Feb 28 → Feb 15 pulls in (no push), → Mar 15 pushes again.
        Assert.Equal(("Proposal/Price Quote", t0.AddDays(20).UtcTicks, 2), timeline.AsOf(t0.AddDays(31).UtcTicks, "x", t0.UtcTicks));
        // Before the first row: the first stage, entered at creation.
        Assert.Equal(("Prospecting", t0.AddDays(-1).UtcTicks, 0), timeline.AsOf(t0.AddDays(-2).UtcTicks, "x", t0.AddDays(-1).UtcTicks));
    }

    [Fact]
    public void Stage_probabilities_come_from_the_table_then_open_deals_then_salesforce_defaults()
    {
        OpportunityRecord[] deals =
        [
            new() { Id = "1", StageName = "Discovery", Probability = 15 },
            new() { Id = "2", StageName = "Discovery", Probability = 15 },
            new() { Id = "3", StageName = "Discovery", Probability = 40 },
            new() { Id = "4", StageName = "Prospecting", Probability = 35 },
            new() { Id = "5", StageName = "Won", Probability = 100, IsClosed = true, IsWon = true },
        ];

        var stages = StageProbabilities.Resolve(new Dictionary<string, double> { ["Prospecting"] = 5 }, deals, fallback: 0.3);

        Assert.Equal(0.05, stages.Of("Prospecting"), 10);        // the table wins over the open deal's 35
        Assert.Equal(0.15, stages.Of("Discovery"), 10);          // the most common value among open deals
        Assert.Equal(0.75, stages.Of("Proposal/Price Quote"), 10); // Salesforce's default
        Assert.Equal(0.3, stages.Of("Unknown"), 10);             // the fallback
    }

    [Fact]
    public void Too_few_or_one_sided_closed_deals_give_a_clear_error()
    {
        var created = WinProbabilitySample.Now.AddDays(-400);
        var data = new SalesData
        {
            Opportunities = [Closed("006000000000001AAA", created, won: true)],
            OpportunityHistory = [.. History("006000000000001AAA", created, 20, "Closed Won")],
        };

        var error = Assert.Throws<InvalidOperationException>(() => _scoring.Analyze(data));
        Assert.Contains("1 won and 0 lost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_rejected_before_any_query()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Throws<ArgumentNullException>(() => _scoring.Analyze(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _scoring.Analyze(SalesData.Empty, new WinProbabilityQuery { HoldoutFraction = 1 }));
        Assert.Throws<ArgumentException>(() => _scoring.Analyze(SalesData.Empty, new WinProbabilityQuery { SnapshotAges = [] }));
        Assert.Throws<ArgumentException>(() => _scoring.Analyze(SalesData.Empty, new WinProbabilityQuery { StageProbabilities = new Dictionary<string, double> { ["A"] = 120 } }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _scoring.AnalyzeAsync(null!, cancellationToken: ct));

        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "client").AddAnalytics();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("nobody");
        await Assert.ThrowsAsync<ArgumentException>(() => _scoring.ScoreAsync(client, "not an id", ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _scoring.AnalyzeAsync(client, new WinProbabilityQuery { Regularization = double.NaN }, ct));
        // Registered by AddAnalytics, once.
        Assert.Same(provider.GetRequiredService<WinProbabilityScoring>(), provider.GetRequiredService<WinProbabilityScoring>());
        Assert.NotNull(provider.GetRequiredService<Analytics.Duplicates.DuplicateDetector>());
    }

    private static OpportunityRecord Closed(string id, DateTimeOffset created, bool won) => new()
    {
        Id = id,
        StageName = won ? "Closed Won" : "Closed Lost",
        IsClosed = true,
        IsWon = won,
        CreatedDate = created,
        Amount = 1_000,
        LeadSource = "Web",
    };

    private static IEnumerable<OpportunityHistoryRecord> History(string id, DateTimeOffset created, int closedOnDay, string closedStage)
    {
        yield return new OpportunityHistoryRecord { OpportunityId = id, StageName = "Prospecting", CreatedDate = created };
        yield return new OpportunityHistoryRecord { OpportunityId = id, StageName = closedStage, CreatedDate = created.AddDays(closedOnDay) };
    }
}
