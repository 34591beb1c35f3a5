using Atom.Salesforce.Docs.Tests.Markdown;
using Atom.Salesforce.Docs.Tests.Snippets;

namespace Atom.Salesforce.Docs.Tests;

/// <summary>Every C# block of the documentation compiles as a reader would paste it into Program.cs.</summary>
public sealed class SnippetCompileTests
{
    /// <summary>One case per C# block, named by file, nearest heading, block number and line.</summary>
    public static IEnumerable<TheoryDataRow<string>> CSharpBlocks() =>
        DocumentationFiles.CSharpBlocks.Select(b => new TheoryDataRow<string>(b.Id) { TestDisplayName = b.DisplayName });

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Block_compiles(string id)
    {
        var compiled = SnippetCompiler.Compile(DocumentationFiles.Find(id));

        Assert.True(compiled.Problems.Count == 0, $"{compiled.Block.DisplayName} does not compile:\n{string.Join('\n', compiled.Problems)}");
    }

    [Fact]
    public void A_mistake_is_reported_with_the_markdown_line()
    {
        var block = MarkdownDocument.Parse("docs/x.md", "# Title\n\n```csharp\nvar a = 1;\nConsole.WriteLine(b);\n```\n").Blocks[0];

        var compiled = SnippetCompiler.Compile(block);

        var problem = Assert.Single(compiled.Problems);
        Assert.StartsWith("docs/x.md:5:19 (block 1, \"Title\"): CS0103", problem);
    }

    [Fact]
    public void A_using_the_block_does_not_need_fails_it()
    {
        var block = MarkdownDocument.Parse("README.md", "```csharp\nusing System.Text;\n\nConsole.WriteLine(ct.IsCancellationRequested);\n```\n").Blocks[0];

        var compiled = SnippetCompiler.Compile(block);

        Assert.Contains(compiled.Problems, p => p.Contains("CS8019", StringComparison.Ordinal));
    }

    [Fact]
    public void Ambient_names_and_a_web_projects_implicit_usings_need_no_declaration()
    {
        var block = MarkdownDocument.Parse("README.md", """
            ```csharp
            using Atom.Salesforce.Client;

            SalesforceClient client = sf;
            services.AddLogging();
            Console.WriteLine($"{client} {configuration} {provider} {ct} {builder} {app}");
            ```
            """).Blocks[0];

        var compiled = SnippetCompiler.Compile(block);

        Assert.Empty(compiled.Problems);
    }
}
