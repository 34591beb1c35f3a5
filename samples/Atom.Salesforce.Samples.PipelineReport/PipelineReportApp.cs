using System.Diagnostics;
using System.Globalization;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Errors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>The program: connect, load, analyse, print the tables, write report.html.</summary>
public sealed class PipelineReportApp
{
    private readonly SalesforceClient _client;
    private readonly PipelineAnalytics _analytics;
    private readonly TextWriter _output;

    /// <summary>A report over the org of <paramref name="client"/>, written to <paramref name="output"/>.</summary>
    public PipelineReportApp(SalesforceClient client, PipelineAnalytics analytics, TextWriter output)
    {
        _client = client;
        _analytics = analytics;
        _output = output;
    }

    /// <summary>
    /// The whole program: opens the configured org (or the emulator's demo org), writes the report. Returns the exit code:
    /// 0 on success, 1 when the org could not be reached or refused a call.
    /// </summary>
    public static async Task<int> RunAsync(TextWriter output, IConfiguration configuration, PipelineReportSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var org = await OrgConnection.OpenAsync(configuration, settings, output, cancellationToken).ConfigureAwait(false);
            var app = new PipelineReportApp(org.Client, new PipelineAnalytics(settings.TimeProvider), output);
            await app.RunAsync(settings.OutputPath, org.Description, settings.TopAtRisk, settings.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is SalesforceException or HttpRequestException or InvalidOperationException or OptionsValidationException or UriFormatException)
        {
            // The SDK's messages carry codes and user ids, never tokens or keys.
            await output.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Loads the opportunities and their history, prints the tables, writes the HTML, and returns the report.</summary>
    public async Task<PipelineReport> RunAsync(string outputPath, string source, int topAtRisk, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        await _output.WriteLineAsync("Loading the stages, the opportunities and their stage history (three SOQL queries)...").ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var data = await OpportunityLoader.LoadAsync(_client, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {Format.Count(data.Count)} opportunities, {Format.Count(data.HistoryCount)} history rows ({clock.Elapsed.TotalSeconds:0.0} s)")).ConfigureAwait(false);

        await _output.WriteLineAsync("Computing the pipeline report...").ConfigureAwait(false);
        var report = _analytics.Analyze(data, new PipelineQuery { AtRiskLimit = topAtRisk });
        await _output.WriteLineAsync().ConfigureAwait(false);
        ConsoleReport.Write(_output, report);
        var leads = await LeadSection.LoadAndWriteAsync(_client, _output, generatedAt, cancellationToken).ConfigureAwait(false);
        var accounts = await AccountSection.LoadAsync(_client, generatedAt, topAtRisk, _output, cancellationToken).ConfigureAwait(false);
        await _output.WriteLineAsync().ConfigureAwait(false);
        accounts.WriteConsole(_output);
        await WinProbabilitySection.WriteAsync(_output, _client, generatedAt, cancellationToken).ConfigureAwait(false);

        var fullPath = Path.GetFullPath(outputPath);
        await HtmlReport.WriteAsync(
            fullPath, report, source, generatedAt, cancellationToken, html => html.Append(LeadSection.Html(leads)), accounts.AppendHtml).ConfigureAwait(false);
        await _output.WriteLineAsync($"Report written to {fullPath}").ConfigureAwait(false);
        return report;
    }
}
