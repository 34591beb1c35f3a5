using System.Globalization;
using System.Net;
using System.Text;
using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// The pipeline report as one self-contained HTML page: inline CSS and inline SVG charts, no script and nothing fetched,
/// so it opens offline. The markup is also well-formed XML (XHTML-compatible), and every text is escaped.
/// </summary>
public static class HtmlReport
{
    private const int ChartWidth = 760;
    private const int LabelWidth = 190;
    private const int RowHeight = 26;
    private const string Primary = "#2563eb";
    private const string Secondary = "#93c5fd";
    private const string Accent = "#f59e0b";

    /// <summary>Writes the page to <paramref name="path"/> (UTF-8), creating its directory when needed; <paramref name="sections"/> append more to the page.</summary>
    public static async Task WriteAsync(string path, PipelineReport report, string source, DateTimeOffset generatedAt, CancellationToken cancellationToken, params IReadOnlyList<Action<StringBuilder>> sections)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, Render(report, source, generatedAt, sections), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The page's markup; <paramref name="sections"/> append more at the end of the body.</summary>
    public static string Render(PipelineReport report, string source, DateTimeOffset generatedAt, params IReadOnlyList<Action<StringBuilder>> sections)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<title>Pipeline report</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;color:#1f2937;padding:0 1rem}\n")
            .Append("h1{margin-bottom:.25rem}.meta{color:#6b7280;margin-top:0}\n")
            .Append(".cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #e5e7eb;border-radius:.5rem;padding:.6rem .9rem;min-width:9rem}\n")
            .Append(".card b{display:block;font-size:1.3rem}.card span{color:#6b7280;font-size:.85rem}\n")
            .Append("table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #e5e7eb;text-align:left}\n")
            .Append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}\n")
            .Append("svg text{font-size:12px;fill:#374151}\n</style>\n</head>\n<body>\n");

        html.Append("<h1>Pipeline report</h1>\n<p class=\"meta\">")
            .Append(Esc($"{source} · generated {generatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}"))
            .Append("</p>\n");

        html.Append("<div class=\"cards\">\n");
        Card(html, "Open pipeline", Format.Money(report.OpenAmount));
        Card(html, "Weighted pipeline", Format.Money(report.WeightedAmount));
        Card(html, "Open deals", Format.Count(report.OpenCount));
        Card(html, "Win rate", Format.Percent(report.WinRate));
        Card(html, "Sales cycle (mean days)", Format.Days(report.SalesCycle.MeanDays));
        Card(html, "Velocity per day", Format.Money(report.Velocity));
        Card(html, "At risk", $"{Format.Count(report.AtRiskCount)} · {Format.Money(report.AtRiskAmount)}");
        html.Append("</div>\n");

        html.Append("<h2>Funnel</h2>\n");
        Funnel(html, report.Stages);

        html.Append("<h2>Open pipeline by stage</h2>\n");
        Bars(html, "Open pipeline by stage: amount and weighted amount",
            [.. report.Groups.Select(g => new Bar(g.Key ?? "(none)", g.Amount, $"{Format.Money(g.Amount)} ({Format.Count(g.Count)})", g.WeightedAmount, Format.Money(g.WeightedAmount)))],
            "amount (deals)", "weighted");

        html.Append("<h2>Days per stage</h2>\n");
        Bars(html, "Mean and median days of completed stays in each stage",
            [.. report.Stages.Select(s => new Bar(s.StageName, s.MeanDays ?? 0, $"mean {Format.Days(s.MeanDays)}", s.MedianDays ?? 0, $"median {Format.Days(s.MedianDays)}"))],
            "mean days", "median days");

        html.Append("<h2>Won deal sizes</h2>\n<p>")
            .Append(Esc($"{Format.Count(report.DealSizes.Count)} won deals · mean {Format.Money(report.DealSizes.Mean)} · p25 {Format.Money(report.DealSizes.P25)} · "
                        + $"median {Format.Money(report.DealSizes.P50)} · p75 {Format.Money(report.DealSizes.P75)} · p90 {Format.Money(report.DealSizes.P90)}"))
            .Append("</p>\n");
        Histogram(html, report.DealSizes.Bins);

        html.Append("<h2>Forecast by close month</h2>\n");
        Forecast(html, report.Forecast);

        html.Append("<h2>Bottleneck stages</h2>\n<p class=\"meta\">")
            .Append(Esc(string.Create(CultureInfo.InvariantCulture,
                $"Open stages whose conversion is at most {BottleneckStage.LowConversionRatio:0.0#}× the funnel's typical (median) stage, "
                + $"or whose median days are at least {BottleneckStage.SlowStageRatio:0.0#}× the typical; worst first.")))
            .Append("</p>\n<table id=\"bottlenecks\">\n<thead><tr><th class=\"n\">Rank</th><th>Stage</th><th class=\"n\">Score</th>")
            .Append("<th class=\"n\">Open deals</th><th class=\"n\">Open amount</th><th>Why</th></tr></thead>\n<tbody>\n");
        foreach (var stage in report.Bottlenecks)
        {
            html.Append("<tr><td class=\"n\">").Append(Esc(Format.Count(stage.Rank))).Append("</td><td>").Append(Esc(stage.StageName))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Score(stage.Score)))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Count(stage.OpenCount)))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Money(stage.OpenAmount)))
                .Append("</td><td>").Append(Esc(string.Join("; ", stage.Reasons.Select(Format.Reason)))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Top at-risk deals</h2>\n<table id=\"at-risk\">\n<thead><tr><th>Opportunity</th><th>Stage</th><th class=\"n\">Amount</th><th>Close date</th>")
            .Append("<th class=\"n\">Days in stage</th><th class=\"n\">Pushes</th><th class=\"n\">Days overdue</th><th>Reasons</th></tr></thead>\n<tbody>\n");
        foreach (var deal in report.AtRisk)
        {
            html.Append("<tr><td>").Append(Esc(deal.OpportunityId)).Append("</td><td>").Append(Esc(deal.StageName))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Money(deal.Amount)))
                .Append("</td><td>").Append(Esc(Format.Date(deal.CloseDate)))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Count(deal.DaysSinceStageChange)))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Count(deal.CloseDatePushes)))
                .Append("</td><td class=\"n\">").Append(Esc(Format.Count(deal.DaysOverdue)))
                .Append("</td><td>").Append(Esc(Format.Reasons(deal.Reasons))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        foreach (var section in sections)
        {
            section(html);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>HTML-escapes a text (also valid XML: only &amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric references).</summary>
    public static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static void Card(StringBuilder html, string label, string value) =>
        html.Append("<div class=\"card\"><b>").Append(Esc(value)).Append("</b><span>").Append(Esc(label)).Append("</span></div>\n");

    private readonly record struct Bar(string Label, double Value, string ValueText, double Second, string SecondText);

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void SvgOpen(StringBuilder html, string id, int height, string description) =>
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").Append(id).Append("\" role=\"img\" width=\"").Append(ChartWidth)
            .Append("\" height=\"").Append(height).Append("\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(height).Append("\">\n<title>")
            .Append(Esc(description)).Append("</title>\n");

    /// <summary>Centered bars, one per open stage, as wide as the deals that reached it.</summary>
    private static void Funnel(StringBuilder html, IReadOnlyList<StageMetrics> stages)
    {
        var height = Math.Max(1, stages.Count) * RowHeight + 10;
        SvgOpen(html, "funnel", height, "Funnel: deals that reached each stage and the share that moved on");
        var max = stages.Count == 0 ? 0 : stages.Max(s => s.Reached);
        var plot = ChartWidth - LabelWidth - 150;
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var width = max == 0 ? 0 : plot * stage.Reached / (double)max;
            var y = 5 + i * RowHeight;
            html.Append("<text x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(y + 16).Append("\" text-anchor=\"end\">").Append(Esc(stage.StageName)).Append("</text>\n")
                .Append("<rect x=\"").Append(N(LabelWidth + (plot - width) / 2)).Append("\" y=\"").Append(y).Append("\" width=\"").Append(N(width))
                .Append("\" height=\"").Append(RowHeight - 6).Append("\" fill=\"").Append(Primary).Append("\" />\n")
                .Append("<text x=\"").Append(LabelWidth + plot + 8).Append("\" y=\"").Append(y + 16).Append("\">")
                .Append(Esc($"{Format.Count(stage.Reached)} reached · {Format.Percent(stage.ConversionRate)} on")).Append("</text>\n");
        }

        html.Append("</svg>\n");
    }

    /// <summary>Horizontal bars with a second, lighter value drawn over each (weighted amount, median).</summary>
    private static void Bars(StringBuilder html, string description, IReadOnlyList<Bar> bars, string firstLegend, string secondLegend)
    {
        var height = Math.Max(1, bars.Count) * RowHeight + 34;
        SvgOpen(html, description.StartsWith("Open", StringComparison.Ordinal) ? "pipeline" : "stage-days", height, description);
        var max = bars.Count == 0 ? 0 : bars.Max(b => Math.Max(b.Value, b.Second));
        var plot = ChartWidth - LabelWidth - 230;
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = 5 + i * RowHeight;
            var first = max <= 0 ? 0 : plot * bar.Value / max;
            var second = max <= 0 ? 0 : plot * bar.Second / max;
            html.Append("<text x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(y + 16).Append("\" text-anchor=\"end\">").Append(Esc(bar.Label)).Append("</text>\n")
                .Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(y).Append("\" width=\"").Append(N(first))
                .Append("\" height=\"").Append(RowHeight - 6).Append("\" fill=\"").Append(Primary).Append("\" />\n")
                .Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(y + 6).Append("\" width=\"").Append(N(second))
                .Append("\" height=\"").Append(RowHeight - 18).Append("\" fill=\"").Append(Accent).Append("\" />\n")
                .Append("<text x=\"").Append(N(LabelWidth + Math.Max(first, second) + 6)).Append("\" y=\"").Append(y + 16).Append("\">")
                .Append(Esc($"{bar.ValueText} · {bar.SecondText}")).Append("</text>\n");
        }

        var legendY = height - 10;
        html.Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(legendY - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Primary).Append("\" />\n")
            .Append("<text x=\"").Append(LabelWidth + 16).Append("\" y=\"").Append(legendY).Append("\">").Append(Esc(firstLegend)).Append("</text>\n")
            .Append("<rect x=\"").Append(LabelWidth + 150).Append("\" y=\"").Append(legendY - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Accent).Append("\" />\n")
            .Append("<text x=\"").Append(LabelWidth + 166).Append("\" y=\"").Append(legendY).Append("\">").Append(Esc(secondLegend)).Append("</text>\n")
            .Append("</svg>\n");
    }

    /// <summary>The colour of each forecast category, in <see cref="ForecastCategories.All"/> order.</summary>
    public static IReadOnlyList<string> ForecastColors { get; } = ["#93c5fd", "#60a5fa", Primary, "#16a34a", "#9ca3af"];

    /// <summary>
    /// Stacked vertical bars, one per period, a segment per forecast category with an amount (bottom to top in category order),
    /// each segment titled with its numbers; period labels below, a legend under them.
    /// </summary>
    private static void Forecast(StringBuilder html, IReadOnlyList<ForecastPeriod> periods)
    {
        const int height = 340;
        const int top = 20;
        const int bottom = 90;
        const int left = 50; // room for the first period's slanted label
        SvgOpen(html, "forecast", height, "Forecast: amount closing per month, stacked by forecast category");
        var max = periods.Count == 0 ? 0 : periods.Max(p => p.Categories.Sum(c => c.Amount));
        var slot = periods.Count == 0 ? 0 : (ChartWidth - (2 * left)) / (double)periods.Count;
        var plot = height - top - bottom;
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            var x = left + (i * slot);
            var y = (double)(top + plot);
            html.Append("<g>\n");
            for (var c = 0; c < period.Categories.Count; c++)
            {
                var cell = period.Categories[c];
                if (cell.Amount <= 0 || max <= 0)
                {
                    continue;
                }

                var segment = plot * cell.Amount / max;
                y -= segment;
                html.Append("<rect x=\"").Append(N(x + (slot * 0.15))).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(1, slot * 0.7)))
                    .Append("\" height=\"").Append(N(segment)).Append("\" fill=\"").Append(ForecastColors[c]).Append("\"><title>")
                    .Append(Esc($"{period.Period} {cell.Category}: {Format.Money(cell.Amount)} ({Format.Count(cell.Count)} deals, weighted {Format.Money(cell.WeightedAmount)})"))
                    .Append("</title></rect>\n");
            }

            var labelX = N(x + (slot / 2));
            var labelY = top + plot + 12;
            html.Append("<text x=\"").Append(labelX).Append("\" y=\"").Append(labelY).Append("\" text-anchor=\"end\" transform=\"rotate(-45 ")
                .Append(labelX).Append(' ').Append(labelY).Append(")\">").Append(Esc(period.Period)).Append("</text>\n</g>\n");
        }

        var legendY = height - 12;
        for (var c = 0; c < ForecastCategories.All.Count; c++)
        {
            var x = 10 + (c * 130);
            html.Append("<rect x=\"").Append(x).Append("\" y=\"").Append(legendY - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(ForecastColors[c]).Append("\" />\n")
                .Append("<text x=\"").Append(x + 16).Append("\" y=\"").Append(legendY).Append("\">").Append(Esc(ForecastCategories.All[c])).Append("</text>\n");
        }

        html.Append("</svg>\n");
    }

    /// <summary>Vertical bars, one per bin, labelled with the bin's range and count.</summary>
    private static void Histogram(StringBuilder html, IReadOnlyList<HistogramBin> bins)
    {
        const int height = 260;
        const int top = 20;
        const int bottom = 40;
        SvgOpen(html, "deal-sizes", height, "Histogram of won deal sizes");
        var max = bins.Count == 0 ? 0 : bins.Max(b => b.Count);
        var slot = bins.Count == 0 ? 0 : (ChartWidth - 20) / (double)bins.Count;
        var plot = height - top - bottom;
        for (var i = 0; i < bins.Count; i++)
        {
            var bin = bins[i];
            var barHeight = max == 0 ? 0 : plot * bin.Count / (double)max;
            var x = 10 + i * slot;
            html.Append("<rect x=\"").Append(N(x + 2)).Append("\" y=\"").Append(N(top + plot - barHeight)).Append("\" width=\"").Append(N(Math.Max(1, slot - 4)))
                .Append("\" height=\"").Append(N(barHeight)).Append("\" fill=\"").Append(Secondary).Append("\" stroke=\"").Append(Primary).Append("\" />\n")
                .Append("<text x=\"").Append(N(x + slot / 2)).Append("\" y=\"").Append(N(top + plot - barHeight - 4)).Append("\" text-anchor=\"middle\">")
                .Append(Esc(Format.Count(bin.Count))).Append("</text>\n")
                .Append("<text x=\"").Append(N(x + slot / 2)).Append("\" y=\"").Append(height - bottom + 16).Append("\" text-anchor=\"middle\">")
                .Append(Esc(Format.Bin(bin))).Append("</text>\n");
        }

        html.Append("</svg>\n");
    }
}
