namespace Atom.Salesforce.Docs.Tests.Markdown;

/// <summary>The documentation the tests hold to the code: README.md, docs/*.md and every package's src/*/README.md.</summary>
public static class DocumentationFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    private static readonly Lazy<IReadOnlyList<MarkdownDocument>> Documents = new(Load);

    /// <summary>The repository root (the folder holding Atom.Salesforce.Client.sln).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>Every documentation file, parsed, in a stable order.</summary>
    public static IReadOnlyList<MarkdownDocument> All => Documents.Value;

    /// <summary>Every fenced block of every documentation file.</summary>
    public static IEnumerable<FencedBlock> Blocks => All.SelectMany(d => d.Blocks);

    /// <summary>Every C# block (fenced <c>csharp</c>, <c>cs</c> or <c>c#</c>).</summary>
    public static IEnumerable<FencedBlock> CSharpBlocks => Blocks.Where(b => b.IsCSharp);

    /// <summary>The block with this id (<see cref="FencedBlock.Id"/>).</summary>
    public static FencedBlock Find(string id) =>
        Blocks.SingleOrDefault(b => b.Id == id) ?? throw new InvalidOperationException($"No documentation block '{id}' (the file changed since discovery?).");

    /// <summary>The block marked <c>&lt;!-- snippet: run NAME --&gt;</c>.</summary>
    public static FencedBlock FindRunnable(string name)
    {
        var matches = Blocks.Where(b => b.RunName == name).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InvalidOperationException($"No block is marked '<!-- snippet: run {name} -->'."),
            _ => throw new InvalidOperationException($"'<!-- snippet: run {name} -->' marks {matches.Count} blocks: {string.Join(", ", matches.Select(m => m.Location))}."),
        };
    }

    /// <summary>The repository-relative paths of the documentation files, '/'-separated.</summary>
    public static IEnumerable<string> RelativePaths()
    {
        var root = RepositoryRoot;
        var files = new List<string>();
        if (File.Exists(Path.Combine(root, "README.md")))
        {
            files.Add("README.md");
        }

        var docs = Path.Combine(root, "docs");
        if (Directory.Exists(docs))
        {
            files.AddRange(Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal));
        }

        // Package READMEs appear as packages get them; every one found is checked.
        files.AddRange(Directory.EnumerateDirectories(Path.Combine(root, "src"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(File.Exists)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));
        return files;
    }

    private static IReadOnlyList<MarkdownDocument> Load() =>
        RelativePaths().Select(p => MarkdownDocument.Parse(p, File.ReadAllText(Path.Combine(RepositoryRoot, p)))).ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Atom.Salesforce.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Atom.Salesforce.Client.sln above {AppContext.BaseDirectory}: the tests read the documentation from the repository.");
    }
}
