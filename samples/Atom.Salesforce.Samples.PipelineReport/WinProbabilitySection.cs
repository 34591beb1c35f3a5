using System.Globalization;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// The win probability model against the Probability Salesforce showed at each snapshot and the stage's default
/// probability, as one terminal table.
/// </summary>
public static class WinProbabilitySection
{
    /// <summary>The table's title.</summary>
    public const string Title = "Win probability: model vs Probability shown and stage default (held-out closed deals)";

    /// <summary>Trains on the org's closed deals as of <paramref name="now"/> and writes the comparison.</summary>
    public static async Task<WinProbabilityReport?> WriteAsync(TextWriter writer, SalesforceClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        WinProbabilityReport report;
        try
        {
            report = await new WinProbabilityScoring(new FixedClock(now)).AnalyzeAsync(client, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // An org without won and lost deals in its history has nothing to learn from.
            await writer.WriteLineAsync($"Win probability: {e.Message}").ConfigureAwait(false);
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var shown = report.SalesforceProbability;
        new TextTable(Title, "Measure", ">Model", ">Probability shown", ">Stage default")
            .Add("Brier score (lower is better)", report.Model.BrierScore.ToString("0.000", c), shown.BrierScore.ToString("0.000", c), report.StageDefault.BrierScore.ToString("0.000", c))
            .Add("AUC", report.Model.Auc?.ToString("0.000", c) ?? "-", shown.Auc?.ToString("0.000", c) ?? "-", report.StageDefault.Auc?.ToString("0.000", c) ?? "-")
            .Add("Held-out snapshots", Format.Count(report.Model.Count), Format.Count(shown.Count), Format.Count(report.StageDefault.Count))
            .Write(writer);
        return report;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
