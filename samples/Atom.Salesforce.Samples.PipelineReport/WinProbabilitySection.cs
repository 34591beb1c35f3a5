using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// The win probability model against the Probability Salesforce showed at each snapshot and the stage's default
/// probability, as one table (terminal and HTML).
/// </summary>
public static class WinProbabilitySection
{
    /// <summary>The table's title.</summary>
    public const string Title = "Win probability: model vs Probability shown and stage default (held-out closed deals)";

    /// <summary>
    /// Trains on the closed deals of <paramref name="org"/> as of <paramref name="now"/>, with the org's stage default
    /// probabilities; null (and a line saying why) when the org has nothing to learn from.
    /// </summary>
    public static async Task<WinProbabilityReport?> AnalyzeAsync(ReportConsole console, OrgData org, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(org);
        var query = new WinProbabilityQuery { StageProbabilities = StageProbabilities(org.Stages) };
        try
        {
            return await console.StepAsync("Training the win probability model on closed deals' history...",
                _ => Task.Run(() => new WinProbabilityScoring(new FixedClock(now)).Analyze(org.Data, query)),
                r => $"checked on {Format.Count(r.Model.Count)} held-out snapshots").ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // An org without won and lost deals in its history has nothing to learn from.
            console.WriteLine($"Win probability: {e.Message}");
            return null;
        }
    }

    /// <summary>The stages' default probabilities by name (what the analytics reads from OpportunityStage itself).</summary>
    public static IReadOnlyDictionary<string, double> StageProbabilities(IReadOnlyList<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var table = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            if (stage.DefaultProbability is { } p)
            {
                table[stage.Name] = p;
            }
        }

        return table;
    }

    /// <summary>The comparison table: Brier score, AUC and held-out snapshots of the model, the probability shown and the stage default.</summary>
    public static ReportTable Table(WinProbabilityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var shown = report.SalesforceProbability;
        return new ReportTable("win-probability", Title, "Measure", ">Model", ">Probability shown", ">Stage default")
            .Add("Brier score (lower is better)", report.Model.BrierScore.ToString("0.000", c), shown.BrierScore.ToString("0.000", c), report.StageDefault.BrierScore.ToString("0.000", c))
            .Add("AUC", report.Model.Auc?.ToString("0.000", c) ?? "-", shown.Auc?.ToString("0.000", c) ?? "-", report.StageDefault.Auc?.ToString("0.000", c) ?? "-")
            .Add("Held-out snapshots", Format.Count(report.Model.Count), Format.Count(shown.Count), Format.Count(report.StageDefault.Count));
    }

    /// <summary>Appends the table to the page.</summary>
    public static void AppendHtml(StringBuilder html, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        HtmlReport.Section(html, "Win probability: model against the probability shown", Definitions.WinProbability);
        table.AppendHtml(html);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
