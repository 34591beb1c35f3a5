using System.Text.RegularExpressions;
using Atom.Salesforce.Docs.Tests.Markdown;

namespace Atom.Salesforce.Docs.Tests;

/// <summary>
/// Every command in a ```bash block of README.md is a known one, each with the place that runs it. A new command
/// fails here until it gets a runner: a test, or .ci/run.
/// </summary>
public sealed partial class ShellCommandTests
{
    /// <summary>The README's commands (whitespace collapsed, continuation lines joined) and where each is run.</summary>
    public static readonly IReadOnlyDictionary<string, string> Runners = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet run --project samples/Atom.Salesforce.Samples.PipelineReport"] =
            "tests/Atom.Salesforce.Samples.Tests: ReadmeCommandTests.The_getting_started_command_prints_the_report_and_writes_the_page",
        ["dotnet run --project samples/Atom.Salesforce.Samples.PipelineReport -- --today 2026-06-30"] =
            "tests/Atom.Salesforce.Samples.Tests: ReadmeCommandTests.The_fixed_date_command_prints_the_lines_the_readme_quotes",
        ["./build.sh test"] = ".ci/run",
        ["dotnet add package Atom.Salesforce.Client"] =
            "ShellCommandTests.Installed_packages_are_packages_of_this_repository; tests/Atom.Salesforce.Client.Tests: ConsumerRestoreTests",
        ["dotnet run --project src/Atom.Salesforce.Emulator.Tool -- --urls http://127.0.0.1:8443 --access-token dev-token --today 2026-06-30"] =
            "tests/Atom.Salesforce.Emulator.Tests: Tool.ReadmeCommandTests",
        ["curl -H \"Authorization: Bearer dev-token\" \"http://127.0.0.1:8443/services/data/v66.0/query?q=SELECT+StageName,COUNT(Id)+FROM+Opportunity+GROUP+BY+StageName\""] =
            "tests/Atom.Salesforce.Emulator.Tests: Tool.ReadmeCommandTests (the same request, over HttpClient)",
        ["dotnet tool install --global Atom.Salesforce.Emulator.Tool"] =
            "tests/Atom.Salesforce.Emulator.Tests: Tool.ToolInstallTests (installed with --tool-path from the packed tool)",
        ["atom-salesforce-emulator --urls http://127.0.0.1:8443 --access-token dev-token"] =
            "tests/Atom.Salesforce.Emulator.Tests: Tool.ToolInstallTests (the installed command, on a free port, stopped with SIGTERM)",
    };

    [Fact]
    public void Every_readme_command_has_a_runner()
    {
        var unknown = ReadmeCommands().Where(c => !Runners.ContainsKey(c.Command)).ToList();

        Assert.True(unknown.Count == 0,
            "README.md has shell commands that nothing runs. Run each in a test (or in .ci/run) and add it to ShellCommandTests.Runners:\n" +
            string.Join('\n', unknown.Select(c => $"  {c.Location}: {c.Command}")));
    }

    [Fact]
    public void Every_known_command_is_still_in_the_readme()
    {
        var commands = ReadmeCommands().Select(c => c.Command).ToHashSet(StringComparer.Ordinal);

        var gone = Runners.Keys.Where(k => !commands.Contains(k)).ToList();

        Assert.True(gone.Count == 0, "ShellCommandTests.Runners lists commands the README no longer has; remove them:\n" + string.Join('\n', gone));
    }

    [Fact]
    public void Installed_packages_are_packages_of_this_repository()
    {
        var packages = ReadmeCommands().Select(c => AddPackageRegex().Match(c.Command)).Where(m => m.Success).Select(m => m.Groups["id"].Value).ToList();

        Assert.NotEmpty(packages);
        Assert.All(packages, id =>
        {
            var project = Path.Combine(DocumentationFiles.RepositoryRoot, "src", id, id + ".csproj");
            Assert.True(File.Exists(project), $"README installs '{id}', which is not a project of src/.");
            Assert.DoesNotContain("<IsPackable>false</IsPackable>", File.ReadAllText(project), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Commands_are_read_as_a_shell_reads_them()
    {
        var commands = Commands(MarkdownDocument.Parse("README.md", "```bash\n# a comment\ncurl -H \"a: b\" \\\n  \"http://x\"\n\nls   -la\n```\n").Blocks[0]);

        Assert.Equal(["curl -H \"a: b\" \"http://x\"", "ls -la"], commands.Select(c => c.Command));
    }

    private static IEnumerable<(string Command, string Location)> ReadmeCommands() =>
        DocumentationFiles.Blocks.Where(b => b.File == "README.md" && b.Language == "bash").SelectMany(Commands);

    private static List<(string Command, string Location)> Commands(FencedBlock block)
    {
        var commands = new List<(string, string)>();
        var current = "";
        var start = 0;
        var lines = block.Code.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (current.Length == 0)
            {
                start = i;
            }

            var continued = line.EndsWith('\\');
            current += (current.Length == 0 ? "" : " ") + (continued ? line[..^1].Trim() : line);
            if (!continued)
            {
                commands.Add((Whitespace().Replace(current, " "), $"{block.File}:{block.MarkdownLine(start)}"));
                current = "";
            }
        }

        return commands;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^dotnet add package (?<id>[A-Za-z0-9.]+)$")]
    private static partial Regex AddPackageRegex();
}
