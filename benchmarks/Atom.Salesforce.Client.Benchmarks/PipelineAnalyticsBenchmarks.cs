using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// The whole pipeline report (open pipeline by stage, win rate, cycle, deal size percentiles and histogram, funnel,
/// conversion and median days per stage, velocity, at-risk deals) over 1,000,000 generated opportunities with about
/// 4.8 million history rows (the expectation of the generator's rules). Baseline: the same metrics written the obvious way with LINQ GroupBy over the records.
/// Floor: one plain pass summing every array the report reads.
/// </summary>
[MemoryDiagnoser]
public class PipelineAnalyticsBenchmarks
{
    private const int Opportunities = 1_000_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly PipelineAnalytics _analytics = new(new FixedClock(Now));
    private List<OpportunityRecord> _records = [];
    private List<OpportunityHistoryRecord> _history = [];
    private OpportunitySet _set = null!;
    private PipelineQuery _halfTheOwners = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var stages = StageDefinition.SalesforceDefaults;
        string[] owners = [.. Enumerable.Range(0, 40).Select(i => $"005000000000{i:D3}AAA")];
        string[] sources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];
        string[] forecasts = ["Pipeline", "Best Case", "Commit"];
        for (var i = 0; i < Opportunities; i++)
        {
            var id = $"006{i:D12}AAA";
            var created = Now.AddDays(-random.Next(1, 730)).AddHours(-random.Next(0, 24));
            var outcome = random.Next(100);
            var furthest = random.Next(0, 8);
            var at = created;
            var close = DateOnly.FromDateTime(created.AddDays(60).UtcDateTime);
            for (var s = 0; s <= furthest; s++)
            {
                if (s is 4 or 5 && random.Next(3) == 0)
                {
                    continue;
                }

                if (random.Next(10) == 0)
                {
                    close = close.AddDays(random.Next(14, 45));
                }

                _history.Add(new OpportunityHistoryRecord { OpportunityId = id, StageName = stages[s].Name, CloseDate = close, CreatedDate = at });
                at = at.AddDays(random.Next(2, 30));
                if (at > Now)
                {
                    at = Now;
                    outcome = 0;
                    break;
                }
            }

            var stage = outcome < 40 ? stages[furthest] : outcome < 65 ? stages[8] : stages[9];
            if (stage.IsClosed)
            {
                close = DateOnly.FromDateTime(at.UtcDateTime);
                _history.Add(new OpportunityHistoryRecord { OpportunityId = id, StageName = stage.Name, CloseDate = close, CreatedDate = at });
            }

            _records.Add(new OpportunityRecord
            {
                Id = id,
                StageName = stage.Name,
                Amount = random.Next(10) == 0 ? null : 500 + (random.Next(1, 2_000) * 50m),
                Probability = stage.IsWon ? 100 : stage.IsClosed ? 0 : (furthest + 1) * 10,
                CloseDate = close,
                CreatedDate = created,
                IsClosed = stage.IsClosed,
                IsWon = stage.IsWon,
                OwnerId = owners[random.Next(owners.Length)],
                LeadSource = sources[random.Next(sources.Length)],
                Type = random.Next(3) == 0 ? "Existing Customer - Upgrade" : "New Customer",
                ForecastCategoryName = stage.IsClosed ? (stage.IsWon ? "Closed" : "Omitted") : forecasts[random.Next(forecasts.Length)],
            });
        }

        _set = OpportunitySet.Create(_records, _history);
        _halfTheOwners = new PipelineQuery { Owners = [.. owners.Where((_, i) => i % 2 == 0)], GroupBy = PipelineDimension.Owner };
    }

    [Benchmark(Baseline = true, Description = "naive LINQ GroupBy (baseline)")]
    public object NaiveLinq()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var open = _records.Where(o => !o.IsClosed).ToList();
        var byStage = open.GroupBy(o => o.StageName)
            .Select(g => (g.Key, g.Count(), g.Sum(o => (double)(o.Amount ?? 0)), g.Sum(o => (double)(o.Amount ?? 0) * (o.Probability ?? 0) / 100)))
            .ToList();
        var won = _records.Where(o => o.IsWon).ToList();
        var lost = _records.Count(o => o.IsClosed && !o.IsWon);
        var winRate = won.Count / (double)(won.Count + lost);
        var cycles = won.Select(o => (double)(o.CloseDate.DayNumber - DateOnly.FromDateTime(o.CreatedDate.UtcDateTime).DayNumber)).OrderBy(d => d).ToList();
        var sizes = won.Where(o => o.Amount is not null).Select(o => (double)o.Amount!.Value).OrderBy(a => a).ToList();
        double[] bins = [0, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];
        var histogram = sizes.GroupBy(a => bins.Last(b => b <= a)).ToDictionary(g => g.Key, g => g.Count());
        var percentiles = new[] { 0.25, 0.5, 0.75, 0.9 }.Select(p => sizes[(int)(p * (sizes.Count - 1))]).ToList();
        var perDeal = _history.GroupBy(h => h.OpportunityId).Select(g => g.OrderBy(h => h.CreatedDate).ToList()).ToList();
        var stays = perDeal.SelectMany(rows => rows.Zip(rows.Skip(1)).Where(p => p.First.StageName != p.Second.StageName)
                .Select(p => (p.First.StageName, Days: (p.Second.CreatedDate - p.First.CreatedDate).TotalDays)))
            .GroupBy(s => s.StageName)
            .Select(g => (g.Key, g.Average(s => s.Days), g.Select(s => s.Days).OrderBy(d => d).ElementAt(g.Count() / 2)))
            .ToList();
        var reached = perDeal.SelectMany(rows => rows.Select(r => r.StageName).Distinct()).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var lastChange = perDeal.ToDictionary(rows => rows[0].OpportunityId, rows => rows.Last(r => r.StageName == rows[^1].StageName).CreatedDate);
        var atRisk = open.Where(o => o.CloseDate < today || (lastChange.TryGetValue(o.Id, out var at) && (Now - at).TotalDays >= 30))
            .OrderByDescending(o => o.Amount).Take(50).ToList();
        var velocity = open.Count * winRate * sizes.Average() / cycles.Average();
        return (byStage, winRate, cycles[cycles.Count / 2], histogram, percentiles, stays, reached, atRisk, velocity);
    }

    [Benchmark(Description = "PipelineAnalytics.Analyze (columnar)")]
    public PipelineReport Columnar() => _analytics.Analyze(_set);

    [Benchmark(Description = "Analyze, half the owners, grouped by owner")]
    public PipelineReport ColumnarFiltered() => _analytics.Analyze(_set, _halfTheOwners);

    [Benchmark(Description = "plain sum over the same arrays (floor)")]
    public double PlainSum()
    {
        var s = _set;
        double sum = 0;
        long count = 0;
        for (var i = 0; i < s.Count; i++)
        {
            sum += s.Amount[i] + s.Probability[i];
            count += s.Stage[i] + s.CloseDay[i] + s.CreatedDay[i] + s.Flags[i] + s.Owner[i] + s.LeadSource[i] + s.HistoryStart[i];
        }

        for (var h = 0; h < s.HistoryCount; h++)
        {
            count += s.HistoryStage[h] + s.HistoryTicks[h] + s.HistoryCloseDay[h];
        }

        return sum + count;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
