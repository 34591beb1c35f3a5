using System.Xml.Linq;
using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.Configuration;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// One run of the pipeline report on the demo org at scale 0.3 with today fixed (2026-06-30), as the program runs it:
/// what it printed (plain text, 120 columns), what it computed and the page it wrote. Shared by the tests of a class.
/// </summary>
public sealed class ReportRun : IAsyncLifetime
{
    public const double Scale = 0.3;
    public const int Top = 10;

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-report-run-").FullName;

    public string HtmlPath => Path.Combine(_directory, "report.html");

    public string[] Lines { get; private set; } = [];

    public PipelineReportRun Result { get; private set; } = null!;

    public XDocument Html { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(PipelineReportSettings.TryParse(["--today", "2026-06-30", "--scale", "0.3", "--out", HtmlPath], out var settings, out var error), error);
        var output = new StringWriter();
        var console = ReportConsole.Plain(output);
        await using (var org = await OrgConnection.OpenAsync(new ConfigurationBuilder().Build(), settings, console, TestContext.Current.CancellationToken))
        {
            var app = new PipelineReportApp(org.Client, new Client.Analytics.Pipeline.PipelineAnalytics(settings.TimeProvider), console);
            Result = await app.RunAsync(settings.OutputPath, org.Description, Top, settings.TimeProvider.GetUtcNow(), TestContext.Current.CancellationToken);
        }

        Lines = [.. output.ToString().Split('\n').Select(l => l.TrimEnd('\r'))];
        Html = SampleChecks.LoadXhtml(HtmlPath);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
