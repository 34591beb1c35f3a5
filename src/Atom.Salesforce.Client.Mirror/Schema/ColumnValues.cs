using System.Globalization;

namespace Atom.Salesforce.Client.Mirror.Schema;

/// <summary>
/// Turns a field value, as Bulk API 2.0 CSV, the REST API or a change event carries it, into the .NET value Npgsql writes for
/// the column's type: <see cref="string"/>, <see cref="decimal"/>, <see cref="long"/>, <see cref="DateOnly"/>,
/// <see cref="DateTime"/> (UTC) or <see cref="bool"/>. A value that does not fit the column's type (after a type change the
/// column was not widened for) is refused with a <see cref="FormatException"/> naming the field.
/// </summary>
internal static class ColumnValues
{
    private static readonly DateOnly Epoch = new(1970, 1, 1);

    /// <summary>A Bulk API 2.0 CSV cell: empty is null; dates <c>yyyy-MM-dd</c>, date/times ISO 8601, booleans <c>true</c>/<c>false</c>.</summary>
    public static object? FromText(ColumnKind kind, string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return kind switch
            {
                ColumnKind.Text => text,
                ColumnKind.Numeric => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                ColumnKind.Integer => (long)decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                ColumnKind.Date => text.Length > 10
                    ? DateOnly.FromDateTime(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime)
                    : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                ColumnKind.Timestamp => ParseTimestamp(text),
                ColumnKind.Boolean => bool.Parse(text),
                _ => text,
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"The value of {field} does not fit its {kind.SqlType()} column.", e);
        }
    }

    /// <summary>A REST API value (<see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>).</summary>
    public static object? FromObject(ColumnKind kind, object? value, string field) => value switch
    {
        null => null,
        string s => FromText(kind, s, field),
        bool b => kind switch { ColumnKind.Boolean => b, ColumnKind.Text => b ? "true" : "false", _ => Mismatch(kind, field) },
        long l => Number(kind, l, field),
        int i => Number(kind, i, field),
        decimal m => Number(kind, m, field),
        double d => Number(kind, (decimal)d, field),
        DateTimeOffset t => kind switch
        {
            ColumnKind.Timestamp => t.UtcDateTime,
            ColumnKind.Date => DateOnly.FromDateTime(t.UtcDateTime),
            ColumnKind.Text => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            _ => Mismatch(kind, field),
        },
        DateOnly day => kind switch
        {
            ColumnKind.Date => day,
            ColumnKind.Text => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => Mismatch(kind, field),
        },
        _ => FromText(kind, Convert.ToString(value, CultureInfo.InvariantCulture), field),
    };

    /// <summary>
    /// A change event's Avro value (Pub/Sub API, "Event Deserialization Considerations"): date/times as epoch milliseconds
    /// (<c>long</c>), dates as days since the epoch (<c>int</c>), numbers as <c>double</c>, <c>int</c> or <c>long</c>.
    /// </summary>
    public static object? FromEvent(ColumnKind describedKind, ColumnKind storedKind, object? value, string field)
    {
        object? typed = (describedKind, value) switch
        {
            (_, null) => null,
            (ColumnKind.Timestamp, long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
            (ColumnKind.Date, int days) => Epoch.AddDays(days),
            (ColumnKind.Date, long ms) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime),
            _ => value,
        };
        return FromObject(storedKind, typed, field);
    }

    private static object Number(ColumnKind kind, decimal value, string field) => kind switch
    {
        ColumnKind.Numeric => value,
        ColumnKind.Integer => (long)value,
        ColumnKind.Text => value.ToString(CultureInfo.InvariantCulture),
        _ => Mismatch(kind, field),
    };

    private static object Mismatch(ColumnKind kind, string field) =>
        throw new FormatException($"The value of {field} does not fit its {kind.SqlType()} column.");

    private static DateTime ParseTimestamp(string text)
    {
        // Salesforce writes 2024-05-01T10:00:00.000Z (CSV, REST) or 2024-05-01T10:00:00.000+0000.
        if (text.Length >= 5 && (text[^5] is '+' or '-') && char.IsDigit(text[^1]) && text[^3] != ':')
        {
            text = text[..^2] + ":" + text[^2..];
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;
    }
}
