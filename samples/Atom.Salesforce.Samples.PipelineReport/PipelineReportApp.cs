using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Errors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>What one run computed and printed: the sections, and every table in the order the terminal printed it.</summary>
/// <param name="Pipeline">The pipeline section.</param>
/// <param name="Leads">The lead report.</param>
/// <param name="Accounts">The account and performance section.</param>
/// <param name="WinProbability">The win probability report; null when the org had nothing to learn from.</param>
/// <param name="Tables">Every table, in print order; report.html holds each of them in full.</param>
/// <param name="OutputPath">The full path of report.html.</param>
public sealed record PipelineReportRun(
    PipelineSection Pipeline, LeadReport Leads, AccountSection Accounts, WinProbabilityReport? WinProbability, IReadOnlyList<ReportTable> Tables, string OutputPath);

/// <summary>The program: connect, load, analyse, print the tables, write report.html.</summary>
public sealed class PipelineReportApp
{
    private readonly SalesforceClient _client;
    private readonly PipelineAnalytics _analytics;
    private readonly ReportConsole _console;

    /// <summary>A report over the org of <paramref name="client"/>, printed on <paramref name="console"/>.</summary>
    public PipelineReportApp(SalesforceClient client, PipelineAnalytics analytics, ReportConsole console)
    {
        _client = client;
        _analytics = analytics;
        _console = console;
    }

    /// <summary>
    /// The whole program, printing plain text of <see cref="ReportConsole.DefaultWidth"/> columns into <paramref name="output"/>.
    /// Returns the exit code: 0 on success, 1 when the org could not be reached or refused a call.
    /// </summary>
    public static Task<int> RunAsync(TextWriter output, IConfiguration configuration, PipelineReportSettings settings, CancellationToken cancellationToken) =>
        RunAsync(ReportConsole.Plain(output), configuration, settings, cancellationToken);

    /// <summary>
    /// The whole program: opens the configured org (or the emulator's demo org), writes the report. Returns the exit code:
    /// 0 on success, 1 when the org could not be reached or refused a call.
    /// </summary>
    public static async Task<int> RunAsync(ReportConsole console, IConfiguration configuration, PipelineReportSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            await using var org = await OrgConnection.OpenAsync(configuration, settings, console, cancellationToken).ConfigureAwait(false);
            var app = new PipelineReportApp(org.Client, new PipelineAnalytics(settings.TimeProvider), console);
            await app.RunAsync(settings.OutputPath, org.Description, settings.TopAtRisk, settings.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is SalesforceException or HttpRequestException or InvalidOperationException or OptionsValidationException or UriFormatException)
        {
            // The SDK's messages carry codes and user ids, never tokens or keys.
            console.WriteLine($"Error: {e.Message}", "red");
            return 1;
        }
    }

    /// <summary>Loads the org's data once, analyses it, prints the tables, writes the HTML, and returns what it computed.</summary>
    public async Task<PipelineReportRun> RunAsync(string outputPath, string source, int topAtRisk, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        var org = await OrgData.LoadAsync(_client, _console, cancellationToken).ConfigureAwait(false);
        var report = _analytics.Analyze(org.Opportunities, new PipelineQuery { AtRiskLimit = topAtRisk });
        var pipeline = new PipelineSection(report, PipelineSection.ComputeFunnel(org), org, DateOnly.FromDateTime(generatedAt.UtcDateTime));
        var leads = await LeadSection.AnalyzeAsync(_console, org.Data, generatedAt).ConfigureAwait(false);
        var accounts = await AccountSection.AnalyzeAsync(_console, org.Data, generatedAt, topAtRisk).ConfigureAwait(false);
        var winProbability = await WinProbabilitySection.AnalyzeAsync(_console, org, generatedAt).ConfigureAwait(false);
        _console.WriteLine();

        var pipelineTables = pipeline.Tables();
        var leadTables = LeadSection.Tables(leads);
        var accountTables = accounts.Tables();
        ReportTable? winTable = winProbability is null ? null : WinProbabilitySection.Table(winProbability);
        List<ReportTable> tables = [.. pipelineTables, .. leadTables, .. accountTables];
        if (winTable is not null)
        {
            tables.Add(winTable);
        }

        foreach (var table in tables)
        {
            _console.Write(table);
        }

        var fullPath = Path.GetFullPath(outputPath);
        await HtmlReport.WriteAsync(fullPath, html =>
        {
            html.Append("<div class=\"cards\">\n");
            HtmlReport.Card(html, "Open pipeline", Format.Money(report.OpenAmount));
            HtmlReport.Card(html, "Weighted pipeline", Format.Money(report.WeightedAmount));
            HtmlReport.Card(html, "Open deals", Format.Count(report.OpenCount));
            HtmlReport.Card(html, "Win rate", Format.Percent(report.WinRate));
            HtmlReport.Card(html, "Sales cycle (mean days)", Format.Days(report.SalesCycle.MeanDays));
            HtmlReport.Card(html, "Velocity per day", Format.Money(report.Velocity));
            HtmlReport.Card(html, "At risk", $"{Format.Count(report.AtRiskCount)} · {Format.Money(report.AtRiskAmount)}");
            html.Append("</div>\n");
            pipeline.AppendHtml(html, pipelineTables);
            LeadSection.AppendHtml(html, leads, leadTables);
            accounts.AppendHtml(html, accountTables);
            if (winTable is not null)
            {
                WinProbabilitySection.AppendHtml(html, winTable);
            }
        }, source, generatedAt, cancellationToken).ConfigureAwait(false);
        _console.WriteLine($"Report written to {fullPath}", "bold green");
        return new PipelineReportRun(pipeline, leads, accounts, winProbability, tables, fullPath);
    }
}
