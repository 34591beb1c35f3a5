using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Query;

namespace Atom.Salesforce.Client.Records;

/// <summary>
/// Reads a record in one forward pass: <c>attributes</c> give type and URL, <c>Id</c> goes to <see cref="SObject.Id"/>,
/// nested records (by <c>attributes</c>) and child subqueries (by <c>totalSize</c>/<c>done</c> with <c>records</c>) are recognised wherever those properties stand, everything else keeps its JSON kind.
/// Writes the fields to send only (never <c>attributes</c> or <c>Id</c>; for a record read from Salesforce, only the fields
/// set since), explicit nulls included. Field names are read once per position and reused from then on, since every record
/// of a page repeats the same names in the same order.
/// </summary>
internal sealed class SObjectConverter : JsonConverter<SObject>
{
    private const int CachedDepths = 8;
    private const int CachedPositions = 32;
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    // Racy by design: a slot holds an immutable pair, and a stale or missing one only costs a string allocation.
    private readonly CachedName?[] _names = new CachedName?[CachedDepths * CachedPositions];
    private int _lastFieldCount = 8;

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

        var record = new SObject(string.Empty, _lastFieldCount);
        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("attributes"u8))
            {
                reader.Read();
                ReadAttributes(ref reader, record);
                continue;
            }

            var name = FieldName(ref reader, position++);
            reader.Read();
            if (string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) && reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
            {
                record.Id = reader.GetString();
                continue;
            }

            record.SetRead(name, ReadValue(ref reader, options));
        }

        _lastFieldCount = Math.Max(record.FieldCount, 1);
        record.TrackChanges();
        return record;
    }

    private string FieldName(ref Utf8JsonReader reader, int position)
    {
        var depth = reader.CurrentDepth;
        if (depth >= CachedDepths || position >= CachedPositions || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return reader.GetString()!;
        }

        var slot = depth * CachedPositions + position;
        var cached = _names[slot];
        if (cached is not null && reader.ValueSpan.SequenceEqual(cached.Utf8))
        {
            return cached.Name;
        }

        var name = reader.GetString()!;
        _names[slot] = new CachedName(reader.ValueSpan.ToArray(), name);
        return name;
    }

    private sealed record CachedName(byte[] Utf8, string Name);

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
                return BoxedTrue;
            case JsonTokenType.False:
                return BoxedFalse;
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
            if (value.ShouldSend(name))
            {
                writer.WritePropertyName(name);
                WriteValue(writer, field, options);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The whole record as JSON, id and every field included: for reading a nested record as a POCO.</summary>
    internal static JsonElement ToElement(SObject value, JsonSerializerOptions options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (value.Id is not null)
            {
                writer.WriteString("Id", value.Id);
            }

            foreach (var (name, field) in value.Fields)
            {
                writer.WritePropertyName(name);
                if (field is SObject nested)
                {
                    ToElement(nested, options).WriteTo(writer);
                }
                else if (field is QueryResult<SObject> children)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("totalSize", children.TotalSize);
                    writer.WriteBoolean("done", children.Done);
                    if (children.NextRecordsUrl is not null)
                    {
                        writer.WriteString("nextRecordsUrl", children.NextRecordsUrl);
                    }

                    writer.WriteStartArray("records");
                    foreach (var child in children.Records)
                    {
                        ToElement(child, options).WriteTo(writer);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                else
                {
                    WriteValue(writer, field, options);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
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
                JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
                break;
        }
    }
}
