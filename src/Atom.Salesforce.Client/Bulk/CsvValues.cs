using System.Globalization;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Json;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>Values to and from Bulk API 2.0 CSV cells, in Salesforce's formats.</summary>
internal static class CsvValues
{
    /// <summary>The cell value that sets a field to null.</summary>
    public const string Null = "#N/A";

    public static string Format(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString(SalesforceDateTime.DateFormat, CultureInfo.InvariantCulture),
        DateTimeOffset dto => SalesforceDateTime.Format(dto),
        DateTime { Kind: DateTimeKind.Unspecified } => throw CallerArgument.Invalid(
            "A DateTime with DateTimeKind.Unspecified cannot be sent to Salesforce: its instant is unknown. Use DateTimeOffset or a UTC DateTime.", "records"),
        DateTime dt => SalesforceDateTime.Format(new DateTimeOffset(dt)),
        TimeOnly t => t.ToString(SalesforceDateTime.TimeFormat, CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString()!,
        JsonElement j => j.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateOnly) || t == typeof(DateTimeOffset)
            || t == typeof(DateTime) || t == typeof(TimeOnly) || t == typeof(Guid);
    }

    /// <summary>The default value of a scalar value type (see <see cref="IsScalar"/>), without reflection.</summary>
    private static object DefaultOf(Type type) => type switch
    {
        _ when type.IsEnum => Enum.ToObject(type, 0),
        _ when type == typeof(bool) => false,
        _ when type == typeof(int) => 0,
        _ when type == typeof(long) => 0L,
        _ when type == typeof(short) => (short)0,
        _ when type == typeof(byte) => (byte)0,
        _ when type == typeof(sbyte) => (sbyte)0,
        _ when type == typeof(uint) => 0U,
        _ when type == typeof(ulong) => 0UL,
        _ when type == typeof(ushort) => (ushort)0,
        _ when type == typeof(char) => '\0',
        _ when type == typeof(double) => 0D,
        _ when type == typeof(float) => 0F,
        _ when type == typeof(nint) => (nint)0,
        _ when type == typeof(nuint) => (nuint)0,
        _ when type == typeof(decimal) => 0M,
        _ when type == typeof(DateOnly) => default(DateOnly),
        _ when type == typeof(DateTimeOffset) => default(DateTimeOffset),
        _ when type == typeof(DateTime) => default(DateTime),
        _ when type == typeof(TimeOnly) => default(TimeOnly),
        _ when type == typeof(Guid) => Guid.Empty,
        _ => throw new NotSupportedException($"{type.Name} is not a Bulk CSV scalar."),
    };

    /// <summary>Reads a query result cell (empty = null) as <paramref name="type"/>.</summary>
    public static object? Parse(string cell, Type type, string column)
    {
        if (cell.Length == 0)
        {
            return type == typeof(string) || Nullable.GetUnderlyingType(type) is not null || !type.IsValueType ? null : DefaultOf(type);
        }

        var t = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (t == typeof(string))
            {
                return cell;
            }

            if (t == typeof(bool))
            {
                return bool.Parse(cell);
            }

            if (t == typeof(decimal))
            {
                return decimal.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            if (t == typeof(int))
            {
                return int.Parse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture);
            }

            if (t == typeof(double))
            {
                return double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            // Dates arrive as short ASCII text: parse them from a stack buffer, without allocating.
            Span<byte> utf8 = stackalloc byte[64];
            var bytes = cell.Length <= 32 ? utf8[..Encoding.UTF8.GetBytes(cell, utf8)] : Encoding.UTF8.GetBytes(cell);
            if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
            {
                if (!SalesforceDateTime.TryParseDateTime(bytes, out var dto))
                {
                    throw new FormatException("not a Salesforce datetime");
                }

                return t == typeof(DateTime) ? dto.UtcDateTime : dto;
            }

            if (t == typeof(DateOnly))
            {
                return SalesforceDateTime.TryParseDate(bytes, out var d) ? d : throw new FormatException("not a Salesforce date");
            }

            if (t == typeof(TimeOnly))
            {
                return SalesforceDateTime.TryParseTime(bytes, out var time) ? time : throw new FormatException("not a Salesforce time");
            }

            if (t.IsEnum)
            {
                return Enum.Parse(t, cell, ignoreCase: true);
            }

            if (t == typeof(Guid))
            {
                return Guid.Parse(cell);
            }

            return Convert.ChangeType(cell, t, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new FormatException($"Column '{column}' holds '{cell}', which cannot be read as {t.Name}.", e);
        }
    }

    /// <summary>Parses an <c>sf__Error</c> cell: <c>CODE:message</c>, sometimes with <c>:Field1,Field2 --</c> at the end.</summary>
    public static Models.SalesforceError ParseError(string cell)
    {
        var colon = cell.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !cell.AsSpan(0, colon).ContainsOnlyCodeChars())
        {
            return new Models.SalesforceError { ErrorCode = Models.SalesforceError.Codes.UnexpectedResponse, Message = cell };
        }

        var code = cell[..colon];
        var message = cell[(colon + 1)..];
        IReadOnlyList<string> fields = [];
        if (message.EndsWith(" --", StringComparison.Ordinal))
        {
            var lastColon = message.LastIndexOf(':');
            if (lastColon > 0)
            {
                fields = message[(lastColon + 1)..^3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                message = message[..lastColon];
            }
        }

        return new Models.SalesforceError { ErrorCode = code, Message = message, Fields = fields };
    }

    private static bool ContainsOnlyCodeChars(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
