using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Query;

namespace Atom.Salesforce.Client.Records;

/// <summary>
/// Reads a record in one forward pass: <c>attributes</c> give type and URL, <c>Id</c> goes to <see cref="SObject.Id"/>,
/// nested records (by <c>attributes</c>) and child subqueries (by <c>totalSize</c>/<c>done</c> with <c>records</c>) are recognised wherever those properties stand, everything else keeps its JSON kind.
/// Writes the fields only (never <c>attributes</c> or <c>Id</c>), explicit nulls included.
/// </summary>
internal sealed class SObjectConverter : JsonConverter<SObject>
{
    public override SObject? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a record object but found {reader.TokenType}.");
        }

        var record = new SObject(string.Empty, 8);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("attributes"u8))
            {
                reader.Read();
                ReadAttributes(ref reader, record);
                continue;
            }

            var name = reader.GetString()!;
            reader.Read();
            if (string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) && reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
            {
                record.Id = reader.GetString();
                continue;
            }

            record.SetRead(name, ReadValue(ref reader, options));
        }

        return record;
    }

    private static void ReadAttributes(ref Utf8JsonReader reader, SObject record)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isUrl = reader.ValueTextEquals("url"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                record.Type = reader.GetString()!;
            }
            else if (isUrl && reader.TokenType == JsonTokenType.String)
            {
                record.Url = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private object? ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return whole;
                }

                return reader.TryGetDecimal(out var number) ? number : reader.GetDouble();
            case JsonTokenType.StartObject:
                switch (Classify(reader))
                {
                    case NestedKind.Record:
                        return Read(ref reader, typeof(SObject), options);
                    case NestedKind.QueryResult:
                        return JsonSerializer.Deserialize(
                            ref reader, (JsonTypeInfo<QueryResult<SObject>>)options.GetTypeInfo(typeof(QueryResult<SObject>)));
                    default:
                        return JsonElement.ParseValue(ref reader);
                }
            default:
                return JsonElement.ParseValue(ref reader);
        }
    }

    /// <summary>
    /// Tells a nested record (it has <c>attributes</c>) from a child subquery (<c>totalSize</c> or <c>done</c> with <c>records</c>)
    /// and from anything else (a compound field such as an address). Salesforce sends <c>attributes</c>, <c>totalSize</c> or
    /// <c>done</c> first, so the first property decides at once; otherwise the object's own properties are looked through on a
    /// copy of the reader (the converter is only called once the whole value is buffered), because JSON gives no order.
    /// </summary>
    private static NestedKind Classify(Utf8JsonReader peek)
    {
        var first = true;
        var hasRecords = false;
        var hasPaging = false;
        while (peek.Read() && peek.TokenType == JsonTokenType.PropertyName)
        {
            if (peek.ValueTextEquals("attributes"u8))
            {
                return NestedKind.Record;
            }

            if (peek.ValueTextEquals("records"u8))
            {
                hasRecords = true;
            }
            else if (peek.ValueTextEquals("totalSize"u8) || peek.ValueTextEquals("done"u8))
            {
                hasPaging = true;
            }

            if (first && (hasRecords || hasPaging))
            {
                return NestedKind.QueryResult;
            }

            first = false;
            if (!peek.Read() || !peek.TrySkip())
            {
                return NestedKind.Other;
            }
        }

        return hasRecords && hasPaging ? NestedKind.QueryResult : NestedKind.Other;
    }

    private enum NestedKind
    {
        Other,
        Record,
        QueryResult,
    }

    public override void Write(Utf8JsonWriter writer, SObject value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, field) in value.Fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, field, options);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
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
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double:
                throw new JsonException("NaN and infinity cannot be sent to Salesforce.");
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
