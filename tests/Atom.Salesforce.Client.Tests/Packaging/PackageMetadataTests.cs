using System.Text;
using System.Text.RegularExpressions;

namespace Atom.Salesforce.Client.Tests.Packaging;

/// <summary>
/// What each packed package says about itself (read from the .nuspec files in artifacts/packages): exactly the
/// dependencies it uses directly, per target framework, so that a new one shows as a diff here; the Microsoft.Extensions
/// line of each framework's runtime; its own README, the icon, the repository URL, and a description without stale words.
/// </summary>
public sealed partial class PackageMetadataTests
{
    /// <summary>The one repository URL, set as PackageProjectUrl and RepositoryUrl in src/Directory.Build.props.</summary>
    public const string RepositoryUrl = "https://github.com/atom-salesforce/Atom.Salesforce.Client";

    private static readonly string[] CoreDependencies =
    [
        "Atom.Salesforce.Soql", // QueryAsync and Bulk queries take its SoqlQuery and SoqlBuilder<T>
        "Microsoft.Extensions.Diagnostics", // AddMetrics (the SDK's Meter)
        "Microsoft.Extensions.Http", // AddHttpClient, RemoveAllLoggers, RedactLoggedHeaders
        "Microsoft.Extensions.Logging", // AddLogging
        "Microsoft.Extensions.Options", // OptionsBuilder, [OptionsValidator], ValidateOnStart
        "Microsoft.Extensions.Options.ConfigurationExtensions", // IOptionsChangeTokenSource from configuration
        "Microsoft.Extensions.Configuration.Binder", // the configuration binding source generator (no reflection, NativeAOT)
        // No Polly: retries, timeouts and the circuit breaker are the SDK's own code (issue 22: fewer assemblies at start-up).
    ];

