using System.Text;

namespace Atom.Salesforce.Emulator.Bulk;

/// <summary>Bulk API 2.0 CSV (reference §4.3): a header of field names, quoted values with <c>""</c> escapes, LF or CRLF.</summary>
internal static class Csv
{
    public static char Delimiter(string? columnDelimiter) => (columnDelimiter ?? "COMMA").ToUpperInvariant() switch
    {
        "COMMA" => ',',
        "TAB" => '\t',
        "PIPE" => '|',
        "SEMICOLON" => ';',
        "CARET" => '^',
        "BACKQUOTE" => '`',
        _ => throw new FormatException($"InvalidJob : Invalid column delimiter: {columnDelimiter}"),
    };

    /// <summary>The rows of <paramref name="text"/>, header first; a malformed quote is a <see cref="FormatException"/>.</summary>
    public static List<string[]> Read(string text, char delimiter)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var value = new StringBuilder();
        var i = 0;
        var quoted = false;
        var startOfValue = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        value.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
                    {
                        throw new FormatException($"ClientInputError : a quoted value must be followed by a delimiter or the end of the line (row {rows.Count + 1}).");
                    }

                    continue;
                }

                value.Append(c);
                i++;
                continue;
            }

            if (c == '"' && startOfValue)
            {
                quoted = true;
                startOfValue = false;
                i++;
            }
            else if (c == delimiter)
            {
                row.Add(value.ToString());
                value.Clear();
                startOfValue = true;
                i++;
            }
            else if (c is '\n' or '\r')
            {
                row.Add(value.ToString());
                value.Clear();
                rows.Add([.. row]);
                row.Clear();
                startOfValue = true;
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                value.Append(c);
                startOfValue = false;
                i++;
            }
        }

        if (quoted)
        {
            throw new FormatException("ClientInputError : a quoted value is never closed.");
        }

        if (value.Length > 0 || row.Count > 0)
        {
            row.Add(value.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    /// <summary>One line: values quoted when they hold the delimiter, a quote or a line break; <c>"</c> doubled.</summary>
    public static void WriteRow(StringBuilder builder, IEnumerable<string?> values, char delimiter, string lineEnding)
    {
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                builder.Append(delimiter);
            }

            first = false;
            if (value is null)
            {
                continue;
            }

            if (value.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0)
            {
                builder.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                builder.Append(value);
            }
        }

        builder.Append(lineEnding);
    }
}
