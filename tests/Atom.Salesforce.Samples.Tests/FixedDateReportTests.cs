using System.Text.RegularExpressions;
using Atom.Salesforce.Samples.PipelineReporting;
using Microsoft.Extensions.Configuration;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The pipeline report sample with <c>--today</c>: the same output on every run, whatever the day and time, and the figures
/// the README quotes.
/// </summary>
public sealed partial class FixedDateReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-report-today-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Two_runs_on_the_same_today_print_the_same_report()
    {
        var first = await RunAsync("--today", "2026-06-30", "--scale", "0.1", "--out", Path.Combine(_directory, "report.html"));
        var second = await RunAsync("--today", "2026-06-30", "--scale", "0.1", "--out", Path.Combine(_directory, "report.html"));

        // Only the lines that say how long a step took (and where the emulator listened) may differ.
        string[] Stable(string[] lines) => [.. lines.Where(l => !Elapsed().IsMatch(l))];
        Assert.Contains("No Salesforce org configured (SALESFORCE__CLIENTID is not set): generating the emulator's demo org.", first);
        Assert.Contains("Generating the demo org (scale 0.1, today 2026-06-30)...", first);
        Assert.True(Stable(first).Length > 100, string.Join('\n', first));
        Assert.Equal(Stable(first), Stable(second));
        Assert.Equal(first.Length - Stable(first).Length, second.Length - Stable(second).Length);
    }

    /// <summary>
    /// The figures README.md quotes from <c>--today 2026-06-30</c> at scale 1. A change to the demo generator or the analytics
    /// that moves them fails here: rerun the sample with those arguments and update the README with this test.
    /// </summary>
    [Fact]
    public async Task At_scale_one_on_2026_06_30_it_prints_the_figures_the_readme_quotes()
    {
        var lines = await RunAsync("--today", "2026-06-30", "--out", Path.Combine(_directory, "report.html"));

        AssertRow(lines, "Total", "300", "21,043,150", "8,386,768");
        AssertRow(lines, "Deals in scope", "2,500");
        AssertRow(lines, "Open / won / lost", "300 / 614 / 1,586");
        AssertRow(lines, "Win rate", "27.9%");
        AssertRow(lines, "Sales cycle, mean days", "94.7");
        AssertRow(lines, "Velocity, amount per day", "49,514");
        AssertRow(lines, "Needs Analysis", "1,645", "65.8%", "1,574", "1,241", "78.8%", "18.4", "14.0");
        AssertRow(lines, "Proposal/Price Quote", "877", "35.1%", "877", "712", "81.2%", "25.4", "20.0");
        AssertRow(lines, "1", "Proposal/Price Quote", "0.61", "51", "3,827,500", "median 20.0 days vs typical 12.4 (1.61x)");
        AssertRow(lines, "Total", "3,000", "527", "17.6%", "9.0", "5,869,700", "365,100", "1507.7%");
        AssertRow(lines, "Trained model", "752", "0.767", "0.119");
        AssertRow(lines, "Brier score (lower is better)", "0.195", "0.233", "0.233");
        AssertRow(lines, "AUC", "0.733", "0.659", "0.660");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_asks_for_the_usage(string flag)
    {
        Assert.True(PipelineReportSettings.TryParse(["--scale", "2", flag], out var settings, out _));

        Assert.True(settings.Help);
        Assert.All(["--out PATH", "--scale N", "--top N", "--today yyyy-MM-dd", "-h, --help"],
            f => Assert.Contains(PipelineReportSettings.Usage.Split('\n'), l => l.StartsWith("  " + f + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Today_is_the_clock_of_the_demo_org_and_the_analytics_from_noon_UTC()
    {
        Assert.True(PipelineReportSettings.TryParse(["--today", "2026-06-30"], out var settings, out _));
        Assert.True(PipelineReportSettings.TryParse([], out var system, out _));

        var now = settings.TimeProvider.GetUtcNow();
        Assert.InRange(now, new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 6, 30, 13, 0, 0, TimeSpan.Zero));
        Assert.Same(TimeProvider.System, system.TimeProvider);
    }

    [Theory]
    [InlineData("--today", "30.06.2026")]
    [InlineData("--today", "2026-13-01")]
    [InlineData("--today")]
    public void A_bad_today_is_refused(params string[] args)
    {
        Assert.False(PipelineReportSettings.TryParse(args, out _, out var error));

        Assert.Equal("Unknown or invalid argument '--today'.", error);
    }

    /// <summary>The program as <c>dotnet run -- ARGS</c> runs it with nothing configured; its terminal output, line by line.</summary>
    private static async Task<string[]> RunAsync(params string[] args)
    {
        Assert.True(PipelineReportSettings.TryParse(args, out var settings, out var error), error);
        var output = new StringWriter();

        var exitCode = await PipelineReportApp.RunAsync(output, new ConfigurationBuilder().Build(), settings, Ct);

        Assert.True(exitCode == 0, output.ToString());
        return output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    private static void AssertRow(string[] lines, params string[] cells) => SampleChecks.AssertRow(lines, cells);

    /// <summary>A step's duration, "(1.2 s)" or "(1.2 s, 2,083 rows/s)".</summary>
    [GeneratedRegex(@"\(\d+\.\d s[,)]")]
    private static partial Regex Elapsed();
}
