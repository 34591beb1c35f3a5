using System.Collections.Immutable;
using System.Text;
using Atom.Salesforce.Docs.Tests.Markdown;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Atom.Salesforce.Docs.Tests.Snippets;

/// <summary>The result of compiling one block: its errors (with markdown lines) and, when it compiled, its assembly.</summary>
public sealed record CompiledSnippet(FencedBlock Block, IReadOnlyList<string> Problems, byte[]? Assembly, byte[]? Symbols);

/// <summary>
/// Compiles a documentation block as a reader would paste it into Program.cs: the block as its own top-level program
/// (usings, statements, then type declarations), beside the implicit usings of a web project and the ambient names.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>
    /// Warnings that fail a snippet as errors do: each one means the snippet misleads a reader (a dereference that can
    /// throw, a call not awaited, an obsolete API, a using the block does not need, a using given twice).
    /// </summary>
    public static readonly IReadOnlySet<string> FailingWarnings = new HashSet<string>(StringComparer.Ordinal)
    {
        "CS8600", "CS8602", "CS8603", "CS8604", // nullable: a null that reaches a non-null place
        "CS4014",                               // an async call not awaited
        "CS0612", "CS0618",                     // obsolete API
        "CS8019", "CS0105",                     // a using the block does not need, or gives twice
    };

    // DocumentationMode.Parse: only then does Roslyn report unused usings (CS8019).
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Regular);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly Lazy<ImmutableArray<ISourceGenerator>> Generators = new(LoadGenerators);

    private static readonly Lazy<ImmutableArray<SyntaxTree>> HarnessTrees = new(() =>
    [
        CSharpSyntaxTree.ParseText(SourceText.From(Ambient.Source, Encoding.UTF8), ParseOptions, path: "ReadmeAmbient.cs"),
        CSharpSyntaxTree.ParseText(SourceText.From(Ambient.ImplicitUsingsSource, Encoding.UTF8), ParseOptions, path: "ImplicitUsings.g.cs"),
    ]);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FencedBlock, Lazy<CompiledSnippet>> Cache = new();

    /// <summary>Compiles (and, when it has no errors, emits) the block; once per block and content.</summary>
    public static CompiledSnippet Compile(FencedBlock block) => Cache.GetOrAdd(block, b => new Lazy<CompiledSnippet>(() => CompileOnce(b))).Value;

    private static CompiledSnippet CompileOnce(FencedBlock block)
    {
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(block.Code, Encoding.UTF8), ParseOptions, path: block.File);
        var isProgram = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Debug,
                concurrentBuild: false);
        Compilation compilation = CSharpCompilation.Create(
            $"Snippet_{Sanitize(block.File)}_{block.Number}", [tree, .. HarnessTrees.Value], References.Value, options);

        // A reader's project runs the SDK's source generators; a block with a JsonSerializerContext needs System.Text.Json's.
        CSharpGeneratorDriver.Create(Generators.Value).RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);

        // Errors anywhere; the failing warnings (and CS8019, a hidden diagnostic) in the block only: the harness's global
        // usings are a project's implicit ones, and unused ones are normal there.
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || (FailingWarnings.Contains(d.Id) && d.Location.SourceTree == tree))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => Describe(block, tree, d))
            .ToList();
        if (problems.Count > 0)
        {
            return new CompiledSnippet(block, problems, null, null);
        }

        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb));
        return emitted.Success
            ? new CompiledSnippet(block, [], pe.ToArray(), pdb.ToArray())
            : new CompiledSnippet(block, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => Describe(block, tree, d)).ToList(), null, null);
    }

    private static string Describe(FencedBlock block, SyntaxTree snippetTree, Diagnostic diagnostic)
    {
        if (diagnostic.Location.SourceTree == snippetTree)
        {
            var line = diagnostic.Location.GetLineSpan().StartLinePosition;
            var text = block.Code.Split('\n')[line.Line].Trim();
            return $"{block.File}:{block.MarkdownLine(line.Line)}:{line.Character + 1} (block {block.Number}, \"{block.Heading}\"): " +
                   $"{diagnostic.Id} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}\n    {text}";
        }

        return $"{block.File} (block {block.Number}, \"{block.Heading}\"), in {diagnostic.Location.SourceTree?.FilePath ?? "the compilation"}: " +
               $"{diagnostic.Id} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static string Sanitize(string path) => new([.. path.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);

    /// <summary>
    /// System.Text.Json's source generator, from the .NET SDK's reference pack (packs/Microsoft.NETCore.App.Ref/VERSION/analyzers)
    /// beside the runtime this test runs on: what a reader's project gets without referencing anything.
    /// </summary>
    private static ImmutableArray<ISourceGenerator> LoadGenerators()
    {
        var runtime = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        var dotnetRoot = runtime.Parent!.Parent!.Parent!.FullName;
        var refPacks = new DirectoryInfo(Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref"));
        var generator = refPacks.Exists
            ? refPacks.GetDirectories()
                .Where(d => d.Name.StartsWith($"{Environment.Version.Major}.", StringComparison.Ordinal))
                .OrderByDescending(d => Version.TryParse(d.Name.Split('-')[0], out var v) ? v : new Version())
                .Select(d => Path.Combine(d.FullName, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
                .FirstOrDefault(File.Exists)
            : null;
        if (generator is null)
        {
            throw new InvalidOperationException($"System.Text.Json.SourceGeneration.dll not found under {refPacks.FullName}: the docs tests need the .NET SDK's reference pack.");
        }

        var assembly = System.Reflection.Assembly.LoadFrom(generator);
        return [.. assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetCustomAttributes(typeof(GeneratorAttribute), inherit: false).Length > 0)
            .Select(t => Activator.CreateInstance(t) switch
            {
                IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
                ISourceGenerator classic => classic,
                _ => throw new InvalidOperationException($"{t} is not a source generator."),
            })];
    }

    /// <summary>
    /// This process's trusted platform assemblies: the runtime, ASP.NET Core, every src library and their dependencies,
    /// less the test tooling (xunit, Roslyn, the test platform) a reader's app would not have.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
                  ?? throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES is not set: the tests must run on .NET (CoreCLR).");
        string[] excluded = ["xunit", "Microsoft.CodeAnalysis", "Microsoft.Testing", "Microsoft.TestPlatform", "testhost", "Atom.Salesforce.Docs.Tests"];
        return [.. tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !excluded.Any(x => Path.GetFileName(p).StartsWith(x, StringComparison.OrdinalIgnoreCase)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
