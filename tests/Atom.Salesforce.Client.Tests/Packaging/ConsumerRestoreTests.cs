using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;

namespace Atom.Salesforce.Client.Tests.Packaging;

/// <summary>
/// An app that references every packed library, restored as a user's app would be (net8.0 and net10.0): no downgrade,
/// and every Microsoft.Extensions package it ends up with is of its framework's line, so a net8.0 app does not mix 8.0
/// and 10.0 Microsoft.Extensions through us.
/// </summary>
public sealed class ConsumerRestoreTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("atom-consumer-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned some other time.
        }
    }

    /// <summary>
    /// The one documented exception (PackageMetadataTests): HybridCache has no 8.0 release, so on net8.0 the caching package
    /// brings HybridCache 9.10.0 and the 9.0 packages it needs. Nothing else may leave the 8 line.
    /// </summary>
    private static readonly HashSet<string> HybridCacheClosureOnNet8 =
    [
        "Microsoft.Extensions.Caching.Hybrid", "Microsoft.Extensions.Caching.Abstractions", "Microsoft.Extensions.Caching.Memory",
        "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Primitives",
    ];

    [Fact]
    public async Task An_app_referencing_every_package_restores_one_Microsoft_Extensions_line_per_framework()
    {
        var libraries = PackedPackages.All.Where(p => PackageMetadataTests.ExpectedDependencies.ContainsKey(p.Id)).ToList();
        Assert.Equal(PackageMetadataTests.ExpectedDependencies.Count, libraries.Count);

        var project = Path.Combine(_work, "app", "App.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        await File.WriteAllTextAsync(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
              </PropertyGroup>
              <ItemGroup>
            {string.Concat(libraries.Select(p => $"    <PackageReference Include=\"{p.Id}\" Version=\"{p.Version}\" />\n"))}  </ItemGroup>
            </Project>
            """, TestContext.Current.CancellationToken);
        var config = Path.Combine(_work, "nuget.config");
        await File.WriteAllTextAsync(config, NuGetConfig(), TestContext.Current.CancellationToken);

        // A private packages folder: the global one may hold an older pack of the same version of our packages.
        var (exitCode, output) = await RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", ["restore", project, "--configfile", config, "--packages", Path.Combine(_work, "packages"), "-nologo"]);
        Assert.True(exitCode == 0, $"dotnet restore of an app referencing the packages failed ({exitCode}):\n{output}");

        using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_work, "app", "obj", "project.assets.json"), TestContext.Current.CancellationToken));
        var downgrades = assets.RootElement.TryGetProperty("logs", out var logs)
            ? logs.EnumerateArray().Where(l => l.GetProperty("code").GetString() is "NU1605" or "NU1608" or "NU1107" or "NU1603")
                .Select(l => $"{l.GetProperty("code").GetString()}: {l.GetProperty("message").GetString()}").ToList()
            : [];
        Assert.True(downgrades.Count == 0, "The app's restore reports a downgrade or a version conflict:\n" + string.Join('\n', downgrades));

        foreach (var target in assets.RootElement.GetProperty("targets").EnumerateObject())
        {
            var major = target.Name switch
            {
                "net8.0" => 8,
                "net10.0" => 10,
                _ => throw new InvalidOperationException($"Unexpected restore target {target.Name}."),
            };
            var extensions = target.Value.EnumerateObject()
                .Select(library => library.Name.Split('/'))
                .Where(nameAndVersion => nameAndVersion[0].StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
                .ToList();
            Assert.NotEmpty(extensions);
            var offLine = extensions.Where(e => int.Parse(e[1].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) != major)
                .Where(e => !(major == 8 && HybridCacheClosureOnNet8.Contains(e[0]) && e[1].StartsWith("9.", StringComparison.Ordinal)))
                .Select(e => $"{e[0]} {e[1]}").ToList();
            Assert.True(offLine.Count == 0,
                $"A {target.Name} app gets Microsoft.Extensions outside the {major} line through our packages: {string.Join(", ", offLine)}");
        }
    }

    /// <summary>
    /// The repository's nuget.config sources, the packed packages for our ids (package source mapping, so that no
    /// other source can answer for them), and the machine's global packages folder as a local feed, so that a restore
    /// does not download again what the build already has.
    /// </summary>
    private string NuGetConfig()
    {
        var repository = XDocument.Load(Path.Combine(PackedPackages.RepositoryRoot, "nuget.config"));
        var sources = repository.Descendants("packageSources").Elements("add")
            .Select(a => (Key: a.Attribute("key")!.Value, Value: a.Attribute("value")!.Value))
            .ToList();
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (Directory.Exists(globalPackages))
        {
            sources.Insert(0, ("machine-packages", globalPackages));
        }

        var document = new XDocument(new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "atom-packed"), new XAttribute("value", PackedPackages.Directory)),
                sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Value)))),
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "atom-packed"),
                    new XElement("package", new XAttribute("pattern", "Atom.Salesforce.*"))),
                sources.Select(s => new XElement("packageSource", new XAttribute("key", s.Key),
                    new XElement("package", new XAttribute("pattern", "*")))))));
        return document.ToString();
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = _work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host may run under MSBuild's environment (dotnet test): the app's restore must not inherit it.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
