using Atom.Salesforce.Client.Analytics.Data;
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
        // The sample's history rows carry no Probability: what Salesforce showed falls back to the stage default.
        Assert.Equal(
            (report.StageDefault.Count, report.StageDefault.Auc, report.StageDefault.BrierScore),
            (report.SalesforceProbability.Count, report.SalesforceProbability.Auc, report.SalesforceProbability.BrierScore));
        Assert.True(report.Model.BrierScore < report.SalesforceProbability.BrierScore);

        var byId = report.Predictions.ToDictionary(p => p.OpportunityId);
        Assert.Equal(3, byId.Count);
        var partnerScore = byId[partner.Deal.Id];
        var purchasedScore = byId[purchased.Deal.Id];
        var pushedScore = byId[pushed.Deal.Id];
        // Planted: 70 % against 12 % by source; pushed deals win 0.35 times as often.
        Assert.True(partnerScore.Probability > purchasedScore.Probability + 0.2, $"{partnerScore.Probability:F3} vs {purchasedScore.Probability:F3}");
        Assert.True(pushedScore.Probability < partnerScore.Probability - 0.15, $"{pushedScore.Probability:F3} vs {partnerScore.Probability:F3}");
        Assert.Equal(0.1, partnerScore.StageDefaultProbability, 10);
        Assert.Equal(0.1, partnerScore.SalesforceProbability, 10);

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
        Assert.Equal(new TimelinePoint("Qualification", t0.AddDays(5).UtcTicks, 1, null, null), timeline.AsOf(t0.AddDays(12).UtcTicks, "x", t0.UtcTicks));
        // Day 31: in Proposal since day 20; Feb 28 → Feb 15 pulls in (no push), → Mar 15 pushes again.
        Assert.Equal(new TimelinePoint("Proposal/Price Quote", t0.AddDays(20).UtcTicks, 2, null, null), timeline.AsOf(t0.AddDays(31).UtcTicks, "x", t0.UtcTicks));
        // Before the first row: the first stage, entered at creation.
        Assert.Equal(new TimelinePoint("Prospecting", t0.AddDays(-1).UtcTicks, 0, null, null), timeline.AsOf(t0.AddDays(-2).UtcTicks, "x", t0.AddDays(-1).UtcTicks));
        // No rows at all: the stage the deal shows, nothing else known.
        Assert.Equal(new TimelinePoint("x", 7, 0, null, null), DealTimeline.Create([], new HashSet<string>()).AsOf(100, "x", 7));
    }

    [Fact]
    public void A_snapshot_takes_the_amount_and_the_probability_of_the_history_row_in_force_not_the_final_ones()
    {
        // Created at 120,000 in Prospecting (10 %); Qualification on day 10 (20 %, the stage default); on day 20 the rep cut
        // the amount to 90,000 and set the probability to 35 %; lost on day 45 and zeroed out. Its final Amount (0) and
        // Probability (0) must appear in no snapshot.
        var created = WinProbabilitySample.Now.AddDays(-400);
        const string id = "006000000000001AAA";
        var deal = new OpportunityRecord
        {
            Id = id, StageName = "Closed Lost", IsClosed = true, Amount = 0, Probability = 0, CreatedDate = created, CloseDate = DateOnly.FromDateTime(created.AddDays(45).UtcDateTime),
        };
        var timeline = DealTimeline.Create(
        [
            new() { OpportunityId = id, StageName = "Closed Lost", Amount = 0, Probability = 0, CreatedDate = created.AddDays(45) },
            new() { OpportunityId = id, StageName = "Prospecting", Amount = 120_000, Probability = 10, CreatedDate = created },
            new() { OpportunityId = id, StageName = "Qualification", Amount = 120_000, Probability = 20, CreatedDate = created.AddDays(10) },
            new() { OpportunityId = id, StageName = "Qualification", Amount = 90_000, Probability = 35, CreatedDate = created.AddDays(20) },
        ], new HashSet<string> { "Closed Lost" });
        var stages = StageProbabilities.Resolve(new Dictionary<string, double> { ["Prospecting"] = 10, ["Qualification"] = 20 }, [deal], fallback: 0.5);

        var snapshots = WinProbabilityScoring.Snapshots(deal, timeline, [1, 7, 14, 30, 60], WinProbabilitySample.Now, stages, null, [], 0.5, -1)
            .Select(s => (s.Stage, s.Amount, s.ShownProbability, s.StageProbability, s.DaysInStage, s.AgeDays))
            .ToList();

        // Day 60 is after the close: no snapshot.
        Assert.Equal(
        [
            ("Prospecting", 120_000d, 0.10, 0.10, 1d, 1d),
            ("Prospecting", 120_000d, 0.10, 0.10, 7d, 7d),
            ("Qualification", 120_000d, 0.20, 0.20, 4d, 14d),
            ("Qualification", 90_000d, 0.35, 0.20, 20d, 30d),
        ], snapshots.Select(s => (s.Stage, s.Amount!.Value, Math.Round(s.ShownProbability, 10), Math.Round(s.StageProbability, 10), s.DaysInStage, s.AgeDays)));
    }

    [Fact]
    public void Both_baselines_are_scored_on_the_held_out_snapshots_with_the_probability_shown_at_each()
    {
        // Held out (half the ids): H1 won, shown 10 % until a rep set 60 % on day 10 (still Prospecting); H2 lost, shown
        // 10 % until set to 50 % on day 20. Snapshots at days 1, 7, 14, 30.
        //   Shown:         H1 0.1, 0.1, 0.6, 0.6 (won)  → (0.81 + 0.81 + 0.16 + 0.16); H2 0.1, 0.1, 0.1, 0.5 (lost) → (0.01 + 0.01 + 0.01 + 0.25)
        //                  Brier = 2.22 / 8 = 0.2775
        //   Stage default: all 0.1 → (4 × 0.81 + 4 × 0.01) / 8 = 0.41
        var created = WinProbabilitySample.Now.AddDays(-400);
        var ids = Enumerable.Range(0, 200).Select(i => $"006000000000{i:D3}AAA").ToList();
        var heldOut = ids.Where(i => HoldoutSplit.IsHeldOut(i, 0.5)).Take(2).ToList();
        var training = ids.Where(i => !HoldoutSplit.IsHeldOut(i, 0.5)).Take(4).ToList();
        var opportunities = new List<OpportunityRecord>
        {
            Closed(heldOut[0], created, won: true),
            Closed(heldOut[1], created, won: false),
        };
        var history = new List<OpportunityHistoryRecord>
        {
            Row(heldOut[0], created, 0, "Prospecting", 10),
            Row(heldOut[0], created, 10, "Prospecting", 60),
            Row(heldOut[0], created, 40, "Closed Won", 100),
            Row(heldOut[1], created, 0, "Prospecting", 10),
            Row(heldOut[1], created, 20, "Prospecting", 50),
            Row(heldOut[1], created, 35, "Closed Lost", 0),
        };
        for (var i = 0; i < training.Count; i++)
        {
            opportunities.Add(Closed(training[i], created, won: i % 2 == 0));
            history.Add(Row(training[i], created, 0, "Prospecting", 10));
            history.Add(Row(training[i], created, 40, i % 2 == 0 ? "Closed Won" : "Closed Lost", i % 2 == 0 ? 100 : 0));
        }

        var report = _scoring.Analyze(
            new SalesData { Opportunities = opportunities, OpportunityHistory = history },
            new WinProbabilityQuery { HoldoutFraction = 0.5, SnapshotAges = [1, 7, 14, 30], StageProbabilities = new Dictionary<string, double> { ["Prospecting"] = 10 } });

        Assert.Equal((4, 16, 2), (report.TrainingDeals, report.TrainingSnapshots, report.HeldOutDeals));
        Assert.Equal((8, 8, 8), (report.Model.Count, report.SalesforceProbability.Count, report.StageDefault.Count));
        Assert.Equal(0.2775, report.SalesforceProbability.BrierScore, 10);
        Assert.Equal(0.41, report.StageDefault.BrierScore, 10);
    }

    [Fact]
    public void The_model_learns_nothing_from_an_amount_changed_at_close()
    {
        // The outcome is a coin toss; the amount while open is drawn the same way for won and lost deals, but at close the
        // org zeroes lost deals and discounts won ones. Read from the final amount, it would give every outcome away (Brier
        // near 0); read as of each snapshot it carries nothing, and the model can do no better than the base rate (0.25).
        var random = new Random(11);
        var created = WinProbabilitySample.Now.AddDays(-500);
        var opportunities = new List<OpportunityRecord>();
        var history = new List<OpportunityHistoryRecord>();
        for (var i = 0; i < 400; i++)
        {
            var id = $"006{i:D12}AAA";
            var won = random.NextDouble() < 0.5;
            var amount = 10_000m + (random.Next(90) * 1_000m);
            var closedOn = 30 + random.Next(30);
            opportunities.Add(Closed(id, created, won) with { Amount = won ? amount * 0.8m : 0 });
            history.Add(Row(id, created, 0, "Prospecting", 10) with { Amount = amount });
            history.Add(Row(id, created, 10, "Qualification", 20) with { Amount = amount });
            history.Add(Row(id, created, closedOn, won ? "Closed Won" : "Closed Lost", won ? 100 : 0) with { Amount = won ? amount * 0.8m : 0 });
        }

        var report = _scoring.Analyze(new SalesData { Opportunities = opportunities, OpportunityHistory = history });

        Assert.True(report.Model.BrierScore > 0.2, $"model {report.Model.BrierScore:F4}");
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
        await Assert.ThrowsAsync<ArgumentNullException>(() => _scoring.AnalyzeAsync((SalesforceClient)null!, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _scoring.AnalyzeAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: ct));

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

    private static OpportunityHistoryRecord Row(string id, DateTimeOffset created, int day, string stage, double probability) => new()
    {
        OpportunityId = id, StageName = stage, Amount = 1_000, Probability = probability, CreatedDate = created.AddDays(day),
    };

    private static IEnumerable<OpportunityHistoryRecord> History(string id, DateTimeOffset created, int closedOnDay, string closedStage)
    {
        yield return new OpportunityHistoryRecord { OpportunityId = id, StageName = "Prospecting", CreatedDate = created };
        yield return new OpportunityHistoryRecord { OpportunityId = id, StageName = closedStage, CreatedDate = created.AddDays(closedOnDay) };
    }
}
