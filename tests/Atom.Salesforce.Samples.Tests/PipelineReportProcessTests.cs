using System.Text.RegularExpressions;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Tests.Tool;
using Atom.Salesforce.Samples.PipelineReporting;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The built pipeline report run as its own process with its output redirected, as a pipe or CI sees it: 120 columns at
/// most, no escape sequences, names next to ids; <c>--help</c> and a bad argument.
/// </summary>
public sealed partial class PipelineReportProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-report-process-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SampleDll => Path.Combine(
        ToolProcess.RepositoryRoot, "samples", "Atom.Salesforce.Samples.PipelineReport", "bin", ToolProcess.Configuration, "net10.0", "Atom.Salesforce.Samples.PipelineReport.dll");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Redirected_it_prints_plain_lines_of_at_most_120_columns_with_names_next_to_ids()
    {
        var path = Path.Combine(_directory, "report.html");

        // A 120-column width, and a colour terminal's TERM: redirected output still gets no escape sequence.
        var (exitCode, lines, errors) = await RunAsync(new Dictionary<string, string?> { ["TERM"] = "xterm-256color", ["COLUMNS"] = "120", ["NO_COLOR"] = null },
            "--today", "2026-06-30", "--scale", "0.2", "--top", "8", "--out", path);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{string.Join('\n', lines)}\n{errors}");
        Assert.True(lines.Count > 150, string.Join('\n', lines));
        Assert.All(lines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(lines, l => l.Contains('\u001b', StringComparison.Ordinal));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  [\d,]+ opportunities \(\d+\.\d s, [\d,]+ rows/s\)$"));

        // The at-risk deals and the owners: names in the terminal, the ids next to them in the HTML.
        var html = SampleChecks.LoadXhtml(path);
        var atRisk = Rows(html, "at-risk");
        Assert.Equal(8, atRisk.Count);
        var printed = lines.SkipWhile(l => l != PipelineSection.AtRiskTitle).Skip(3).Take(8).ToList();
        foreach (var (row, line) in atRisk.Zip(printed))
        {
            var (name, id, owner) = (row[0], row[1], row[2]);
            Assert.Matches("^006[0-9A-Za-z]{15}$", id);
            Assert.NotEqual(id, name);
            Assert.DoesNotMatch("^00[56]", owner);
            Assert.StartsWith(name.Length <= 6 ? name : name[..6], line, StringComparison.Ordinal);
            Assert.DoesNotContain(id, line, StringComparison.Ordinal);
        }

        var owners = Rows(html, "owner-performance-table");
        Assert.NotEmpty(owners);
        Assert.All(owners, o => Assert.Matches("^005[0-9A-Za-z]{15}$", o[1]));
        Assert.All(owners, o => Assert.Contains(lines, l => l.StartsWith(o[0] + " ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_option_and_exits_0(string flag)
    {
        var (exitCode, lines, errors) = await RunAsync(null, flag);

        Assert.Equal(0, exitCode);
        Assert.Equal("", errors.Trim());
        var options = lines.Select(l => OptionLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["--out", "--scale", "--top", "--today", "-h, --help"], options);
        Assert.All(lines, l => Assert.True(l.Length <= 120, l));

        // Every option it lists is one the program reads, with the value it shows.
        Assert.True(PipelineReportSettings.TryParse(["--out", "x.html", "--scale", "0.5", "--top", "3", "--today", "2026-01-31"], out var settings, out var error), error);
        Assert.Equal(("x.html", 0.5, 3), (settings.OutputPath, settings.DemoScale, settings.TopAtRisk));
    }

    [Theory]
    [InlineData("--colour")]
    [InlineData("--scale", "0")]
    [InlineData("--top")]
    public async Task A_bad_argument_exits_2_with_the_error_and_the_usage_on_stderr(params string[] args)
    {
        var (exitCode, lines, errors) = await RunAsync(null, args);

        Assert.Equal(2, exitCode);
        Assert.Empty(lines);
        Assert.StartsWith($"Unknown or invalid argument '{args[0]}'.", errors, StringComparison.Ordinal);
        Assert.Contains("Usage: dotnet run --project samples/Atom.Salesforce.Samples.PipelineReport [-- options]", errors, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Lines, string Errors)> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var env = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["SALESFORCE__CLIENTID"] = null, ["Salesforce__ClientId"] = null };
        // A null value removes the variable from the child's environment.
        using var run = ToolProcess.Start(ToolProcess.DotnetHost, [SampleDll, .. args], _directory, env);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(5), Ct);
        return (exitCode, run.Lines, run.Errors);
    }

    private static List<string[]> Rows(XDocument html, string id) =>
        [.. html.Descendants(SampleChecks.Xhtml + "table").Single(t => (string?)t.Attribute("id") == id).Descendants(SampleChecks.Xhtml + "tbody").Single()
            .Elements(SampleChecks.Xhtml + "tr").Select(r => r.Elements().Select(c => c.Value).ToArray())];

    /// <summary>An option line of the usage: two spaces, the option (and its short form), its value's name, the description.</summary>
    [GeneratedRegex(@"^  (-h, --help|--[a-z]+)\b")]
    private static partial Regex OptionLine();
}
