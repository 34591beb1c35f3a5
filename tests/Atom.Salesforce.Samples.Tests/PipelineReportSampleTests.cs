using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.OAuth;
using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>The pipeline report sample, run as the program runs it, checked against the analytics on the same demo org.</summary>
public sealed class PipelineReportSampleTests : IDisposable
{
    private const double Scale = 0.1;
    private const int Top = 5;
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-report-").FullName;

    // The org's clock stands still: the demo org run by the sample and the one analysed for the expected values are
    // generated alike, and "today" is the same for both. A fixed day (the README's), so that the org, and what the tables
    // hold (at least Top at-risk deals), does not change with the day the test runs; the JWT test sets it near the real
    // time instead, so that the SDK's JWT assertions (signed on the system clock) are valid on the org's clock.
    private DateTimeOffset _now = new(2026, 6, 30, 15, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeTimeProvider Clock() => new(_now);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task With_no_org_configured_it_reports_on_the_emulator_demo_org_in_tables_and_an_offline_html_page()
    {
        var path = Path.Combine(_directory, "out", "report.html");
        var output = new StringWriter();
        var settings = new PipelineReportSettings { OutputPath = path, DemoScale = Scale, TopAtRisk = Top, TimeProvider = Clock() };

        var exitCode = await PipelineReportApp.RunAsync(output, new ConfigurationBuilder().Build(), settings, Ct);

        var expected = await AnalyzeSameDemoOrgAsync();
        var text = output.ToString();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("emulator listening on http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains($"Report written to {path}", lines);
        Assert.NotEmpty(expected.Groups);
        Assert.All(expected.Groups, g => AssertRow(lines, g.Key!, Format.Count(g.Count), Format.Money(g.Amount), Format.Money(g.WeightedAmount)));
        AssertRow(lines, "Total", Format.Count(expected.OpenCount), Format.Money(expected.OpenAmount), Format.Money(expected.WeightedAmount));
        AssertRow(lines, "Win rate", Format.Percent(expected.WinRate));
        AssertRow(lines, "Sales cycle, mean days", Format.Days(expected.SalesCycle.MeanDays));
        AssertRow(lines, "Velocity, amount per day", Format.Money(expected.Velocity));
        var sizes = expected.DealSizes;
        AssertRow(lines, Format.Count(sizes.Count), Format.Money(sizes.Mean), Format.Money(sizes.P25), Format.Money(sizes.P50), Format.Money(sizes.P75), Format.Money(sizes.P90));
        Assert.Equal(8, expected.Stages.Count);
        Assert.All(expected.Stages, s => AssertRow(lines, s.StageName, Format.Count(s.Reached), Format.Count(s.Advanced), Format.Percent(s.ConversionRate), Format.Days(s.MeanDays), Format.Days(s.MedianDays)));
        Assert.Equal(Top, expected.AtRisk.Count);
        Assert.Equal(expected.AtRisk.Select(d => d.OpportunityId), lines.SkipWhile(l => l != ConsoleReport.AtRiskTitle).Skip(3).Take(Top).Select(l => l.Split(' ')[0]));

        // Forecast: one row per close month, the amount of each category, the deals and the weighted amount.
        Assert.NotEmpty(expected.Forecast);
        Assert.All(expected.Forecast, p => AssertRow(lines,
            [p.Period, .. p.Categories.Select(c => Format.Money(c.Amount)), Format.Count(p.Categories.Sum(c => c.Count)), Format.Money(p.Categories.Sum(c => c.WeightedAmount))]));
        Assert.Equal(expected.Forecast.Count, lines.SkipWhile(l => l != ConsoleReport.ForecastTitle).Skip(3).TakeWhile(l => l.Length > 0).Count());

        // Bottlenecks: the demo generator plants Proposal/Price Quote as the slow stage (DemoCatalog.StageDays).
        Assert.Contains(expected.Bottlenecks, b => b.StageName == "Proposal/Price Quote" && b.Reasons.Any(r => r.Measure == BottleneckMeasure.MedianDays));
        Assert.All(expected.Bottlenecks, b => AssertRow(lines,
            Format.Count(b.Rank), b.StageName, Format.Score(b.Score), Format.Count(b.OpenCount), Format.Money(b.OpenAmount), string.Join("; ", b.Reasons.Select(Format.Reason))));
        Assert.Contains(lines, l => l.Contains("median ", StringComparison.Ordinal) && l.Contains(" days vs typical ", StringComparison.Ordinal));

        var html = LoadXhtml(path);
        Assert.DoesNotContain(html.Descendants(), e => e.Name.LocalName == "script");
        // The pipeline's five charts come first; other sections (leads, accounts, ...) follow.
        Assert.Equal(["funnel", "pipeline", "stage-days", "deal-sizes", "forecast"], html.Descendants(Svg + "svg").Select(s => (string?)s.Attribute("id")).Take(5));
        var funnelText = string.Join("|", Chart(html, "funnel").Descendants(Svg + "text").Select(t => t.Value));
        Assert.All(expected.Stages, s => Assert.Contains($"{s.StageName}|{Format.Count(s.Reached)} reached", funnelText, StringComparison.Ordinal));
        Assert.Equal(expected.Groups.Count * 2 + 2, Chart(html, "pipeline").Elements(Svg + "rect").Count());
        Assert.Contains(Chart(html, "pipeline").Elements(Svg + "text"), t => t.Value.StartsWith(Format.Money(expected.Groups[0].Amount), StringComparison.Ordinal));
        Assert.Equal(sizes.Bins.Select(b => Format.Count(b.Count)), Chart(html, "deal-sizes").Elements(Svg + "text").Where((_, i) => i % 2 == 0).Select(t => t.Value));

        // The forecast chart: a bar per month labelled with it, a segment per category with an amount, titled with its numbers.
        var forecast = Chart(html, "forecast");
        Assert.Equal(expected.Forecast.Select(p => p.Period), forecast.Elements(Svg + "g").Select(g => g.Element(Svg + "text")!.Value));
        var segments = forecast.Elements(Svg + "g").SelectMany(g => g.Elements(Svg + "rect")).Select(r => r.Element(Svg + "title")!.Value).ToList();
        Assert.Equal(
            expected.Forecast.SelectMany(p => p.Categories.Where(c => c.Amount > 0)
                .Select(c => $"{p.Period} {c.Category}: {Format.Money(c.Amount)} ({Format.Count(c.Count)} deals, weighted {Format.Money(c.WeightedAmount)})")),
            segments);
        Assert.Equal(ForecastCategories.All, forecast.Elements(Svg + "text").Select(t => t.Value));
        var bottleneckRows = html.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("id") == "bottlenecks").Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr").ToList();
        Assert.Equal(expected.Bottlenecks.Select(b => (b.StageName, Format.Score(b.Score))), bottleneckRows.Select(r => (r.Elements().ElementAt(1).Value, r.Elements().ElementAt(2).Value)));

        var rows = html.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("id") == "at-risk").Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr").ToList();
        Assert.Equal(expected.AtRisk.Select(d => (d.OpportunityId, Format.Money(d.Amount))), rows.Select(r => (r.Elements().ElementAt(0).Value, r.Elements().ElementAt(2).Value)));
    }

