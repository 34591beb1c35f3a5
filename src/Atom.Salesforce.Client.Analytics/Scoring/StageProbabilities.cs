using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>One row of the org's OpportunityStage table: a stage and the probability Salesforce gives deals in it.</summary>
internal sealed class OpportunityStageRecord
{
    public string? ApiName { get; set; }

    public double? DefaultProbability { get; set; }
}

/// <summary>
/// The default probability (0–1) of each stage: the baseline the model must beat, and its stage feature. Sources, first
/// found wins per stage: the caller's table (or the org's OpportunityStage rows), the most common Probability among the
/// open deals in the stage (Salesforce fills it from the stage unless a rep overrode it), Salesforce's defaults for the
/// standard stage names.
/// </summary>
internal sealed class StageProbabilities
{
    internal const string StageQuery = "SELECT ApiName, DefaultProbability FROM OpportunityStage";

    /// <summary>Salesforce's default sales process.</summary>
    private static readonly Dictionary<string, double> SalesforceDefaults = new(StringComparer.Ordinal)
    {
        ["Prospecting"] = 10, ["Qualification"] = 10, ["Needs Analysis"] = 20, ["Value Proposition"] = 50,
        ["Id. Decision Makers"] = 60, ["Perception Analysis"] = 70, ["Proposal/Price Quote"] = 75, ["Negotiation/Review"] = 90,
        ["Closed Won"] = 100, ["Closed Lost"] = 0,
    };

    private readonly Dictionary<string, double> _percent;
    private readonly double _fallback;

    private StageProbabilities(Dictionary<string, double> percent, double fallback)
    {
        _percent = percent;
        _fallback = fallback;
    }

    /// <param name="given">Percentages by stage from the caller or the org; may be null.</param>
    /// <param name="opportunities">The deals, whose open ones show the probability each stage gives.</param>
    /// <param name="fallback">The probability (0–1) of a stage no source knows (the training base rate).</param>
    public static StageProbabilities Resolve(IReadOnlyDictionary<string, double>? given, IReadOnlyList<OpportunityRecord> opportunities, double fallback)
    {
        var percent = new Dictionary<string, double>(StringComparer.Ordinal);
        if (given is not null)
        {
            foreach (var (stage, p) in given)
            {
                percent[stage] = p;
            }
        }

        var votes = new Dictionary<string, Dictionary<double, int>>(StringComparer.Ordinal);
        foreach (var o in opportunities)
        {
            if (o.IsClosed || o.Probability is not { } p || percent.ContainsKey(o.StageName))
            {
                continue;
            }

            if (!votes.TryGetValue(o.StageName, out var counts))
            {
                counts = [];
                votes.Add(o.StageName, counts);
            }

            counts[p] = counts.GetValueOrDefault(p) + 1;
        }

        foreach (var (stage, counts) in votes)
        {
            percent[stage] = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).First().Key;
        }

        foreach (var (stage, p) in SalesforceDefaults)
        {
            percent.TryAdd(stage, p);
        }

        return new StageProbabilities(percent, fallback);
    }

    /// <summary>The stage's default probability, 0–1.</summary>
    public double Of(string stage) => _percent.TryGetValue(stage, out var p) ? p / 100 : _fallback;
}
