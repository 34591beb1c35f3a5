using System.Xml.Linq;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Testing;
using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>The leads section of the pipeline report sample, checked against the lead analytics on the same demo org.</summary>
public sealed class LeadSectionSampleTests : IDisposable
{
    private const double Scale = 0.1;

    private readonly string _directory = Directory.CreateTempSubdirectory("lead-section-").FullName;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_report_prints_lead_sources_and_aging_and_draws_a_lead_source_conversion_chart()
    {
        var path = Path.Combine(_directory, "report.html");
        var output = new StringWriter();
        var settings = new PipelineReportSettings { OutputPath = path, DemoScale = Scale, TopAtRisk = 3, TimeProvider = new FakeTimeProvider(_now) };

        var exitCode = await PipelineReportApp.RunAsync(output, new ConfigurationBuilder().Build(), settings, Ct);

        var expected = await AnalyzeSameDemoOrgAsync();
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(exitCode == 0, output.ToString());
        Assert.Equal(5, expected.Groups.Count);
        Assert.All(expected.Groups.Append(expected.Total), g => SampleChecks.AssertRow(lines,
            g == expected.Total ? "Total" : g.Key!, Format.Count(g.Leads), Format.Count(g.Converted), Format.Percent(g.ConversionRate),
            Format.Days(g.MedianDaysToConvert), Format.Money(g.WonRevenue), Format.Money(g.Cost), Format.Percent(g.Roi)));
        Assert.Equal(5, expected.Aging.Count);
        SampleChecks.AssertRow(lines, "0-7", Format.Count(expected.Aging[0].Count));
        SampleChecks.AssertRow(lines, "over 180", Format.Count(expected.Aging[4].Count));
        SampleChecks.AssertRow(lines, "Stale (no change or activity for 30 days)", Format.Count(expected.StaleCount));
        SampleChecks.AssertRow(lines, "Trained model", Format.Count(expected.Scoring.HeldOutCount), expected.Scoring.Model!.Auc!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
            expected.Scoring.Model.BrierScore.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));

        var html = SampleChecks.LoadXhtml(path);
        var chart = SampleChecks.Chart(html, "lead-sources");
        var bars = chart.Descendants(SampleChecks.Svg + "g").Where(g => (string?)g.Attribute("class") == "row").Select(g => g.Element(SampleChecks.Svg + "rect")!).ToList();
        Assert.Equal(expected.Groups.Count, bars.Count);
        var texts = chart.Descendants(SampleChecks.Svg + "text").Select(t => t.Value).ToList();
        Assert.All(expected.Groups, g => Assert.Contains($"{Format.Percent(g.ConversionRate)} of {Format.Count(g.Leads)} · won {Format.Money(g.WonRevenue)}", string.Join("|", texts), StringComparison.Ordinal));
        // The widest bar is the best-converting source.
        var best = expected.Groups.MaxBy(g => g.ConversionRate)!;
        var widest = bars.Select((r, i) => (Width: double.Parse((string)r.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture), i)).MaxBy(r => r.Width);
        Assert.Equal(best.Key, expected.Groups[widest.i].Key);
        var aging = html.Descendants(SampleChecks.Xhtml + "table").Single(t => (string?)t.Attribute("id") == "lead-aging").Descendants(SampleChecks.Xhtml + "tbody").Single().Elements(SampleChecks.Xhtml + "tr");
        Assert.Equal([.. expected.Aging.Select(b => Format.Count(b.Count)), Format.Count(expected.StaleCount)], aging.Select(r => r.Elements().ElementAt(1).Value));
        var scoring = html.Descendants(SampleChecks.Xhtml + "table").Single(t => (string?)t.Attribute("id") == "lead-scoring").Descendants(SampleChecks.Xhtml + "tbody").Single().Elements(SampleChecks.Xhtml + "tr");
        Assert.Equal(expected.Scoring.Model.Auc.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), scoring.First().Elements().ElementAt(2).Value);
    }

    [Fact]
    public void Lead_source_names_are_escaped_in_the_html()
    {
        const string hostile = "<script>alert('x')</script> & \"Co\"";
        var group = AnalyticsModelFactory.LeadGroup(
            key: hostile,
            leads: 2,
            converted: 1,
            conversionRate: 0.5,
            meanDaysToConvert: 3,
            medianDaysToConvert: 3,
            opportunities: 1,
            wonOpportunities: 1,
            wonRevenue: 1_000);
        var report = AnalyticsModelFactory.LeadReport(
            groupBy: LeadDimension.LeadSource,
            total: group with { Key = null },
            groups: [group],
            aging: [AnalyticsModelFactory.LeadAgingBucket(minDays: 0, count: 1)],
            staleCount: 0,
            scoring: AnalyticsModelFactory.LeadScoringAccuracy(trainingCount: 0, heldOutCount: 0));

        var html = new System.Text.StringBuilder();
        LeadSection.AppendHtml(html, report, LeadSection.Tables(report));
        var section = XElement.Parse($"<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>");

        Assert.DoesNotContain(section.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(section.Descendants(SampleChecks.Svg + "text"), t => t.Value == hostile);
    }

    private Task<LeadReport> AnalyzeSameDemoOrgAsync()
    {
        var clock = new FakeTimeProvider(_now);
        return SampleChecks.OnSameDemoOrgAsync(Scale, clock, client => new LeadAnalytics(clock).AnalyzeAsync(client, new LeadQuery { StaleLimit = 10 }, Ct), Ct);
    }
}
