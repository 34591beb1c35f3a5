using Atom.Salesforce.Emulator.Tool;

namespace Atom.Salesforce.Emulator.Tests.Tool;

/// <summary>The tool package: packed from this repository, installed with <c>dotnet tool install</c>, run by its command name.</summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("emulator-tool-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Dotnet_tool_install_gives_the_atom_salesforce_emulator_command()
    {
        var root = ToolProcess.RepositoryRoot;
        var packages = Path.Combine(_directory, "packages");
        var tools = Path.Combine(_directory, "tools");

        // The tool was built with the tests (project reference); pack it as it is. A fresh package cache, so that an older
        // package of the same version, installed by an earlier run, cannot stand in for this one.
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(_directory, "nuget-cache") };
        await RunAsync(root, environment,
            "pack", Path.Combine("src", "Atom.Salesforce.Emulator.Tool", "Atom.Salesforce.Emulator.Tool.csproj"),
            "-c", ToolProcess.Configuration, "--no-build", "-o", packages);
        var package = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(packages, "Atom.Salesforce.Emulator.Tool.*.nupkg")));
        var version = package["Atom.Salesforce.Emulator.Tool.".Length..];

        // The repository's nuget.config (the working directory) is the source list; the packed tool comes from --add-source.
        // A tool package carries its dependencies inside, so an unreachable nuget.org (an offline runner) does not matter.
        await RunAsync(root, environment,
            "tool", "install", "Atom.Salesforce.Emulator.Tool", "--tool-path", tools, "--add-source", packages, "--version", version, "--ignore-failed-sources");

        var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "atom-salesforce-emulator.exe" : "atom-salesforce-emulator");
        var launcher = new Dictionary<string, string?>
        {
            // The command's launcher finds the runtime there when dotnet is not installed in the default place.
            ["DOTNET_ROOT"] = Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } set ? set : DotnetRoot(),
        };
        using var help = ToolProcess.Start(command, ["--help"], environment: launcher);
        var exitCode = await help.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);

        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {help.Errors}");
        Assert.Equal(CommandLine.Usage.ReplaceLineEndings("\n"), string.Join('\n', help.Lines).TrimEnd());

        // README.md: `atom-salesforce-emulator --urls http://127.0.0.1:8443 --access-token dev-token` (a free port here).
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var port = ToolProcess.FreePort();
            using var server = ToolProcess.Start(command, ["--urls", $"http://127.0.0.1:{port}", "--access-token", "dev-token", "--scale", "0.05"], environment: launcher);
            await server.WaitForLineAsync(l => l.StartsWith("Atom.Salesforce.Emulator listening on ", StringComparison.Ordinal), TimeSpan.FromMinutes(2), Ct);
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/services/data/v66.0/limits"));
            request.Headers.Authorization = new("Bearer", "dev-token");
            using var response = await http.SendAsync(request, Ct);
            await server.SignalAsync("TERM", Ct);
            var stopped = await server.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.True(stopped == 0, $"exit code {stopped}; stderr: {server.Errors}");
        }
    }

    /// <summary>Runs the dotnet CLI and fails with its output unless it succeeds.</summary>
    private static async Task RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var dotnet = ToolProcess.Start(ToolProcess.DotnetHost, args, workingDirectory, environment);
        var exitCode = await dotnet.WaitForExitAsync(TimeSpan.FromMinutes(5), Ct);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} exited with {exitCode}:\n{string.Join('\n', dotnet.Lines)}\n{dotnet.Errors}");
    }

    /// <summary>The folder of the dotnet host running the tests, following a symbolic link such as /usr/bin/dotnet.</summary>
    private static string DotnetRoot()
    {
        var host = ToolProcess.DotnetHost;
        if (!Path.IsPathRooted(host))
        {
            host = Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, host))
                .First(File.Exists);
        }

        var file = new FileInfo(host);
        var target = file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
        return Path.GetDirectoryName(target)!;
    }
}
