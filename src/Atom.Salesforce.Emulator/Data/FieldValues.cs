using System.Globalization;
using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Data;

/// <summary>Field values between JSON and the CLR values the org stores, in Salesforce's formats.</summary>
internal static class FieldValues
{
    /// <summary>The JSON body of a create or update as field values, read by each field's type.</summary>
    public static Dictionary<string, object?> FromJson(ObjectSchema obj, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of the record from a value that is not an object");
        }

        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("attributes"))
            {
                continue;
            }

            var field = obj.Field(property.Name)
                ?? throw ApiException.InvalidField($"No such column '{property.Name}' on sobject of type {obj.Name}");
            values[field.Name] = FromJson(field, property.Value);
        }

        return values;
    }

    public static object? FromJson(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        switch (field.Type)
        {
            case FieldType.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return value.GetBoolean();
                }

                return bool.TryParse(text, out var flag) ? flag : throw Unreadable(field, value, "boolean");
            case FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
                {
                    return number;
                }

                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) ? number : throw Unreadable(field, value, "double");
            case FieldType.Date:
                return text is not null && TryParseDate(text, out var date) ? date : throw Unreadable(field, value, "date");
            case FieldType.DateTime:
                return text is not null && TryParseDateTime(text, out var dateTime) ? dateTime : throw Unreadable(field, value, "dateTime");
            case FieldType.Time:
                return text is not null && TimeOnly.TryParseExact(text.TrimEnd('Z'), ["HH:mm:ss.fff", "HH:mm:ss", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                    ? time
                    : throw Unreadable(field, value, "time");
            default:
                return value.ValueKind switch
                {
                    JsonValueKind.String => text,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => throw Unreadable(field, value, "string"),
                };
        }
    }

    /// <summary>
    /// A text value (a Bulk CSV cell) read by the field's type: exactly what <see cref="FromJson(FieldDefinition, JsonElement)"/>
    /// gives for the same text as a JSON string, without building a JSON element for it.
    /// </summary>
    public static object? FromText(FieldDefinition field, string text)
    {
        switch (field.Type)
        {
            case FieldType.Boolean:
                return bool.TryParse(text, out var flag) ? flag : throw Unreadable(field, text, "boolean");
            case FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : throw Unreadable(field, text, "double");
            case FieldType.Date:
                return TryParseDate(text, out var date) ? date : throw Unreadable(field, text, "date");
            case FieldType.DateTime:
                return TryParseDateTime(text, out var dateTime) ? dateTime : throw Unreadable(field, text, "dateTime");
            case FieldType.Time:
                return TimeOnly.TryParseExact(text.TrimEnd('Z'), ["HH:mm:ss.fff", "HH:mm:ss", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                    ? time
                    : throw Unreadable(field, text, "time");
            default:
                return text;
        }
    }

    /// <summary><c>yyyy-MM-dd</c>; a dateTime's date part is accepted as Salesforce does.</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        if (TryParseDateTime(text, out var dateTime))
        {
            date = DateOnly.FromDateTime(dateTime.UtcDateTime);
            return true;
        }

        return false;
    }

    /// <summary>ISO 8601 with Z or an offset (with or without a colon), milliseconds optional (reference §1.9).</summary>
    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        string[] formats =
        [
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz",
            "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'",
        ];
        var normalized = text.Length > 5 && text[^5] is '+' or '-' && char.IsAsciiDigit(text[^1]) && text[^3] != ':'
            ? text[..^2] + ":" + text[^2..]
            : text;
        if (DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>Writes a stored value as Salesforce does: datetimes <c>2024-01-31T10:00:00.000+0000</c>, decimals with a fraction.</summary>
    public static void Write(Utf8JsonWriter writer, FieldDefinition? field, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case decimal d:
                WriteNumber(writer, field, d);
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset dateTime:
                writer.WriteStringValue(FormatDateTime(dateTime));
                break;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + "Z");
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double dbl:
                writer.WriteNumberValue(dbl);
                break;
            case CompoundValue compound:
                compound.Write(writer);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    /// <summary>Integers as integers; doubles, currency and percent with at least one decimal place (<c>15000.0</c>).</summary>
    private static void WriteNumber(Utf8JsonWriter writer, FieldDefinition? field, decimal value)
    {
        if (field?.Type == FieldType.Int || (field is null && value == decimal.Truncate(value) && value.Scale == 0))
        {
            writer.WriteNumberValue(decimal.Truncate(value));
            return;
        }

        writer.WriteRawValue(value == decimal.Truncate(value)
            ? decimal.Truncate(value).ToString(CultureInfo.InvariantCulture) + ".0"
            : value.ToString(CultureInfo.InvariantCulture));
    }

    private static ApiException Unreadable(FieldDefinition field, JsonElement value, string type) => new(
        400,
        "JSON_PARSER_ERROR",
        $"Cannot deserialize instance of {type} from {(value.ValueKind == JsonValueKind.String ? "VALUE_STRING" : "VALUE_" + value.ValueKind.ToString().ToUpperInvariant())} value {value.GetRawText()} or request may be missing a required field",
        field.Name);

    /// <summary>The same error as for <paramref name="text"/> sent as a JSON string (the element is built only to fail).</summary>
    private static ApiException Unreadable(FieldDefinition field, string text, string type) =>
        Unreadable(field, JsonSerializer.SerializeToElement(text), type);
}
