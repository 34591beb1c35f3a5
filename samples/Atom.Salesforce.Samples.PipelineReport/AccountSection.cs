using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Performance;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// The account and performance sections of the report: top accounts by health with their reasons, the churn risk list
/// and per-owner and per-team performance in the terminal; a per-owner performance chart, an account health distribution chart and
/// the same tables in report.html.
/// </summary>
/// <param name="Accounts">The account report.</param>
/// <param name="Performance">The performance report.</param>
/// <param name="Top">How many rows the account tables show.</param>
public sealed record AccountSection(AccountReport Accounts, PerformanceReport Performance, int Top)
{
    /// <summary>The health table's title.</summary>
    public const string HealthTitle = "Top accounts by health";

    /// <summary>The churn table's title.</summary>
    public const string ChurnTitle = "Customers at churn risk";

    /// <summary>The performance table's title.</summary>
    public const string PerformanceTitle = "Performance by owner";

    /// <summary>The team table's title.</summary>
    public const string TeamTitle = "Performance by team";

    private const string Won = "#16a34a";
    private const string Open = "#93c5fd";
    private const string Bar = "#2563eb";

    /// <summary>Runs the account and performance analytics on <paramref name="data"/> with "today" at <paramref name="now"/>.</summary>
    public static Task<AccountSection> AnalyzeAsync(ReportConsole console, SalesData data, DateTimeOffset now, int top)
    {
        ArgumentNullException.ThrowIfNull(console);
        var time = new FixedClock(now);
        return console.StepAsync("Analysing account health, churn risk and owner performance...",
            _ => Task.Run(() => new AccountSection(new AccountAnalytics(time).Analyze(data), new PerformanceAnalytics(time).Analyze(data), top)),
            s => $"{Format.Count(s.Accounts.Accounts.Count)} accounts, {Format.Count(s.Accounts.ChurnRisks.Count)} at churn risk, {Format.Count(s.Performance.Owners.Count)} owners");
    }

    /// <summary>Who an owner is in the tables: the name, else the id.</summary>
    public static string OwnerLabel(OwnerPerformance owner) => owner.Name ?? owner.OwnerId;

    /// <summary>An account's label: the name, else the id.</summary>
    public static string AccountLabel(AccountInsight account) => account.Name ?? account.AccountId;

    /// <summary>The two reasons that move an account's health most.</summary>
    public static string HealthReasons(AccountInsight account) => string.Join("; ", account.Health.Reasons.Take(2).Select(r => r.Description));

    /// <summary>The rules a customer's churn risk fired.</summary>
    public static string ChurnReasons(AccountInsight account) => string.Join("; ", account.ChurnRisk!.Reasons.Select(r => r.Description));

    /// <summary>Pipeline coverage as <c>2.5x</c>; <c>-</c> when unknown.</summary>
    public static string Coverage(double? coverage) => coverage is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";

