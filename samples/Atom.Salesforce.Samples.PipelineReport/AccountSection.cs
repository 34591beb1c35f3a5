using System.Diagnostics;
using System.Globalization;
using System.Text;
using Atom.Salesforce.Client;
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

    private const int ChartWidth = 760;
    private const int LabelWidth = 190;
    private const int RowHeight = 26;
    private const string Won = "#16a34a";
    private const string Open = "#93c5fd";
    private const string Bar = "#2563eb";

    /// <summary>
    /// Loads accounts, opportunities, contacts, activities and users (one query each, at once) and runs the account and
    /// performance analytics with "today" at <paramref name="now"/>.
    /// </summary>
    public static async Task<AccountSection> LoadAsync(SalesforceClient client, DateTimeOffset now, int top, TextWriter progress, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync("Loading accounts, contacts, activities and users...").ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        const SalesDataParts parts = SalesDataParts.Accounts | SalesDataParts.Opportunities | SalesDataParts.Contacts | SalesDataParts.Activities | SalesDataParts.Users;
        var data = await SalesDataLoader.LoadAsync(client, parts, cancellationToken).ConfigureAwait(false);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {Format.Count(data.Accounts.Count)} accounts, {Format.Count(data.Contacts.Count)} contacts, {Format.Count(data.Activities.Count)} activities ({clock.Elapsed.TotalSeconds:0.0} s)")).ConfigureAwait(false);
        var time = new FixedClock(now);
        return new AccountSection(new AccountAnalytics(time).Analyze(data), new PerformanceAnalytics(time).Analyze(data), top);
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

    /// <summary>Writes the three tables.</summary>
    public void WriteConsole(TextWriter writer)
    {
        var health = new TextTable(HealthTitle, "Account", ">Health", ">Won", ">Open pipeline", "Reasons");
        foreach (var account in Accounts.Accounts.Take(Top))
        {
            health.Add(AccountLabel(account), Score(account.Health.Score), Format.Money(account.WonRevenue), Format.Money(account.OpenPipeline), HealthReasons(account));
        }

        health.Write(writer);

        var churn = new TextTable(ChurnTitle, "Account", "Risk", ">Points", ">Lifetime won", "Reasons");
        foreach (var account in Accounts.ChurnRisks.Take(Top))
        {
            churn.Add(AccountLabel(account), account.ChurnRisk!.Level.ToString(), Format.Count(account.ChurnRisk.Points),
                Format.Money(account.LifetimeValue!.HistoricalValue), ChurnReasons(account));
        }

        churn.Write(writer);

        var performance = new TextTable(PerformanceTitle, "Owner", ">Won", ">Deals won", ">Win rate", ">Avg deal", ">Median cycle", ">Activities", ">Open pipeline", ">Coverage");
        foreach (var owner in Performance.Owners)
        {
            var m = owner.Metrics;
            performance.Add(OwnerLabel(owner), Format.Money(m.WonAmount), Format.Count(m.WonCount), Format.Percent(m.WinRate), Format.Money(m.AverageDealSize),
                Format.Days(m.MedianCycleDays), Format.Count(m.Activities.Total), Format.Money(m.OpenPipeline), Coverage(m.PipelineCoverage));
        }

        performance.Write(writer);

        var teams = new TextTable(TeamTitle, "Manager", ">Members", ">Won", ">Win rate", ">Median cycle", ">Open pipeline", ">Coverage");
        foreach (var team in Performance.Teams)
        {
            var m = team.Metrics;
            teams.Add(team.ManagerName ?? team.ManagerId, Format.Count(team.MemberIds.Count), Format.Money(m.WonAmount), Format.Percent(m.WinRate),
                Format.Days(m.MedianCycleDays), Format.Money(m.OpenPipeline), Coverage(m.PipelineCoverage));
        }

        teams.Write(writer);
    }

    /// <summary>Appends the charts and tables to the page (inline SVG, every text escaped).</summary>
    public void AppendHtml(StringBuilder html)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Append("<h2>").Append(HtmlReport.Esc(PerformanceTitle)).Append("</h2>\n");
        OwnerChart(html);
        html.Append("<table id=\"owner-performance-table\">\n<thead><tr><th>Owner</th><th class=\"n\">Won</th><th class=\"n\">Win rate</th>")
            .Append("<th class=\"n\">Avg deal</th><th class=\"n\">Median cycle</th><th class=\"n\">Activities</th><th class=\"n\">Coverage</th></tr></thead>\n<tbody>\n");
        foreach (var owner in Performance.Owners)
        {
            var m = owner.Metrics;
            Row(html, OwnerLabel(owner), Format.Money(m.WonAmount), Format.Percent(m.WinRate), Format.Money(m.AverageDealSize), Format.Days(m.MedianCycleDays),
                Format.Count(m.Activities.Total), Coverage(m.PipelineCoverage));
        }

        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Account health</h2>\n");
        HealthChart(html);
        html.Append("<h3>").Append(HtmlReport.Esc(HealthTitle)).Append("</h3>\n<table id=\"top-health\">\n<thead><tr><th>Account</th><th class=\"n\">Health</th>")
            .Append("<th class=\"n\">Won</th><th>Reasons</th></tr></thead>\n<tbody>\n");
        foreach (var account in Accounts.Accounts.Take(Top))
        {
            Row(html, AccountLabel(account), Score(account.Health.Score), Format.Money(account.WonRevenue), HealthReasons(account));
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("<h3>").Append(HtmlReport.Esc(ChurnTitle)).Append("</h3>\n<table id=\"churn-risk\">\n<thead><tr><th>Account</th><th>Risk</th>")
            .Append("<th class=\"n\">Points</th><th>Reasons</th></tr></thead>\n<tbody>\n");
        foreach (var account in Accounts.ChurnRisks.Take(Top))
        {
            Row(html, AccountLabel(account), account.ChurnRisk!.Level.ToString(), Format.Count(account.ChurnRisk.Points), ChurnReasons(account));
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void Row(StringBuilder html, string first, params string[] cells)
    {
        html.Append("<tr><td>").Append(HtmlReport.Esc(first)).Append("</td>");
        foreach (var cell in cells)
        {
            html.Append(cell.Length > 0 && (char.IsDigit(cell[0]) || cell == "-") ? "<td class=\"n\">" : "<td>").Append(HtmlReport.Esc(cell)).Append("</td>");
        }

        html.Append("</tr>\n");
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Svg(StringBuilder html, string id, int height, string description) =>
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").Append(id).Append("\" role=\"img\" width=\"").Append(ChartWidth)
            .Append("\" height=\"").Append(height).Append("\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(height).Append("\">\n<title>")
            .Append(HtmlReport.Esc(description)).Append("</title>\n");

    /// <summary>One row per owner: won amount, and the open pipeline as a thinner bar under it.</summary>
    private void OwnerChart(StringBuilder html)
    {
        var owners = Performance.Owners;
        var height = (Math.Max(1, owners.Count) * RowHeight) + 34;
        Svg(html, "owner-performance", height, "Won amount and open pipeline per owner");
        var max = owners.Count == 0 ? 0 : owners.Max(o => Math.Max(o.Metrics.WonAmount, o.Metrics.OpenPipeline));
        var plot = ChartWidth - LabelWidth - 200;
        for (var i = 0; i < owners.Count; i++)
        {
            var m = owners[i].Metrics;
            var y = 5 + (i * RowHeight);
            var won = max <= 0 ? 0 : plot * m.WonAmount / max;
            var open = max <= 0 ? 0 : plot * m.OpenPipeline / max;
            html.Append("<text x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(y + 16).Append("\" text-anchor=\"end\">").Append(HtmlReport.Esc(OwnerLabel(owners[i]))).Append("</text>\n")
                .Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(y).Append("\" width=\"").Append(N(won)).Append("\" height=\"12\" fill=\"").Append(Won).Append("\" />\n")
                .Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(y + 13).Append("\" width=\"").Append(N(open)).Append("\" height=\"7\" fill=\"").Append(Open).Append("\" />\n")
                .Append("<text x=\"").Append(N(LabelWidth + Math.Max(won, open) + 6)).Append("\" y=\"").Append(y + 16).Append("\">")
                .Append(HtmlReport.Esc($"{Format.Money(m.WonAmount)} won · {Format.Percent(m.WinRate)} · {Format.Money(m.OpenPipeline)} open")).Append("</text>\n");
        }

        var legend = height - 10;
        html.Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(legend - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Won).Append("\" />\n")
            .Append("<text x=\"").Append(LabelWidth + 16).Append("\" y=\"").Append(legend).Append("\">won</text>\n")
            .Append("<rect x=\"").Append(LabelWidth + 150).Append("\" y=\"").Append(legend - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Open).Append("\" />\n")
            .Append("<text x=\"").Append(LabelWidth + 166).Append("\" y=\"").Append(legend).Append("\">open pipeline</text>\n</svg>\n");
    }

    /// <summary>Vertical bars: accounts per tenth of the health score, customers at the bottom of each bar.</summary>
    private void HealthChart(StringBuilder html)
    {
        const int height = 260;
        const int top = 20;
        const int bottom = 60;
        var bins = HealthDistribution();
        var customers = HealthDistribution(customers: true);
        Svg(html, "account-health", height, "Accounts by health score, customers and others");
        var max = bins.Max();
        var slot = (ChartWidth - 20) / (double)bins.Length;
        var plot = height - top - bottom;
        for (var i = 0; i < bins.Length; i++)
        {
            var barHeight = max == 0 ? 0 : plot * bins[i] / (double)max;
            var x = 10 + (i * slot);
            var customerHeight = max == 0 ? 0 : plot * customers[i] / (double)max;
            html.Append("<rect x=\"").Append(N(x + 2)).Append("\" y=\"").Append(N(top + plot - barHeight)).Append("\" width=\"").Append(N(slot - 4))
                .Append("\" height=\"").Append(N(barHeight)).Append("\" fill=\"").Append(Open).Append("\" />\n")
                .Append("<rect x=\"").Append(N(x + 2)).Append("\" y=\"").Append(N(top + plot - customerHeight)).Append("\" width=\"").Append(N(slot - 4))
                .Append("\" height=\"").Append(N(customerHeight)).Append("\" fill=\"").Append(Bar).Append("\" />\n")
                .Append("<text x=\"").Append(N(x + (slot / 2))).Append("\" y=\"").Append(N(top + plot - barHeight - 4)).Append("\" text-anchor=\"middle\">")
                .Append(Format.Count(bins[i])).Append("</text>\n")
                .Append("<text x=\"").Append(N(x + (slot / 2))).Append("\" y=\"").Append(height - bottom + 16).Append("\" text-anchor=\"middle\">")
                .Append(i * 10).Append('-').Append((i + 1) * 10).Append("</text>\n");
        }

        var legend = height - 12;
        html.Append("<rect x=\"10\" y=\"").Append(legend - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Bar).Append("\" />\n")
            .Append("<text x=\"26\" y=\"").Append(legend).Append("\">customers (won revenue)</text>\n")
            .Append("<rect x=\"200\" y=\"").Append(legend - 10).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Open).Append("\" />\n")
            .Append("<text x=\"216\" y=\"").Append(legend).Append("\">other accounts</text>\n</svg>\n");
    }

    /// <summary>A clock that stands at the report's moment, so every section shares one "today".</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
