using System.Globalization;
using System.Text;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Analytics.Leads;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>The leads part of the report: lead sources (conversion, time to convert, won revenue, ROI), aging and scoring accuracy.</summary>
public static class LeadSection
{
    /// <summary>The lead source table's title.</summary>
    public const string SourcesTitle = "Lead sources";

    /// <summary>The aging table's title.</summary>
    public const string AgingTitle = "Open lead aging";

    /// <summary>The scoring accuracy table's title.</summary>
    public const string ScoringTitle = "Lead scoring on held-out leads";

    private const int ChartWidth = 760;
    private const int LabelWidth = 190;
    private const int RowHeight = 26;
    private const string Primary = "#2563eb";

    /// <summary>Loads and analyses the org's leads with "today" at <paramref name="now"/>, prints the tables and returns the report.</summary>
    public static async Task<LeadReport> LoadAndWriteAsync(SalesforceClient client, TextWriter output, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("Loading leads, opportunities, campaigns and activities (six SOQL queries at once)...").ConfigureAwait(false);
        var report = await new LeadAnalytics(new FixedClock(now)).AnalyzeAsync(client, new LeadQuery { StaleLimit = 10 }, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        Write(output, report);
        return report;
    }

    /// <summary>Writes the lead tables.</summary>
    public static void Write(TextWriter writer, LeadReport report)
    {
        var sources = new TextTable(SourcesTitle, "Source", ">Leads", ">Converted", ">Conversion", ">Median days", ">Won revenue", ">Cost", ">ROI");
        foreach (var group in report.Groups.Append(report.Total))
        {
            sources.Add(Label(group, report), Format.Count(group.Leads), Format.Count(group.Converted), Format.Percent(group.ConversionRate),
                Format.Days(group.MedianDaysToConvert), Format.Money(group.WonRevenue), Format.Money(group.Cost), Format.Percent(group.Roi));
        }

        sources.Write(writer);

        var aging = new TextTable(AgingTitle, "Age in days", ">Open leads");
        foreach (var bucket in report.Aging)
        {
            aging.Add(AgeLabel(bucket), Format.Count(bucket.Count));
        }

        aging.Add("Stale (no change or activity for 30 days)", Format.Count(report.StaleCount));
        aging.Write(writer);

        var scoring = report.Scoring;
        new TextTable(ScoringTitle, "Score", ">Held-out leads", ">AUC", ">Brier")
            .Add("Trained model", Format.Count(scoring.HeldOutCount), Number(scoring.Model?.Auc), Number(scoring.Model?.BrierScore))
            .Add("Rule score", Format.Count(scoring.HeldOutCount), Number(scoring.Rules?.Auc), Number(scoring.Rules?.BrierScore))
            .Write(writer);
    }

    /// <summary>The HTML section: a bar chart of conversion by lead source (inline SVG) and the aging table, all text escaped.</summary>
    public static string Html(LeadReport report)
    {
        var html = new StringBuilder();
        html.Append("<h2>Lead source conversion</h2>\n");
        var groups = report.Groups;
        var height = Math.Max(1, groups.Count) * RowHeight + 10;
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"lead-sources\" role=\"img\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(height)
            .Append("\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(height).Append("\">\n<title>")
            .Append(HtmlReport.Esc("Conversion rate by lead source, with leads and won revenue")).Append("</title>\n");
        var max = groups.Count == 0 ? 0 : groups.Max(g => g.ConversionRate ?? 0);
        var plot = ChartWidth - LabelWidth - 260;
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var width = max <= 0 ? 0 : plot * (group.ConversionRate ?? 0) / max;
            var y = 5 + (i * RowHeight);
            html.Append("<text x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(y + 16).Append("\" text-anchor=\"end\">").Append(HtmlReport.Esc(Label(group, report))).Append("</text>\n")
                .Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(y).Append("\" width=\"").Append(N(width))
                .Append("\" height=\"").Append(RowHeight - 6).Append("\" fill=\"").Append(Primary).Append("\" />\n")
                .Append("<text x=\"").Append(N(LabelWidth + width + 6)).Append("\" y=\"").Append(y + 16).Append("\">")
                .Append(HtmlReport.Esc($"{Format.Percent(group.ConversionRate)} of {Format.Count(group.Leads)} · won {Format.Money(group.WonRevenue)} · ROI {Format.Percent(group.Roi)}"))
                .Append("</text>\n");
        }

        html.Append("</svg>\n<h2>Open lead aging</h2>\n<table id=\"lead-aging\">\n<thead><tr><th>Age in days</th><th class=\"n\">Open leads</th></tr></thead>\n<tbody>\n");
        foreach (var bucket in report.Aging)
        {
            html.Append("<tr><td>").Append(HtmlReport.Esc(AgeLabel(bucket))).Append("</td><td class=\"n\">").Append(HtmlReport.Esc(Format.Count(bucket.Count))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p>").Append(HtmlReport.Esc($"{Format.Count(report.StaleCount)} stale open leads.")).Append("</p>\n");
        return html.ToString();
    }

    private static string Label(LeadGroup group, LeadReport report) =>
        ReferenceEquals(group, report.Total) ? "Total" : group.Key ?? "(none)";

    private static string AgeLabel(LeadAgingBucket bucket) =>
        bucket.MaxDays is { } max ? $"{bucket.MinDays}-{max}" : $"over {bucket.MinDays - 1}";

    private static string Number(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A clock that stands at the report's time, so the lead ages match the rest of the report.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
