using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Atom.Salesforce.Client.Streaming.Avro;

/// <summary>
/// Writes a JSON value (an event serialized by System.Text.Json, as a POCO or an <c>SObject</c> is for REST) in Avro's
/// binary encoding by a schema. JSON property names match field names case-insensitively; a missing or null field is
/// written as the union's null branch, else as the field's default, else from <c>fill</c> (the fields Salesforce requires
/// of every platform event: <c>CreatedDate</c>, <c>CreatedById</c>), else it is an error naming the field. Nothing is
/// written for a value that does not fit the schema: the caller gets an <see cref="ArgumentException"/> before any I/O.
/// </summary>
internal static class AvroEncoder
{
    public static byte[] EncodeRecord(AvroSchema schema, JsonElement value, Func<AvroField, JsonElement?>? fill)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteRecord(buffer, schema, value, fill, path: schema.ShortName);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRecord(ArrayBufferWriter<byte> output, AvroSchema schema, JsonElement value, Func<AvroField, JsonElement?>? fill, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(path, schema, value);
        }

        foreach (var field in schema.Fields)
        {
            var fieldPath = path + "." + field.Name;
            JsonElement? fieldValue = Find(value, field.Name);
            if (fieldValue is null || fieldValue.Value.ValueKind == JsonValueKind.Null)
            {
                if (fieldValue is null && fill?.Invoke(field) is { } filled)
                {
                    fieldValue = filled;
                }
                else if (field.Schema.Type == AvroType.Null || field.Schema.NullBranch >= 0)
                {
                    fieldValue = null;
                }
                else if (field.Default is { } defaultValue)
                {
                    // A union's default is a value of its first branch.
                    Write(output, field.Schema.Type == AvroType.Union ? field.Schema.Branches[0] : field.Schema, defaultValue, fieldPath, unionIndex: field.Schema.Type == AvroType.Union ? 0 : -1);
                    continue;
                }
                else if (fill?.Invoke(field) is { } required)
                {
                    fieldValue = required;
                }
                else
                {
                    throw new ArgumentException($"The event has no value for '{fieldPath}', which its schema requires.");
                }
            }

            Write(output, field.Schema, fieldValue ?? default, fieldPath, unionIndex: -1);
        }
    }

    private static JsonElement? Find(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    // unionIndex: when the schema is a branch of a union chosen already, its index to write first; -1 otherwise.
    private static void Write(ArrayBufferWriter<byte> output, AvroSchema schema, JsonElement value, string path, int unionIndex)
    {
        if (unionIndex >= 0)
        {
            WriteLong(output, unionIndex);
        }

        var kind = value.ValueKind;
        switch (schema.Type)
        {
            case AvroType.Null:
                if (kind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                {
                    throw Mismatch(path, schema, value);
                }

                break;
            case AvroType.Boolean:
                output.GetSpan(1)[0] = kind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => throw Mismatch(path, schema, value),
                };
                output.Advance(1);
                break;
            case AvroType.Int:
                WriteLong(output, ToInt(schema, value, path));
                break;
            case AvroType.Long:
                WriteLong(output, ToLong(schema, value, path));
                break;
            case AvroType.Float:
                BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), (float)ToDouble(schema, value, path));
                output.Advance(4);
                break;
            case AvroType.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), ToDouble(schema, value, path));
                output.Advance(8);
                break;
            case AvroType.Bytes:
                {
                    var bytes = schema.LogicalType == AvroLogicalType.Decimal ? Unscaled(schema, value, path) : Base64(schema, value, path);
                    WriteLong(output, bytes.Length);
                    output.Write(bytes);
                    break;
                }

            case AvroType.String:
                {
                    if (kind != JsonValueKind.String)
                    {
                        throw Mismatch(path, schema, value);
                    }

                    WriteString(output, value.GetString()!);
                    break;
                }

            case AvroType.Record:
                WriteRecord(output, schema, value, fill: null, path);
                break;
            case AvroType.Enum:
                {
                    var symbol = kind == JsonValueKind.String ? value.GetString() : null;
                    var index = symbol is null ? -1 : Array.IndexOf(schema.Symbols, symbol);
                    if (index < 0)
                    {
                        throw new ArgumentException($"The value of '{path}' must be one of {string.Join(", ", schema.Symbols)}; got {value.GetRawText()}.");
                    }

                    WriteLong(output, index);
                    break;
                }

            case AvroType.Fixed:
                {
                    var bytes = schema.LogicalType == AvroLogicalType.Decimal ? SignExtend(Unscaled(schema, value, path), schema.Size, path) : Base64(schema, value, path);
                    if (bytes.Length != schema.Size)
                    {
                        throw new ArgumentException($"The value of '{path}' must be {schema.Size} bytes; got {bytes.Length}.");
                    }

                    output.Write(bytes);
                    break;
                }

            case AvroType.Array:
                {
                    if (kind != JsonValueKind.Array)
                    {
                        throw Mismatch(path, schema, value);
                    }

                    var count = value.GetArrayLength();
                    if (count > 0)
                    {
                        WriteLong(output, count);
                        var i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Write(output, schema.Items!, item, $"{path}[{i++}]", unionIndex: -1);
                        }
                    }

                    WriteLong(output, 0);
                    break;
                }

            case AvroType.Map:
                {
                    if (kind != JsonValueKind.Object)
                    {
                        throw Mismatch(path, schema, value);
                    }

                    var count = value.EnumerateObject().Count();
                    if (count > 0)
                    {
                        WriteLong(output, count);
                        foreach (var property in value.EnumerateObject())
                        {
                            WriteString(output, property.Name);
                            Write(output, schema.Items!, property.Value, path + "." + property.Name, unionIndex: -1);
                        }
                    }

                    WriteLong(output, 0);
                    break;
                }

            case AvroType.Union:
                {
                    var branch = Branch(schema, value);
                    if (branch < 0)
                    {
                        throw Mismatch(path, schema, value);
                    }

                    Write(output, schema.Branches[branch], value, path, branch);
                    break;
                }

            default:
                throw new ArgumentException($"Unknown Avro type {schema.Type} at '{path}'.");
        }
    }

    /// <summary>The first branch of the union that the JSON value fits, or -1.</summary>
    private static int Branch(AvroSchema union, JsonElement value)
    {
        var branches = union.Branches;
        for (var i = 0; i < branches.Length; i++)
        {
            if (Fits(branches[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Fits(AvroSchema schema, JsonElement value) => (schema.Type, value.ValueKind) switch
    {
        (AvroType.Null, JsonValueKind.Null or JsonValueKind.Undefined) => true,
        (AvroType.Boolean, JsonValueKind.True or JsonValueKind.False) => true,
        (AvroType.Int, JsonValueKind.Number) => value.TryGetInt32(out _),
        (AvroType.Long, JsonValueKind.Number) => value.TryGetInt64(out _),
        (AvroType.Int, JsonValueKind.String) => schema.LogicalType != AvroLogicalType.None,
        (AvroType.Long, JsonValueKind.String) => schema.LogicalType != AvroLogicalType.None
            || DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
        (AvroType.Float or AvroType.Double, JsonValueKind.Number) => true,
        (AvroType.Bytes or AvroType.Fixed, JsonValueKind.Number) => schema.LogicalType == AvroLogicalType.Decimal,
        (AvroType.String or AvroType.Bytes or AvroType.Fixed, JsonValueKind.String) => true,
        (AvroType.Enum, JsonValueKind.String) => Array.IndexOf(schema.Symbols, value.GetString()) >= 0,
        (AvroType.Record or AvroType.Map, JsonValueKind.Object) => true,
        (AvroType.Array, JsonValueKind.Array) => true,
        _ => false,
    };

    private static int ToInt(AvroSchema schema, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (schema.LogicalType == AvroLogicalType.Date && DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var date))
            {
                return date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
            }

            if (schema.LogicalType == AvroLogicalType.TimeMillis && TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var time))
            {
                return (int)(time.Ticks / TimeSpan.TicksPerMillisecond);
            }
        }

        throw Mismatch(path, schema, value);
    }

    private static long ToLong(AvroSchema schema, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        // A string in a long: a timestamp (a logical type, or Salesforce's DateTime fields, plain longs of epoch milliseconds).
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (schema.LogicalType == AvroLogicalType.TimeMicros)
            {
                return TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var time) ? time.Ticks / 10 : throw Mismatch(path, schema, value);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                var ticks = (timestamp.UtcDateTime - DateTime.UnixEpoch).Ticks;
                return schema.LogicalType is AvroLogicalType.TimestampMicros or AvroLogicalType.LocalTimestampMicros
                    ? ticks / 10
                    : ticks / TimeSpan.TicksPerMillisecond;
            }
        }

        throw Mismatch(path, schema, value);
    }

    private static double ToDouble(AvroSchema schema, JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Mismatch(path, schema, value);

    private static byte[] Base64(AvroSchema schema, JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes) ? bytes : throw Mismatch(path, schema, value);

    /// <summary>A decimal's unscaled value, two's complement big-endian, at the schema's scale.</summary>
    private static byte[] Unscaled(AvroSchema schema, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            throw Mismatch(path, schema, value);
        }

        var scaled = number;
        for (var i = 0; i < schema.Scale; i++)
        {
            scaled *= 10m;
        }

        if (scaled != decimal.Truncate(scaled))
        {
            throw new ArgumentException($"The value of '{path}' has more than {schema.Scale} decimal places: {number}.");
        }

        return new BigInteger(scaled).ToByteArray(isUnsigned: false, isBigEndian: true);
    }

    private static byte[] SignExtend(byte[] bytes, int size, string path)
    {
        if (bytes.Length > size)
        {
            throw new ArgumentException($"The value of '{path}' does not fit in {size} bytes.");
        }

        var result = new byte[size];
        var fill = bytes.Length > 0 && (bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0;
        result.AsSpan(0, size - bytes.Length).Fill(fill);
        bytes.CopyTo(result, size - bytes.Length);
        return result;
    }

    public static void WriteLong(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (n >= 0x80)
        {
            span[i++] = (byte)(n | 0x80);
            n >>= 7;
        }

        span[i++] = (byte)n;
        output.Advance(i);
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLong(output, length);
        var written = Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(written);
    }

    private static ArgumentException Mismatch(string path, AvroSchema schema, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "nothing" : value.GetRawText();
        if (text.Length > 60)
        {
            text = text[..57] + "...";
        }

        return new ArgumentException($"The value of '{path}' does not fit its schema type {Describe(schema)}: {text}.");
    }

    private static string Describe(AvroSchema schema) => schema.Type == AvroType.Union
        ? "[" + string.Join(", ", schema.Branches.Select(b => b.Name)) + "]"
        : schema.Name;
}