    /// <summary>Package id → target framework → the ids of its dependencies, in any order.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> ExpectedDependencies =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>
        {
            ["Atom.Salesforce.Client"] = new Dictionary<string, string[]>
            {
                ["net8.0"] = CoreDependencies,
                ["net10.0"] = CoreDependencies,
            },
            ["Atom.Salesforce.Soql"] = new Dictionary<string, string[]>
            {
                // The SOQL language stands alone: the client, the emulator and the endpoint pack depend on it, never back.
                ["net8.0"] = [],
                ["net10.0"] = [],
            },
            ["Atom.Salesforce.Client.Postgres"] = new Dictionary<string, string[]>
            {
                // BackgroundService (usage flush, migrations at start).
                // The change event consumer's replay store and lease (UsePostgres) implement the Streaming package's interfaces.
                ["net8.0"] = ["Atom.Salesforce.Client", "Atom.Salesforce.Client.Streaming", "Microsoft.Extensions.Configuration.Binder", "Microsoft.Extensions.Hosting.Abstractions", "Npgsql"],
                ["net10.0"] = ["Atom.Salesforce.Client", "Atom.Salesforce.Client.Streaming", "Microsoft.Extensions.Configuration.Binder", "Microsoft.Extensions.Hosting.Abstractions", "Npgsql"],
            },
            ["Atom.Salesforce.Client.Analytics"] = new Dictionary<string, string[]>
            {
                ["net8.0"] = ["Atom.Salesforce.Client"],
                ["net10.0"] = ["Atom.Salesforce.Client"],
            },
            ["Atom.Salesforce.Client.AspNetCore"] = new Dictionary<string, string[]>
            {
                // Microsoft.Extensions.* come with the ASP.NET Core shared framework (a framework reference, not a package).
                // net8.0: the OpenAPI document uses JsonSchemaExporter, System.Text.Json 9+.
                // Describes and trained lead models live in the SDK's cache (Atom.Salesforce.Client.Caching).
                // Webhooks: change events from the hosted consumer (Streaming), endpoints and outbox in the token store's
                // PostgreSQL database (Postgres, which brings Npgsql).
                ["net8.0"] = ["Atom.Salesforce.Client", "Atom.Salesforce.Client.Analytics", "Atom.Salesforce.Client.Caching", "Atom.Salesforce.Client.Postgres", "Atom.Salesforce.Client.Streaming", "Atom.Salesforce.Soql", "System.Text.Json"],
                ["net10.0"] = ["Atom.Salesforce.Client", "Atom.Salesforce.Client.Analytics", "Atom.Salesforce.Client.Caching", "Atom.Salesforce.Client.Postgres", "Atom.Salesforce.Client.Streaming", "Atom.Salesforce.Soql"],
            },
            ["Atom.Salesforce.Client.Caching"] = new Dictionary<string, string[]>
            {
                // HybridCache (single flight, in-memory level, a distributed cache as the shared level, tags).
                ["net8.0"] = ["Atom.Salesforce.Client", "Microsoft.Extensions.Caching.Hybrid"],
                ["net10.0"] = ["Atom.Salesforce.Client", "Microsoft.Extensions.Caching.Hybrid"],
            },
            ["Atom.Salesforce.Client.Redis"] = new Dictionary<string, string[]>
            {
                // The API budget shared across instances: one Lua script per call on the application's Redis.
                ["net8.0"] = ["Atom.Salesforce.Client", "StackExchange.Redis"],
                ["net10.0"] = ["Atom.Salesforce.Client", "StackExchange.Redis"],
            },
            ["Atom.Salesforce.Client.Streaming"] = new Dictionary<string, string[]>
            {
                // The Pub/Sub API client (gRPC over HTTP/2; the protocol's generated types are internal) and the hosted consumer.
                ["net8.0"] = ["Atom.Salesforce.Client", "Google.Protobuf", "Grpc.Net.Client", "Microsoft.Extensions.Hosting.Abstractions"],
                ["net10.0"] = ["Atom.Salesforce.Client", "Google.Protobuf", "Grpc.Net.Client", "Microsoft.Extensions.Hosting.Abstractions"],
            },
            ["Atom.Salesforce.Client.Mirror"] = new Dictionary<string, string[]>
            {
                // Change events (Streaming), the analytics' data source seam (Analytics), PostgreSQL (Npgsql), the writer as a
                // BackgroundService and the freshness health check (IHealthCheck, without ASP.NET Core).
                ["net8.0"] = ["Atom.Salesforce.Client", "Atom.Salesforce.Client.Analytics", "Atom.Salesforce.Client.Streaming", "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions", "Microsoft.Extensions.Hosting.Abstractions", "Npgsql"],
                ["net10.0"] = ["Atom.Salesforce.Client", "Atom.Salesforce.Client.Analytics", "Atom.Salesforce.Client.Streaming", "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions", "Microsoft.Extensions.Hosting.Abstractions", "Npgsql"],
            },
            ["Atom.Salesforce.Emulator"] = new Dictionary<string, string[]>
            {
                // The Pub/Sub API server (gRPC on ASP.NET Core) and its events, encoded by Apache's Avro library.
                ["net8.0"] = ["Apache.Avro", "Atom.Salesforce.Client", "Atom.Salesforce.Soql", "Google.Protobuf", "Grpc.AspNetCore.Server"],
                ["net10.0"] = ["Apache.Avro", "Atom.Salesforce.Client", "Atom.Salesforce.Soql", "Google.Protobuf", "Grpc.AspNetCore.Server"],
            },
        };

    /// <summary>
    /// The one exception to the line rule: HybridCache has no 8.0 release (9.10.0 is its oldest), so the caching package takes
    /// 9.10.0 on net8.0. That is why caching is a package of its own: the core and every other package keep the 8.0 line, and
    /// only an application that opts into caching on net8.0 gets 9.0 abstractions.
    /// </summary>
    private static readonly (string Id, string Version) HybridCacheOnNet8 = ("Microsoft.Extensions.Caching.Hybrid", "9.10.0");

    /// <summary>Packages whose assemblies run on ASP.NET Core: they carry a framework reference to Microsoft.AspNetCore.App.</summary>
    private static readonly HashSet<string> AspNetCorePackages = ["Atom.Salesforce.Client.AspNetCore", "Atom.Salesforce.Emulator"];

