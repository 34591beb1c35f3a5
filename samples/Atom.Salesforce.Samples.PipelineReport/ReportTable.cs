using System.Text;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>
/// One table of the report, printed in the terminal (a title, a header, a rule, rows; numbers aligned right; text cells cut
/// with an ellipsis when the table would not fit the width) and written whole, every cell in full, into report.html.
/// </summary>
public sealed class ReportTable
{
    /// <summary>The mark that ends a text cell cut to fit the terminal.</summary>
    public const char Ellipsis = '…';

    private const string Gap = "  ";
    private readonly bool[] _alignRight;
    private readonly bool[] _htmlOnly;
    private readonly List<string[]> _rows = [];
    private readonly List<string?> _styles = [];
    private readonly List<string> _notes = [];

    /// <summary>
    /// A table whose columns are named by <paramref name="columns"/>; a name starting with <c>&gt;</c> is aligned right, one
    /// starting with <c>#</c> is in the HTML only (an id next to the name the terminal shows).
    /// </summary>
    /// <param name="id">The table's id in report.html.</param>
    /// <param name="title">The title, printed above it and as its caption in the HTML.</param>
    /// <param name="columns">The column headers.</param>
    public ReportTable(string id, string title, params string[] columns)
    {
        Id = id;
        Title = title;
        _alignRight = [.. columns.Select(c => c.StartsWith('>'))];
        _htmlOnly = [.. columns.Select(c => c.StartsWith('#'))];
        Headers = [.. columns.Select(c => c.TrimStart('>', '#'))];
    }

    /// <summary>The table's id in report.html.</summary>
    public string Id { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows, each cell in full.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Lines printed under the rows (and under the table in the HTML).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>True for a column written in the HTML only.</summary>
    public bool IsHtmlOnly(int column) => _htmlOnly[column];

    /// <summary>True for a column aligned right (numbers).</summary>
    public bool IsNumeric(int column) => _alignRight[column];

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public ReportTable Add(params string[] cells) => AddStyled(null, cells);

    /// <summary>Adds a row printed in <paramref name="style"/> (a Spectre.Console style) on a colour terminal.</summary>
    public ReportTable AddStyled(string? style, params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Headers.Count)
        {
            throw new ArgumentException($"Expected {Headers.Count} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        _styles.Add(style);
        return this;
    }

    /// <summary>Adds a line printed under the rows.</summary>
    public ReportTable Note(string text)
    {
        _notes.Add(text);
        return this;
    }

    /// <summary>The style of row <paramref name="row"/>, or null.</summary>
    public string? RowStyle(int row) => _styles[row];

    /// <summary>
    /// The table as lines of at most <paramref name="width"/> columns where it can be: title, header, rule, rows. When the
    /// natural widths do not fit, the widest text (left-aligned) column is narrowed first, down to its header's width, and
    /// its longer cells end in <see cref="Ellipsis"/>; numbers are never cut.
    /// </summary>
    public IReadOnlyList<string> Lines(int width)
    {
        var shown = Enumerable.Range(0, Headers.Count).Where(i => !_htmlOnly[i]).ToArray();
        return new ReportTable(Id, Title, [.. shown.Select(i => (_alignRight[i] ? ">" : "") + Headers[i])])
            .FitLines(_rows.Select(r => shown.Select(i => r[i]).ToArray()), width);
    }

    private List<string> FitLines(IEnumerable<string[]> rows, int width)
    {
        _rows.AddRange(rows);
        var widths = Headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var minimum = Headers.Select(h => Math.Max(h.Length, 6)).ToArray();
        while (widths.Sum() + (Gap.Length * (widths.Length - 1)) > width)
        {
            var widest = -1;
            for (var i = 0; i < widths.Length; i++)
            {
                if (!_alignRight[i] && widths[i] > minimum[i] && (widest < 0 || widths[i] > widths[widest]))
                {
                    widest = i;
                }
            }

            if (widest < 0)
            {
                break;
            }

            widths[widest]--;
        }

        var lines = new List<string>(_rows.Count + 3) { Cut(Title, width), Line(Headers, widths), string.Join(Gap, widths.Select(w => new string('-', w))) };
        lines.AddRange(_rows.Select(row => Line(row, widths)));
        return lines;
    }

    /// <summary><paramref name="text"/> in at most <paramref name="width"/> columns, ending in <see cref="Ellipsis"/> when cut.</summary>
    public static string Cut(string text, int width) =>
        text.Length <= width ? text : string.Concat(text.AsSpan(0, Math.Max(0, width - 1)).TrimEnd(), Ellipsis.ToString());

    /// <summary><paramref name="text"/> wrapped at spaces into lines of at most <paramref name="width"/> columns.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        yield return Cut(line.ToString(), width);
    }

    /// <summary>Appends the table to report.html: a caption, every row with every cell in full, the notes under it.</summary>
    public void AppendHtml(StringBuilder html)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Append("<table id=\"").Append(HtmlReport.Esc(Id)).Append("\">\n<caption>").Append(HtmlReport.Esc(Title)).Append("</caption>\n<thead><tr>");
        for (var i = 0; i < Headers.Count; i++)
        {
            html.Append(_alignRight[i] ? "<th class=\"n\">" : "<th>").Append(HtmlReport.Esc(Headers[i])).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append(_alignRight[i] ? "<td class=\"n\">" : "<td>").Append(HtmlReport.Esc(row[i])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        foreach (var note in _notes)
        {
            html.Append("<p class=\"note\">").Append(HtmlReport.Esc(note)).Append("</p>\n");
        }
    }

    private string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(Gap, cells.Select((c, i) => _alignRight[i] ? c.PadLeft(widths[i]) : Cut(c, widths[i]).PadRight(widths[i]))).TrimEnd();
}
