namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>A plain-text table for the terminal: a title, a header, a rule, rows; numeric columns aligned right.</summary>
public sealed class TextTable
{
    private readonly string _title;
    private readonly string[] _headers;
    private readonly bool[] _alignRight;
    private readonly List<string[]> _rows = [];

    /// <summary>A table whose columns are named by <paramref name="columns"/>; a name starting with <c>&gt;</c> is aligned right.</summary>
    public TextTable(string title, params string[] columns)
    {
        _title = title;
        _alignRight = [.. columns.Select(c => c.StartsWith('>'))];
        _headers = [.. columns.Select(c => c.TrimStart('>'))];
    }

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public TextTable Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table followed by a blank line.</summary>
    public void Write(TextWriter writer)
    {
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(_title);
        writer.WriteLine(Line(_headers, widths));
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            writer.WriteLine(Line(row, widths));
        }

        writer.WriteLine();
    }

    private string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => _alignRight[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