    /// <summary>
    /// The command-line emulator, a .NET tool: it bundles what it runs on, so it has no dependency to hold. It is
    /// checked like the others when it is packed (its project may not exist on every branch).
    /// </summary>
    private const string ToolPackage = "Atom.Salesforce.Emulator.Tool";

    public static TheoryData<string> Libraries => [.. ExpectedDependencies.Keys];

    public static TheoryData<string> AllPackages => [.. ExpectedDependencies.Keys, ToolPackage];

    [Fact]
    public void The_packed_packages_are_the_known_ones()
    {
        var unknown = PackedPackages.All.Select(p => p.Id).Where(id => !ExpectedDependencies.ContainsKey(id) && id != ToolPackage).ToList();
        var missing = ExpectedDependencies.Keys.Where(id => PackedPackages.All.All(p => p.Id != id)).ToList();

        Assert.True(unknown.Count == 0,
            $"Packages the tests do not know: {string.Join(", ", unknown)}. Add their expected dependencies to {nameof(ExpectedDependencies)}.");
        Assert.True(missing.Count == 0, $"Packages missing from {PackedPackages.Directory}: {string.Join(", ", missing)}. Run ./build.sh pack.");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Each_framework_lists_exactly_the_dependencies_the_package_uses(string id)
    {
        var package = PackedPackages.Get(id);
        var expected = ExpectedDependencies[id];

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), package.DependencyGroups.Keys.Order(StringComparer.Ordinal));
        foreach (var (framework, ids) in expected)
        {
            var actual = package.DependencyGroups[framework].Select(d => d.Id).Order(StringComparer.Ordinal).ToList();
            Assert.True(ids.Order(StringComparer.Ordinal).SequenceEqual(actual),
                $"{id} {framework}: expected dependencies\n  {string.Join(", ", ids.Order(StringComparer.Ordinal))}\nbut the .nuspec lists\n  " +
                string.Join(", ", package.DependencyGroups[framework].Select(d => $"{d.Id} {d.Version}")));
        }
    }

    /// <summary>
    /// A net8.0 app gets the 8 line of Microsoft.Extensions through us, a net10.0 app the 10 line: the runtime's own
    /// packages (8.0.x, 10.0.x) and the dotnet/extensions ones (HybridCache aside, see below) alike.
    /// </summary>
    [Theory]
    [MemberData(nameof(Libraries))]
    public void Microsoft_Extensions_dependencies_follow_the_line_of_each_framework(string id)
    {
        var package = PackedPackages.Get(id);

        foreach (var (framework, dependencies) in package.DependencyGroups)
        {
            var major = framework switch
            {
                "net8.0" => 8,
                "net10.0" => 10,
                _ => throw new InvalidOperationException($"{id}: unexpected target framework {framework}."),
            };
            var offLine = dependencies
                .Where(d => d.Id.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && MajorOf(d.Version) != major)
                .Where(d => !(framework == "net8.0" && d.Id == HybridCacheOnNet8.Id && d.Version == HybridCacheOnNet8.Version))
                .Select(d => $"{d.Id} {d.Version}")
                .ToList();
            Assert.True(offLine.Count == 0, $"{id} {framework} references Microsoft.Extensions outside the {major} line: {string.Join(", ", offLine)}");
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ASP_NET_Core_comes_as_a_framework_reference_not_as_packages(string id)
    {
        var package = PackedPackages.Get(id);
        var nuspec = Encoding.UTF8.GetString(package.File($"{id}.nuspec")!);

        Assert.Equal(AspNetCorePackages.Contains(id), nuspec.Contains("<frameworkReference name=\"Microsoft.AspNetCore.App\"", StringComparison.Ordinal));
        Assert.DoesNotContain(package.DependencyGroups.Values.SelectMany(g => g), d => d.Id.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllPackages))]
    public void The_readme_is_the_packages_own(string id)
    {
        var package = PackedPackages.All.SingleOrDefault(p => p.Id == id);
        if (package is null)
        {
            Assert.Equal(ToolPackage, id);   // the tool's project may not exist on this branch
            return;
        }

        var source = Path.Combine(PackedPackages.RepositoryRoot, "src", id, "README.md");
        Assert.Equal("README.md", package.Readme);
        Assert.True(File.Exists(source), $"{id} needs its own package README at src/{id}/README.md.");
        Assert.Equal(File.ReadAllBytes(source), package.File("README.md"));
        var text = File.ReadAllText(source);
        Assert.StartsWith($"# {id}\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"dotnet {(id == ToolPackage ? "tool install --global" : "add package")} {id}", text, StringComparison.Ordinal);

        // nuget.org shows the README away from the repository: a relative link would lead nowhere.
        var relative = MarkdownLink().Matches(text).Select(m => m.Groups["target"].Value)
            .Where(target => !target.StartsWith("https://", StringComparison.Ordinal)).ToList();
        Assert.True(relative.Count == 0, $"src/{id}/README.md has links that are not absolute https URLs: {string.Join(", ", relative)}");
        var otherRepository = MarkdownLink().Matches(text).Select(m => m.Groups["target"].Value)
            .Where(target => target.StartsWith("https://github.com/", StringComparison.Ordinal) && !target.StartsWith(RepositoryUrl + "/", StringComparison.Ordinal)).ToList();
        Assert.True(otherRepository.Count == 0, $"src/{id}/README.md links to GitHub outside {RepositoryUrl}: {string.Join(", ", otherRepository)}");
    }

    [Theory]
    [MemberData(nameof(AllPackages))]
    public void The_icon_and_the_repository_are_set(string id)
    {
        var package = PackedPackages.All.SingleOrDefault(p => p.Id == id);
        if (package is null)
        {
            Assert.Equal(ToolPackage, id);
            return;
        }

        Assert.Equal("icon.png", package.Icon);
        var icon = package.File("icon.png");
        Assert.NotNull(icon);
        Assert.Equal(File.ReadAllBytes(Path.Combine(PackedPackages.RepositoryRoot, "src", "icon.png")), icon);
        // A PNG (signature, then IHDR) of 128 x 128: NuGet's recommended size.
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], icon[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(icon, 12, 4));
        Assert.Equal((128, 128), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(icon.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(icon.AsSpan(20))));

        Assert.Equal(RepositoryUrl, package.ProjectUrl);
        Assert.Equal(RepositoryUrl, package.RepositoryUrl);
    }

    [Theory]
    [MemberData(nameof(AllPackages))]
    public void The_description_says_what_the_package_gives_today(string id)
    {
        var package = PackedPackages.All.SingleOrDefault(p => p.Id == id);
        if (package is null)
        {
            Assert.Equal(ToolPackage, id);
            return;
        }

        var stale = StaleWords().Matches(package.Description).Select(m => m.Value).ToList();
        Assert.True(stale.Count == 0, $"{id}'s description promises rather than describes ({string.Join(", ", stale)}): {package.Description}");
        Assert.Contains("salesforce", package.Tags.Split(' '));
    }

    [Fact]
    public void The_analytics_description_names_every_module()
    {
        var description = PackedPackages.Get("Atom.Salesforce.Client.Analytics").Description;

        foreach (var module in new[] { "pipeline", "leads", "accounts", "performance", "scoring", "win probability", "duplicate detection" })
        {
            Assert.Contains(module, description, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_endpoint_pack_description_names_every_route_family()
    {
        var description = PackedPackages.Get("Atom.Salesforce.Client.AspNetCore").Description;

        foreach (var route in new[] { "accounts", "contacts", "opportunities", "leads", "activities", "stage advance", "lead conversion",
                     "lead scoring", "pipeline", "performance", "analytics", "health", "OAuth", "OpenAPI" })
        {
            Assert.Contains(route, description, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static int MajorOf(string version) =>
        int.Parse(version.TrimStart('[', '(').Split(['.', ',', ')', ']'])[0], System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b(first part|on the way|coming|not yet|soon|planned|preview|later|todo|tbd)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StaleWords();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
