using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Analytics.Data;
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

    private const string Primary = "#2563eb";

    /// <summary>Trains the lead scoring model and analyses the leads of <paramref name="data"/> with "today" at <paramref name="now"/>.</summary>
    public static Task<LeadReport> AnalyzeAsync(ReportConsole console, SalesData data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.StepAsync("Analysing leads and training the lead scoring model...",
            _ => Task.Run(() => new LeadAnalytics(new FixedClock(now)).Analyze(data, new LeadQuery { StaleLimit = 10 })),
            r => $"{Format.Count(r.Total.Leads)} leads, model trained on {Format.Count(r.Scoring.TrainingCount)}, checked on {Format.Count(r.Scoring.HeldOutCount)}");
    }

    /// <summary>The lead tables: sources, aging, scoring accuracy.</summary>
    public static IReadOnlyList<ReportTable> Tables(LeadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sources = new ReportTable("lead-sources-table", SourcesTitle, "Source", ">Leads", ">Converted", ">Conversion", ">Median days", ">Won revenue", ">Cost", ">ROI");
        foreach (var group in report.Groups)
        {
            sources.Add(Label(group, report), Format.Count(group.Leads), Format.Count(group.Converted), Format.Percent(group.ConversionRate),
                Format.Days(group.MedianDaysToConvert), Format.Money(group.WonRevenue), Format.Money(group.Cost), Format.Percent(group.Roi));
        }

        var total = report.Total;
        sources.AddStyled("bold", "Total", Format.Count(total.Leads), Format.Count(total.Converted), Format.Percent(total.ConversionRate),
            Format.Days(total.MedianDaysToConvert), Format.Money(total.WonRevenue), Format.Money(total.Cost), Format.Percent(total.Roi));

        var aging = new ReportTable("lead-aging", AgingTitle, "Age in days", ">Open leads");
        foreach (var bucket in report.Aging)
        {
            aging.Add(AgeLabel(bucket), Format.Count(bucket.Count));
        }

        aging.Add("Stale (no change or activity for 30 days)", Format.Count(report.StaleCount));

        var scoring = report.Scoring;
        var accuracy = new ReportTable("lead-scoring", ScoringTitle, "Score", ">Held-out leads", ">AUC", ">Brier")
            .Add("Trained model", Format.Count(scoring.HeldOutCount), Number(scoring.Model?.Auc), Number(scoring.Model?.BrierScore))
            .Add("Rule score", Format.Count(scoring.HeldOutCount), Number(scoring.Rules?.Auc), Number(scoring.Rules?.BrierScore))
            .Note("AUC: the chance a converted lead scores above one that did not (0.5 is a coin toss). Brier: mean squared error of the probability (lower is better).");
        return [sources, aging, accuracy];
    }

    /// <summary>The HTML section: conversion by lead source (inline SVG) and the lead tables, all text escaped.</summary>
    public static void AppendHtml(StringBuilder html, LeadReport report, IReadOnlyList<ReportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(tables);
        HtmlReport.Section(html, "Lead source conversion: share of leads converted", Definitions.Leads);
        SvgChart.HorizontalBars(html, "lead-sources", "Lead source conversion: the share of each source's leads that were converted, with leads, won revenue and ROI",
            "converted leads (% of the source's leads)", v => (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%",
            [.. report.Groups.Select(g => new ChartRow(Label(g, report), [new ChartMark(0, g.ConversionRate ?? 0, Primary)],
                $"{Format.Percent(g.ConversionRate)} of {Format.Count(g.Leads)} · won {Format.Money(g.WonRevenue)} · ROI {Format.Percent(g.Roi)}"))], []);
        tables.Single(t => t.Id == "lead-sources-table").AppendHtml(html);
        HtmlReport.Section(html, AgingTitle, Definitions.Leads);
        tables.Single(t => t.Id == "lead-aging").AppendHtml(html);
        HtmlReport.Section(html, ScoringTitle, Definitions.LeadScoring);
        tables.Single(t => t.Id == "lead-scoring").AppendHtml(html);
    }

    private static string Label(LeadGroup group, LeadReport report) =>
        ReferenceEquals(group, report.Total) ? "Total" : group.Key ?? "(none)";

    private static string AgeLabel(LeadAgingBucket bucket) =>
        bucket.MaxDays is { } max ? $"{bucket.MinDays}-{max}" : $"over {bucket.MinDays - 1}";

    private static string Number(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    /// <summary>A clock that stands at the report's time, so the lead ages match the rest of the report.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
