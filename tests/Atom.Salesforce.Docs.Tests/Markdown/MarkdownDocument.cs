using System.Text.RegularExpressions;

namespace Atom.Salesforce.Docs.Tests.Markdown;

/// <summary>A fenced code block of a documentation file.</summary>
/// <param name="File">The repository-relative path of the file.</param>
/// <param name="Number">The block's number in its file, 1-based, counting every fenced block.</param>
/// <param name="Language">The fence's language (the first word of its info string, lower case), or "" when it has none.</param>
/// <param name="FenceLine">The 1-based line of the opening fence.</param>
/// <param name="Code">The block's content, its fence's indentation removed.</param>
/// <param name="Heading">The nearest heading above the block, or the file name.</param>
/// <param name="Marker">The <c>&lt;!-- snippet: ... --&gt;</c> comment right before the fence (its text after "snippet:"), or null.</param>
public sealed record FencedBlock(string File, int Number, string Language, int FenceLine, string Code, string Heading, string? Marker)
{
    /// <summary>The languages that are C#.</summary>
    public static readonly IReadOnlySet<string> CSharpLanguages = new HashSet<string>(["csharp", "cs", "c#"], StringComparer.Ordinal);

    /// <summary>Identifies the block across discovery and run: file and block number.</summary>
    public string Id => $"{File}#{Number}";

    /// <summary>Where a reader finds the block: file and fence line.</summary>
    public string Location => $"{File}:{FenceLine}";

    /// <summary>True for a C# block.</summary>
    public bool IsCSharp => CSharpLanguages.Contains(Language);

    /// <summary>The name in <c>&lt;!-- snippet: run NAME --&gt;</c>, or null when the block is not marked to run.</summary>
    public string? RunName => Marker is { } m && m.StartsWith("run ", StringComparison.Ordinal) ? m["run ".Length..].Trim() : null;

    /// <summary>The markdown line of a line of <see cref="Code"/> (0-based in the code).</summary>
    public int MarkdownLine(int codeLine) => FenceLine + 1 + codeLine;

    /// <summary>A display name that points at the block: file, nearest heading, block number and line.</summary>
    public string DisplayName => $"{File} › {Heading} (block {Number}, line {FenceLine})";

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}

/// <summary>A snippet marker comment and the line it is on.</summary>
public sealed record SnippetMarker(string File, int Line, string Text, bool AttachedToFence);

/// <summary>A markdown file's fenced blocks and snippet markers.</summary>
public sealed partial class MarkdownDocument
{
    private MarkdownDocument(string path, IReadOnlyList<FencedBlock> blocks, IReadOnlyList<SnippetMarker> markers)
    {
        Path = path;
        Blocks = blocks;
        Markers = markers;
    }

    /// <summary>The repository-relative path.</summary>
    public string Path { get; }

    /// <summary>Every fenced block, in order.</summary>
    public IReadOnlyList<FencedBlock> Blocks { get; }

    /// <summary>Every <c>&lt;!-- snippet: ... --&gt;</c> comment outside a fence.</summary>
    public IReadOnlyList<SnippetMarker> Markers { get; }

    /// <summary>Reads the fenced blocks (``` or ~~~, CommonMark rules: a closing fence of the same character, at least as long).</summary>
    public static MarkdownDocument Parse(string path, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<FencedBlock>();
        var markers = new List<SnippetMarker>();
        var heading = System.IO.Path.GetFileName(path);
        string? pendingMarker = null;
        var pendingMarkerLine = 0;

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var open = FenceRegex().Match(line);
            if (open.Success)
            {
                var indent = open.Groups["indent"].Value.Length;
                var fence = open.Groups["fence"].Value;
                var info = open.Groups["info"].Value.Trim();
                var language = info.Split(' ', 2)[0].ToLowerInvariant();
                var code = new List<string>();
                var fenceLine = i + 1;
                for (i++; i < lines.Length; i++)
                {
                    var close = CloseRegex().Match(lines[i]);
                    if (close.Success && close.Groups["fence"].Value[0] == fence[0] && close.Groups["fence"].Value.Length >= fence.Length)
                    {
                        break;
                    }

                    code.Add(StripIndent(lines[i], indent));
                }

                if (pendingMarker is not null)
                {
                    markers.Add(new SnippetMarker(path, pendingMarkerLine, pendingMarker, AttachedToFence: true));
                }

                blocks.Add(new FencedBlock(path, blocks.Count + 1, language, fenceLine, string.Join('\n', code), heading, pendingMarker));
                pendingMarker = null;
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (pendingMarker is not null)
            {
                markers.Add(new SnippetMarker(path, pendingMarkerLine, pendingMarker, AttachedToFence: false));
                pendingMarker = null;
            }

            var marker = MarkerRegex().Match(line);
            if (marker.Success)
            {
                pendingMarker = marker.Groups["text"].Value.Trim();
                pendingMarkerLine = i + 1;
                continue;
            }

            var h = HeadingRegex().Match(line);
            if (h.Success)
            {
                heading = h.Groups["title"].Value.Trim();
            }
        }

        if (pendingMarker is not null)
        {
            markers.Add(new SnippetMarker(path, pendingMarkerLine, pendingMarker, AttachedToFence: false));
        }

        return new MarkdownDocument(path, blocks, markers);
    }

    private static string StripIndent(string line, int indent)
    {
        var n = 0;
        while (n < indent && n < line.Length && line[n] == ' ')
        {
            n++;
        }

        return line[n..];
    }

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"^ *(?<fence>`{3,}|~{3,})\s*$")]
    private static partial Regex CloseRegex();

    [GeneratedRegex(@"^\s*<!--\s*snippet:(?<text>.*?)-->\s*$")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$")]
    private static partial Regex HeadingRegex();
}
