using Atom.Salesforce.Emulator.Tests.Tool;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// README.md's first commands, run literally from the repository root as a new user runs them: <c>dotnet run</c> builds
/// the sample, generates the demo org and prints the report. The README quotes lines of the fixed-date run; they must be
/// what the command prints.
/// </summary>
public sealed class ReadmeCommandTests
{
    /// <summary>The command of README.md's "Getting started".</summary>
    public const string Command = "dotnet run --project samples/Atom.Salesforce.Samples.PipelineReport";

    /// <summary>The same with a fixed today, whose output the README quotes.</summary>
    public const string FixedDateCommand = Command + " -- --today 2026-06-30";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_getting_started_command_prints_the_report_and_writes_the_page()
    {
        var lines = await RunAsync(Command);

        Assert.Contains(lines, l => l.StartsWith("No Salesforce org configured (SALESFORCE__CLIENTID is not set): generating the emulator's demo org", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("Win rate", StringComparison.Ordinal));
        var written = Assert.Single(lines, l => l.StartsWith("Report written to ", StringComparison.Ordinal));
        Assert.True(File.Exists(written["Report written to ".Length..].Trim()), written);
    }

    [Fact]
    public async Task The_fixed_date_command_prints_the_lines_the_readme_quotes()
    {
        var lines = await RunAsync(FixedDateCommand);

        var quoted = QuotedOutput();
        Assert.True(quoted.Count >= 5, "README.md quotes no output of: " + FixedDateCommand);
        Assert.All(quoted, q => Assert.Contains(q, lines));
    }

    private static async Task<IReadOnlyList<string>> RunAsync(string command)
    {
        var words = command.Split(' ');
        using var run = ToolProcess.Start(words[0], words[1..], ToolProcess.RepositoryRoot);
        // dotnet run builds the sample first (Debug): minutes on a cold, busy machine.
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(12), Ct);
        Assert.True(exitCode == 0, $"{command}: exit code {exitCode}\n{string.Join('\n', run.Lines)}\n{run.Errors}");
        return [.. run.Lines.Select(l => l.TrimEnd())];
    }

    /// <summary>The lines of the <c>text</c> block that follows the fixed-date command's block in README.md.</summary>
    private static List<string> QuotedOutput()
    {
        var readme = File.ReadAllLines(Path.Combine(ToolProcess.RepositoryRoot, "README.md"));
        var command = Array.FindIndex(readme, l => l.Trim() == FixedDateCommand);
        Assert.True(command >= 0, "README.md does not show: " + FixedDateCommand);
        var start = Array.FindIndex(readme, command, l => l.StartsWith("```text", StringComparison.Ordinal));
        var end = Array.FindIndex(readme, start + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return [.. readme[(start + 1)..end].Select(l => l.TrimEnd()).Where(l => l.Length > 0 && l != "...")];
    }
}
