using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

/// <summary>
/// Generated deals with planted signals: Partner Referral deals win far more often than Web and Purchased List ones, and
/// deals whose close date was pushed (twice, in their second and third week) win a third as often. Stages advance every
/// ~10 days; lost deals stop at a random stage. The stage's default probability knows none of this. History rows carry
/// the deal's amount (never changed, and no signal) and no Probability, as data loaded without that column would.
/// </summary>
internal static class WinProbabilitySample
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static readonly string[] Stages =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis",
        "Proposal/Price Quote", "Negotiation/Review",
    ];

    private static readonly (string Source, double WinRate)[] Sources = [("Partner Referral", 0.7), ("Web", 0.3), ("Purchased List", 0.12)];

    public static SalesData Create(int deals, int seed)
    {
        var random = new Random(seed);
        var opportunities = new List<OpportunityRecord>();
        var history = new List<OpportunityHistoryRecord>();
        for (var i = 0; i < deals; i++)
        {
            var id = $"006{i:D12}AAA";
            var (source, rate) = Sources[random.Next(Sources.Length)];
            var pusher = random.NextDouble() < 0.3;
            var won = random.NextDouble() < rate * (pusher ? 0.35 : 1);
            var created = Now.AddDays(-(120 + random.Next(600)));
            var close = DateOnly.FromDateTime(created.AddDays(60).UtcDateTime);
            var lastStage = won ? Stages.Length - 1 : random.Next(Stages.Length);
            var amount = 10_000 + (random.Next(90) * 1_000);
            var at = created;
            for (var s = 0; s <= lastStage; s++)
            {
                history.Add(new OpportunityHistoryRecord { OpportunityId = id, StageName = Stages[s], Amount = amount, CloseDate = close, CreatedDate = at });
                if (pusher && s == 0)
                {
                    close = close.AddDays(30);
                    history.Add(new OpportunityHistoryRecord { OpportunityId = id, StageName = Stages[s], Amount = amount, CloseDate = close, CreatedDate = created.AddDays(9) });
                }

                if (pusher && s == 1)
                {
                    close = close.AddDays(30);
                    history.Add(new OpportunityHistoryRecord { OpportunityId = id, StageName = Stages[s], Amount = amount, CloseDate = close, CreatedDate = created.AddDays(16) });
                }

                at = at.AddDays(8 + random.Next(5));
            }

            var closedOn = DateOnly.FromDateTime(at.UtcDateTime);
            history.Add(new OpportunityHistoryRecord { OpportunityId = id, StageName = won ? "Closed Won" : "Closed Lost", Amount = amount, CloseDate = closedOn, CreatedDate = at });
            opportunities.Add(new OpportunityRecord
            {
                Id = id,
                StageName = won ? "Closed Won" : "Closed Lost",
                Amount = amount,
                Probability = won ? 100 : 0,
                CloseDate = closedOn,
                CreatedDate = created,
                IsClosed = true,
                IsWon = won,
                OwnerId = $"005{random.Next(8):D12}AAA",
                LeadSource = source,
                Type = "New Customer",
            });
        }

        return new SalesData { Opportunities = opportunities, OpportunityHistory = history };
    }

    /// <summary>An open deal 20 days old, in Qualification since day 10, with the given source and close date pushes.</summary>
    public static (OpportunityRecord Deal, OpportunityHistoryRecord[] History) OpenDeal(string id, string source, int pushes)
    {
        var created = Now.AddDays(-20);
        var close = DateOnly.FromDateTime(created.AddDays(60).UtcDateTime);
        var rows = new List<OpportunityHistoryRecord>
        {
            new() { OpportunityId = id, StageName = "Prospecting", CloseDate = close, CreatedDate = created },
        };
        for (var p = 0; p < pushes; p++)
        {
            close = close.AddDays(30);
            rows.Add(new() { OpportunityId = id, StageName = "Prospecting", CloseDate = close, CreatedDate = created.AddDays(3 + p) });
        }

        rows.Add(new() { OpportunityId = id, StageName = "Qualification", CloseDate = close, CreatedDate = created.AddDays(10) });
        var deal = new OpportunityRecord
        {
            Id = id,
            Name = id,
            StageName = "Qualification",
            Amount = 50_000,
            Probability = 10,
            CloseDate = close,
            CreatedDate = created,
            OwnerId = "005000000000000AAA",
            LeadSource = source,
            Type = "New Customer",
        };
        return (deal, [.. rows]);
    }
}
