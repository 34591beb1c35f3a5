using Atom.Salesforce.Docs.Tests.Markdown;
using Atom.Salesforce.Docs.Tests.Snippets;

namespace Atom.Salesforce.Docs.Tests;

/// <summary>Nothing in the documentation escapes the snippet tests silently.</summary>
public sealed class MarkdownRulesTests
{
    /// <summary>The fence languages the documentation uses; C# under any other name would not be compiled.</summary>
    public static readonly IReadOnlySet<string> KnownLanguages =
        new HashSet<string>(["csharp", "bash", "sh", "shell", "console", "powershell", "json", "yaml", "sql", "text", "xml", "http", "csv", "diff"], StringComparer.Ordinal);

    [Fact]
    public void The_documentation_files_are_found()
    {
        var paths = DocumentationFiles.RelativePaths().ToList();

        Assert.Contains("README.md", paths);
        Assert.Contains(DocumentationFiles.CSharpBlocks, b => b.File == "README.md");
    }

    [Fact]
    public void Every_fence_names_a_known_language()
    {
        var unknown = DocumentationFiles.Blocks
            .Where(b => !KnownLanguages.Contains(b.Language) && !FencedBlock.CSharpLanguages.Contains(b.Language))
            .Select(b => $"{b.Location} (\"{b.Heading}\"): fence language '{b.Language}'")
            .ToList();

        Assert.True(unknown.Count == 0,
            "Every fence names its language (C# as ```csharp, so that it is compiled; other text as ```text, ```bash, ...):\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void Every_snippet_marker_marks_a_csharp_block_to_run()
    {
        var wrong = DocumentationFiles.All
            .SelectMany(d => d.Markers)
            .Where(m => !m.AttachedToFence || !m.Text.StartsWith("run ", StringComparison.Ordinal))
            .Select(m => $"{m.File}:{m.Line}: '<!-- snippet:{m.Text} -->'")
            .Concat(DocumentationFiles.Blocks
                .Where(b => b.Marker is not null && !b.IsCSharp)
                .Select(b => $"{b.Location}: a snippet marker on a '{b.Language}' block"))
            .ToList();

        Assert.True(wrong.Count == 0,
            "A snippet marker is '<!-- snippet: run NAME -->' on the line right before a ```csharp fence:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void The_readme_tells_readers_every_ambient_name()
    {
        var readme = File.ReadAllText(Path.Combine(DocumentationFiles.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("Snippets assume", StringComparison.Ordinal);
        Assert.True(start >= 0, "README's examples section says what snippets assume ('Snippets assume ...').");
        var statement = readme[start..readme.IndexOf("\n\n", start, StringComparison.Ordinal)];

        Assert.All(Ambient.Names.Keys, name => Assert.Contains($"`{name}`", statement, StringComparison.Ordinal));
    }

    [Fact]
    public void Runnable_blocks_have_distinct_names()
    {
        var duplicates = DocumentationFiles.Blocks
            .Where(b => b.RunName is not null)
            .GroupBy(b => b.RunName)
            .Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}': {string.Join(", ", g.Select(b => b.Location))}")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Fences_markers_and_headings_are_read_as_a_reader_sees_them()
    {
        var document = MarkdownDocument.Parse("docs/x.md", """
            # Top

            ## Records

            <!-- snippet: run crud -->
            ```csharp
            var x = 1;
            ```

              ````text
              ```csharp
              not a fence
              ````
            """);

        Assert.Collection(document.Blocks,
            b => Assert.Equal(("csharp", "Records", "crud", 6, "var x = 1;"), (b.Language, b.Heading, b.RunName, b.FenceLine, b.Code)),
            b => Assert.Equal(("text", "```csharp\nnot a fence"), (b.Language, b.Code)));
        Assert.Single(document.Markers, m => m.AttachedToFence);
    }
}