    /// <summary>A health score with one decimal.</summary>
    public static string Score(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>
    /// How many accounts have a health score in each tenth: 0–10, 10–20, ..., 90–100 (100 in the last); all of them, or
    /// only customers (<paramref name="customers"/> true) or only the others (false).
    /// </summary>
    public int[] HealthDistribution(bool? customers = null)
    {
        var bins = new int[10];
        foreach (var account in Accounts.Accounts)
        {
            if (customers is null || customers == account.IsCustomer)
            {
                bins[Math.Clamp((int)(account.Health.Score / 10), 0, 9)]++;
            }
        }

        return bins;
    }

    /// <summary>The tables: top accounts by health, churn risks, performance by owner and by team.</summary>
    public IReadOnlyList<ReportTable> Tables()
    {
        var health = new ReportTable("top-health", HealthTitle, "Account", "#Id", ">Health", ">Won", ">Open pipeline", "Reasons");
        foreach (var account in Accounts.Accounts.Take(Top))
        {
            health.Add(AccountLabel(account), account.AccountId, Score(account.Health.Score), Format.Money(account.WonRevenue), Format.Money(account.OpenPipeline), HealthReasons(account));
        }

        var churn = new ReportTable("churn-risk", ChurnTitle, "Account", "#Id", "Risk", ">Points", ">Lifetime won", "Reasons");
        foreach (var account in Accounts.ChurnRisks.Take(Top))
        {
            var level = account.ChurnRisk!.Level.ToString();
            churn.AddStyled(level == "High" ? "red" : level == "Medium" ? "yellow" : null, AccountLabel(account), account.AccountId, level,
                Format.Count(account.ChurnRisk.Points), Format.Money(account.LifetimeValue!.HistoricalValue), ChurnReasons(account));
        }

        var performance = new ReportTable("owner-performance-table", PerformanceTitle,
            "Owner", "#Id", ">Won", ">Deals won", ">Win rate", ">Avg deal", ">Median cycle", ">Activities", ">Open pipeline", ">Coverage");
        foreach (var owner in Performance.Owners)
        {
            var m = owner.Metrics;
            performance.Add(OwnerLabel(owner), owner.OwnerId, Format.Money(m.WonAmount), Format.Count(m.WonCount), Format.Percent(m.WinRate), Format.Money(m.AverageDealSize),
                Format.Days(m.MedianCycleDays), Format.Count(m.Activities.Total), Format.Money(m.OpenPipeline), Coverage(m.PipelineCoverage));
        }

        var teams = new ReportTable("team-performance", TeamTitle, "Manager", "#Id", ">Members", ">Won", ">Win rate", ">Median cycle", ">Open pipeline", ">Coverage");
        foreach (var team in Performance.Teams)
        {
            var m = team.Metrics;
            teams.Add(team.ManagerName ?? team.ManagerId, team.ManagerId, Format.Count(team.MemberIds.Count), Format.Money(m.WonAmount), Format.Percent(m.WinRate),
                Format.Days(m.MedianCycleDays), Format.Money(m.OpenPipeline), Coverage(m.PipelineCoverage));
        }

        return [health, churn, performance, teams];
    }

    /// <summary>Appends the charts and tables to the page (inline SVG, every text escaped).</summary>
    public void AppendHtml(StringBuilder html, IReadOnlyList<ReportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(tables);
        ReportTable Table(string id) => tables.Single(t => t.Id == id);
        HtmlReport.Section(html, "Performance by owner: won amount and open pipeline", Definitions.Performance);
        SvgChart.HorizontalBars(html, "owner-performance", "Performance by owner: amount won in the period and open pipeline per owner",
            "amount (org currency)", v => Format.Compact(v),
            [.. Performance.Owners.Select(o => new ChartRow(OwnerLabel(o), [new ChartMark(0, o.Metrics.WonAmount, Won), new ChartMark(0, o.Metrics.OpenPipeline, Open, Thin: true)],
                $"{Format.Money(o.Metrics.WonAmount)} won · {Format.Percent(o.Metrics.WinRate)} · {Format.Money(o.Metrics.OpenPipeline)} open"))],
            [new LegendKey(Won, "won amount"), new LegendKey(Open, "open pipeline")]);
        Table("owner-performance-table").AppendHtml(html);
        HtmlReport.Section(html, TeamTitle, Definitions.Performance);
        Table("team-performance").AppendHtml(html);

        HtmlReport.Section(html, "Account health: accounts per health score range", Definitions.Accounts);
        var all = HealthDistribution();
        var customers = HealthDistribution(customers: true);
        SvgChart.HorizontalBars(html, "account-health", "Account health: how many accounts (customers and others) have a health score in each range of ten points",
            "accounts (count)", v => Format.Compact(v),
            [.. all.Select((count, i) => new ChartRow($"{i * 10}-{(i + 1) * 10}",
                [new ChartMark(0, customers[i], Bar), new ChartMark(customers[i], count - customers[i], Open)],
                $"{Format.Count(count)} ({Format.Count(customers[i])} customers)"))],
            [new LegendKey(Bar, "customers (won revenue)"), new LegendKey(Open, "other accounts")]);
        Table("top-health").AppendHtml(html);
        HtmlReport.Section(html, ChurnTitle, Definitions.Accounts);
        Table("churn-risk").AppendHtml(html);
    }

    /// <summary>A clock that stands at the report's moment, so every section shares one "today".</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
