using System.IO.Compression;
using System.Xml.Linq;

namespace Atom.Salesforce.Client.Tests.Packaging;

/// <summary>One packed .nupkg of artifacts/packages: its .nuspec and the files it holds.</summary>
internal sealed class PackedPackage
{
    private readonly Dictionary<string, byte[]> _files;

    private PackedPackage(string path, XElement metadata, Dictionary<string, byte[]> files)
    {
        Path = path;
        _files = files;
        Id = Value(metadata, "id") ?? throw new InvalidOperationException($"{path}: the .nuspec has no id.");
        Version = Value(metadata, "version") ?? "";
        Description = Value(metadata, "description") ?? "";
        Tags = Value(metadata, "tags") ?? "";
        Readme = Value(metadata, "readme");
        Icon = Value(metadata, "icon");
        ProjectUrl = Value(metadata, "projectUrl");
        RepositoryUrl = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url")?.Value;
        PackageTypes = [.. metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")?.Value ?? "")];
        var dependencies = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "dependencies");
        DependencyGroups = dependencies is null
            ? new Dictionary<string, IReadOnlyList<(string Id, string Version)>>()
            : dependencies.Elements()
                .Where(e => e.Name.LocalName == "group")
                .ToDictionary(
                    g => g.Attribute("targetFramework")?.Value ?? "(any)",
                    g => (IReadOnlyList<(string, string)>)[.. g.Elements()
                        .Where(d => d.Name.LocalName == "dependency")
                        .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value))]);
    }

    public string Path { get; }

    public string Id { get; }

    public string Version { get; }

    public string Description { get; }

    public string Tags { get; }

    public string? Readme { get; }

    public string? Icon { get; }

    public string? ProjectUrl { get; }

    public string? RepositoryUrl { get; }

    public IReadOnlyList<string> PackageTypes { get; }

    /// <summary>Target framework (as the .nuspec writes it: net8.0, net10.0) to its dependencies.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Id, string Version)>> DependencyGroups { get; }

    /// <summary>A file of the package by its path inside it, or null.</summary>
    public byte[]? File(string pathInPackage) => _files.GetValueOrDefault(pathInPackage);

    public static PackedPackage Read(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var files = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[entry.FullName] = copy.ToArray();
        }

        var nuspec = files.Single(f => !f.Key.Contains('/') && f.Key.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var reader = new MemoryStream(nuspec.Value);
        var metadata = XDocument.Load(reader).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return new PackedPackage(nupkg, metadata, files);
    }

    private static string? Value(XElement metadata, string name) =>
        metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}

/// <summary>The packages <c>./build.sh pack</c> (and <c>./build.sh test</c>, after the build) wrote to artifacts/packages.</summary>
internal static class PackedPackages
{
    private static readonly Lazy<string> Root = new(FindRoot);

    private static readonly Lazy<IReadOnlyList<PackedPackage>> Packages = new(Load);

    /// <summary>The repository root: the folder holding Atom.Salesforce.Client.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string Directory => System.IO.Path.Combine(RepositoryRoot, "artifacts", "packages");

    /// <summary>Every package, read once; fails with what to run when there are none.</summary>
    public static IReadOnlyList<PackedPackage> All => Packages.Value;

    public static PackedPackage Get(string id)
    {
        var package = All.SingleOrDefault(p => p.Id == id);
        Assert.True(package is not null,
            $"No package '{id}' in {Directory} (found: {string.Join(", ", All.Select(p => p.Id))}). Run ./build.sh pack.");
        return package;
    }

    private static IReadOnlyList<PackedPackage> Load()
    {
        var nupkgs = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.nupkg").Where(f => !f.EndsWith(".symbols.nupkg", StringComparison.OrdinalIgnoreCase)).ToList()
            : [];
        Assert.True(nupkgs.Count > 0,
            $"No packages in {Directory}: run ./build.sh pack (./build.sh test packs after the build) before these tests.");
        var packages = nupkgs.Select(PackedPackage.Read).ToList();
        var twice = packages.GroupBy(p => p.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Version))}").ToList();
        Assert.True(twice.Count == 0, $"Several versions of a package in {Directory} ({string.Join("; ", twice)}): run ./build.sh pack, which empties it first.");
        return packages;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Atom.Salesforce.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Atom.Salesforce.Client.sln above {AppContext.BaseDirectory}: the packaging tests read artifacts/packages of the repository.");
    }
}
