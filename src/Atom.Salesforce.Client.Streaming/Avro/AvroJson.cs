using System.Globalization;
using System.Text.Json;

namespace Atom.Salesforce.Client.Streaming.Avro;

/// <summary>
/// Writes decoded Avro values as plain JSON (not Avro's JSON encoding: a union is its value, with no branch wrapper), so that
/// System.Text.Json can bind an event to the caller's type with the same metadata and conventions as a REST record.
/// Salesforce's date/time fields (epoch milliseconds, <c>doc</c> <c>…:DateTime</c>) are written as ISO 8601 UTC, as REST does.
/// </summary>
internal static class AvroJson
{
    /// <param name="writer">Where the object goes.</param>
    /// <param name="record">The record.</param>
    /// <param name="skipField">A field to leave out (the change event header), or null.</param>
    /// <param name="extra">Writes properties before the record's own (the record type, its id), or null.</param>
    public static void WriteRecord(Utf8JsonWriter writer, AvroRecord record, string? skipField, Action<Utf8JsonWriter>? extra)
    {
        writer.WriteStartObject();
        extra?.Invoke(writer);
        var fields = record.Schema.Fields;
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].Name;
            if (skipField is not null && string.Equals(name, skipField, StringComparison.Ordinal))
            {
                continue;
            }

            writer.WritePropertyName(name);
            if (fields[i].IsSalesforceDateTime && record[i] is long epochMilliseconds)
            {
                // As the REST API writes it, so that a DateTimeOffset property binds.
                WriteValue(writer, DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds));
                continue;
            }

            WriteValue(writer, record[i]);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
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
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                WriteFloating(writer, d);
                break;
            case float f:
                WriteFloating(writer, f);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case AvroRecord record:
                WriteRecord(writer, record, skipField: null, extra: null);
                break;
            case DateTimeOffset timestamp:
                writer.WriteStringValue(timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTime local:
                writer.WriteStringValue(local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case Guid guid:
                writer.WriteStringValue(guid);
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>JSON has no NaN or infinity: those become strings, as System.Text.Json's named floating-point literals.</summary>
    private static void WriteFloating(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
