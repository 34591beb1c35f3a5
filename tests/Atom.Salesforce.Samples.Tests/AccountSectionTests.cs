using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Testing;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>The account and performance sections of the sample, checked against the analytics on an identical demo org.</summary>
public sealed class AccountSectionTests : IDisposable
{
    private const double Scale = 0.1;
    private const int Top = 5;
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _directory = Directory.CreateTempSubdirectory("account-section-").FullName;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_report_prints_accounts_by_health_churn_risks_and_owners_and_charts_them_in_the_html()
    {
        var path = Path.Combine(_directory, "report.html");
        var output = new StringWriter();
        var settings = new PipelineReportSettings { OutputPath = path, DemoScale = Scale, TopAtRisk = Top, TimeProvider = new FakeTimeProvider(_now) };

        var exitCode = await PipelineReportApp.RunAsync(output, new ConfigurationBuilder().Build(), settings, Ct);

        var (accounts, performance) = await AnalyzeSameDemoOrgAsync();
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(exitCode == 0, output.ToString());
        Assert.NotEmpty(performance.Owners);
        Assert.All(performance.Owners, o => AssertRow(lines, AccountSection.OwnerLabel(o), Format.Money(o.Metrics.WonAmount), Format.Count(o.Metrics.WonCount),
            Format.Percent(o.Metrics.WinRate), Format.Money(o.Metrics.AverageDealSize), Format.Days(o.Metrics.MedianCycleDays), Format.Count(o.Metrics.Activities.Total),
            Format.Money(o.Metrics.OpenPipeline), AccountSection.Coverage(o.Metrics.PipelineCoverage)));
        Assert.NotEmpty(performance.Teams);
        Assert.All(performance.Teams, t => AssertRow(lines, t.ManagerName!, Format.Count(t.MemberIds.Count), Format.Money(t.Metrics.WonAmount),
            Format.Percent(t.Metrics.WinRate), Format.Days(t.Metrics.MedianCycleDays), Format.Money(t.Metrics.OpenPipeline), AccountSection.Coverage(t.Metrics.PipelineCoverage)));
        Assert.Equal(accounts.Accounts.Take(Top).Select(a => a.Name), Section(lines, AccountSection.HealthTitle).Select(l => l[..l.IndexOf("  ", StringComparison.Ordinal)]));
        // Reasons are the last column: in full, or cut to fit 120 columns with an ellipsis (the HTML has them in full).
        Assert.All(accounts.Accounts.Take(Top).Zip(Section(lines, AccountSection.HealthTitle)), p => AssertPrinted(AccountSection.HealthReasons(p.First), p.Second));
        Assert.NotEmpty(accounts.ChurnRisks);
        Assert.Equal(Math.Min(Top, accounts.ChurnRisks.Count), Section(lines, AccountSection.ChurnTitle).Count);
        AssertPrinted(AccountSection.ChurnReasons(accounts.ChurnRisks[0]), Section(lines, AccountSection.ChurnTitle)[0]);
        Assert.All(lines, l => Assert.True(l.Length <= 120, l));

        var html = LoadXhtml(path);
        var owners = Chart(html, "owner-performance");
        Assert.Equal(performance.Owners.Count * 2, Rows(owners).SelectMany(r => r.Elements(Svg + "rect")).Count());
        Assert.Contains(owners.Descendants(Svg + "text"), t => t.Value.StartsWith(Format.Money(performance.Owners[0].Metrics.WonAmount) + " won", StringComparison.Ordinal));
        var health = Chart(html, "account-health");
        var bars = Rows(health).Select(r => r.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "value").Value)
            .Select(v => int.Parse(v[..v.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(10, bars.Count);
        Assert.Equal(accounts.Accounts.Count, bars.Sum());
        Assert.Equal(accounts.Accounts.Count(a => a.Health.Score < 10), bars[0]);
        Assert.Equal(22, health.Descendants(Svg + "rect").Count()); // customers and others per bin, two legend keys
        Assert.Contains("customers (won revenue)", health.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "legend").Select(t => t.Value));
        Assert.Equal(accounts.Accounts.Take(Top).Select(AccountSection.HealthReasons), Table(html, "top-health").Select(r => r.Elements().Last().Value));
        Assert.Equal(accounts.Accounts.Take(Top).Select(a => a.Name), Table(html, "top-health").Select(r => r.Elements().First().Value));
        Assert.Equal(accounts.ChurnRisks.Take(Top).Select(a => a.ChurnRisk!.Level.ToString()), Table(html, "churn-risk").Select(r => r.Elements().ElementAt(2).Value));
        Assert.Equal(performance.Teams.Count, Table(html, "team-performance").Count);
        Assert.Equal(performance.Owners.Count, Table(html, "owner-performance-table").Count);
    }

    [Fact]
    public void Text_from_the_org_is_escaped_in_the_sections()
    {
        const string hostile = "<script>alert('x')</script> & \"Co\"";
        var health = AnalyticsModelFactory.AccountHealth(
            score: 42,
            components: [AnalyticsModelFactory.HealthComponent(factor: "win_rate", weight: 100, value: 0.42, points: 42, reason: hostile)],
            reasons: [AnalyticsModelFactory.ScoreReason(factor: "win_rate", impact: -8, description: hostile)]);
        var churn = AnalyticsModelFactory.ChurnRisk(
            level: ChurnRiskLevel.Medium,
            points: 2,
            reasons: [AnalyticsModelFactory.ScoreReason(factor: "activity_stopped", impact: 2, description: hostile)]);
        var counts = AnalyticsModelFactory.ActivityCounts();
        var account = AnalyticsModelFactory.AccountInsight(
            accountId: "001",
            name: hostile,
            territory: "Unassigned",
            isCustomer: true,
            wonRevenue: 10,
            health: health,
            churnRisk: churn,
            engagement: AnalyticsModelFactory.AccountEngagement(last30Days: counts, last90Days: counts, last365Days: counts),
            lifetimeValue: AnalyticsModelFactory.CustomerLifetimeValue(historicalValue: 10, customerYears: 1, annualValue: 10));
        var accounts = AnalyticsModelFactory.AccountReport(
            growthPeriod: CalendarPeriod.Quarter,
            wonRevenue: 10,
            accounts: [account],
            churnRisks: [account],
            retention: AnalyticsModelFactory.RetentionModel(discountRate: 0.1, horizonYears: 10));
        var metrics = AnalyticsModelFactory.PerformanceMetrics(
            wonAmount: 10,
            wonCount: 1,
            winRate: 1,
            averageDealSize: 10,
            meanCycleDays: 5,
            medianCycleDays: 5,
            activities: counts,
            averageWonPerPeriod: 10,
            pipelineCoverage: 0);
        var performance = AnalyticsModelFactory.PerformanceReport(
            coveragePeriod: CalendarPeriod.Quarter,
            nextPeriodStart: new(2026, 1, 1),
            nextPeriodEnd: new(2026, 3, 31),
            periodsMeasured: 1,
            total: metrics,
            owners: [AnalyticsModelFactory.OwnerPerformance(ownerId: "005", name: hostile, metrics: metrics)]);
        var html = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");

        var section = new AccountSection(accounts, performance, Top);
        section.AppendHtml(html, section.Tables());

        var page = XDocument.Parse(html.Append("</div>").ToString());
        Assert.DoesNotContain(page.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(page.Descendants(Svg + "text"), t => t.Value == hostile);
        Assert.Contains(page.Descendants(Xhtml + "td"), t => t.Value == hostile);
        Assert.Equal(1, new AccountSection(accounts, performance, Top).HealthDistribution()[4]);
        Assert.Equal(1, new AccountSection(accounts, performance, Top).HealthDistribution(customers: true)[4]);
        Assert.Equal(0, new AccountSection(accounts, performance, Top).HealthDistribution(customers: false).Sum());
    }

    /// <summary>The reports the analytics package computes on an identical demo org (same seed, scale and clock), in-process.</summary>
    private async Task<(AccountReport Accounts, PerformanceReport Performance)> AnalyzeSameDemoOrgAsync()
    {
        var clock = new FakeTimeProvider(_now);
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = Scale }, TimeProvider = clock });
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("expected", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, emulator.InstanceUrl, DateTimeOffset.UtcNow), Ct);
        var client = provider.GetRequiredService<ISalesforceClientFactory>().ForUser("expected");
        var data = await SalesDataLoader.LoadAsync(client, SalesDataParts.All, Ct);
        return (new AccountAnalytics(clock).Analyze(data), new PerformanceAnalytics(clock).Analyze(data));
    }

    /// <summary>The rows of a terminal table: the lines after its title, header and rule, up to the blank line.</summary>
    private static List<string> Section(string[] lines, string title) =>
        [.. lines.SkipWhile(l => l != title).Skip(3).TakeWhile(l => l.Length > 0)];

    /// <summary>The last cell of <paramref name="line"/> is <paramref name="full"/>, or its start followed by an ellipsis.</summary>
    private static void AssertPrinted(string full, string line)
    {
        var cell = line[(line.LastIndexOf("  ", StringComparison.Ordinal) + 2)..];
        Assert.True(cell == full || (cell.EndsWith(ReportTable.Ellipsis) && full.StartsWith(cell[..^1], StringComparison.Ordinal)), $"{line}\n{full}");
    }

    private static IEnumerable<XElement> Rows(XElement chart) => chart.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "row");

    private static void AssertRow(string[] lines, params string[] cells)
    {
        var pattern = @"^\s*" + string.Join(@"\s+", cells.Select(Regex.Escape)) + "$";
        Assert.Contains(lines, l => Regex.IsMatch(l, pattern));
    }

    private static XDocument LoadXhtml(string path)
    {
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static XElement Chart(XDocument html, string id) => html.Descendants(Svg + "svg").Single(s => (string?)s.Attribute("id") == id);

    private static List<XElement> Table(XDocument html, string id) =>
        [.. html.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("id") == id).Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr")];
}