    [Fact]
    public async Task A_configured_org_is_reached_through_the_JWT_bearer_flow_with_the_same_report()
    {
        _now = DateTimeOffset.UtcNow;
        using var key = RSA.Create(2048);
        var options = new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = Scale }, TimeProvider = Clock(), AccessToken = null };
        options.OAuth.ConnectedApps[0].JwtCertificate = new CertificateRequest("CN=Pipeline report", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var emulator = new SalesforceEmulator(options);
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var keyPath = Path.Combine(_directory, "key.pem");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), Ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = EmulatorOAuthOptions.DefaultClientId,
            ["Salesforce:LoginUrl"] = server.BaseAddress.ToString(),
            ["Salesforce:JwtPrivateKeyPath"] = keyPath,
            ["Salesforce:Username"] = EmulatorOAuthOptions.AdminUsername,
        }).Build();
        var path = Path.Combine(_directory, "report.html");
        var output = new StringWriter();

        var exitCode = await PipelineReportApp.RunAsync(output, configuration, new PipelineReportSettings { OutputPath = path, TopAtRisk = Top, TimeProvider = Clock() }, Ct);

        var expected = await AnalyzeSameDemoOrgAsync();
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("Signing in with the JWT bearer flow...", lines);
        Assert.DoesNotContain(lines, l => l.Contains("emulator listening", StringComparison.Ordinal));
        AssertRow(lines, "Total", Format.Count(expected.OpenCount), Format.Money(expected.OpenAmount), Format.Money(expected.WeightedAmount));
        AssertRow(lines, "Win rate", Format.Percent(expected.WinRate));
        Assert.DoesNotContain(lines, l => l.Contains("PRIVATE KEY", StringComparison.Ordinal));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task An_org_configured_without_a_way_to_sign_in_is_refused_with_a_message_and_no_report()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Salesforce:ClientId"] = "3MVG9-app" }).Build();
        var path = Path.Combine(_directory, "report.html");
        var output = new StringWriter();

        var exitCode = await PipelineReportApp.RunAsync(output, configuration, new PipelineReportSettings { OutputPath = path }, Ct);

        Assert.Equal(1, exitCode);
        Assert.Contains("SALESFORCE__JWTPRIVATEKEYPATH and SALESFORCE__USERNAME", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Text_from_the_org_is_escaped_in_the_html()
    {
        const string hostile = "<script>alert('x')</script> & \"Co\"";
        var report = AnalyticsModelFactory.PipelineReport(
            count: 1,
            openCount: 1,
            wonCount: 0,
            lostCount: 0,
            openAmount: 100,
            weightedAmount: 50,
            groups: [AnalyticsModelFactory.PipelineGroup(key: hostile, count: 1, amount: 100, weightedAmount: 50)],
            salesCycle: AnalyticsModelFactory.SalesCycle(count: 0),
            dealSizes: AnalyticsModelFactory.DealSizeDistribution(count: 0, bins: [AnalyticsModelFactory.HistogramBin(lowerBound: 0, count: 0)]),
            stages: [AnalyticsModelFactory.StageMetrics(stageName: hostile, reached: 1, advanced: 0, conversionRate: 0, completedStays: 0)],
            atRiskCount: 1,
            atRiskAmount: 100,
            atRisk: [AnalyticsModelFactory.AtRiskDeal(
                opportunityId: "006<b>",
                stageName: hostile,
                amount: 100,
                closeDate: new DateOnly(2026, 1, 31),
                daysSinceStageChange: 40,
                closeDatePushes: 1,
                daysOverdue: 3,
                reasons: AtRiskReasons.Stalled | AtRiskReasons.Overdue)],
            forecast: [AnalyticsModelFactory.ForecastPeriod(
                period: hostile,
                start: new DateOnly(2026, 1, 1),
                end: new DateOnly(2026, 1, 31),
                categories: [.. ForecastCategories.All.Select(c => AnalyticsModelFactory.ForecastCell(category: c, count: 1, amount: 10, weightedAmount: 5))])],
            bottlenecks: [AnalyticsModelFactory.BottleneckStage(
                rank: 1,
                stageName: hostile,
                score: 0.5,
                openCount: 1,
                openAmount: 100,
                reasons: [AnalyticsModelFactory.BottleneckReason(measure: BottleneckMeasure.Conversion, value: 0.3, typical: 0.6, ratio: 0.5, score: 0.5)])]);

        var html = XDocument.Parse(HtmlReport.Render(report, "org & <source>", DateTimeOffset.UnixEpoch).Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));

        Assert.DoesNotContain(html.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(html.Descendants(Svg + "text"), t => t.Value == hostile);
        Assert.Contains(html.Descendants(Xhtml + "td"), t => t.Value == "006<b>");
        Assert.Contains(html.Descendants(Xhtml + "td"), t => t.Value == "stalled, overdue");
        Assert.Contains(html.Descendants(Svg + "title"), t => t.Value.StartsWith(hostile + " Pipeline: 10", StringComparison.Ordinal));
        Assert.Contains(html.Descendants(Xhtml + "td"), t => t.Value == "conversion 30.0% vs typical 60.0% (0.50x)");
        Assert.StartsWith("org & <source>", html.Descendants(Xhtml + "p").First().Value, StringComparison.Ordinal);
    }

    /// <summary>The report the analytics package computes on an identical demo org (same seed, scale and clock), in-process.</summary>
    private Task<PipelineReport> AnalyzeSameDemoOrgAsync()
    {
        var clock = Clock();
        return SampleChecks.OnSameDemoOrgAsync(Scale, clock, client => new PipelineAnalytics(clock).AnalyzeAsync(client, new PipelineQuery { AtRiskLimit = Top }, Ct), Ct);
    }

    private static void AssertRow(string[] lines, params string[] cells) => SampleChecks.AssertRow(lines, cells);

    private static XDocument LoadXhtml(string path) => SampleChecks.LoadXhtml(path);

    private static XElement Chart(XDocument html, string id) => SampleChecks.Chart(html, id);
}
