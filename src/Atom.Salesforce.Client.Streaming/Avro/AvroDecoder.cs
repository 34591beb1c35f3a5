namespace Atom.Salesforce.Client.Streaming.Avro;

/// <summary>
/// Decodes Avro binary data written with a known schema into an <see cref="AvroRecord"/>: records as records, arrays as
/// lists, maps as dictionaries, unions as the chosen branch's value, enums as their symbol, and logical types as .NET values
/// (decimal, <see cref="DateOnly"/>, <see cref="TimeOnly"/>, <see cref="DateTimeOffset"/>, <see cref="Guid"/>).
/// </summary>
internal static class AvroDecoder
{
    private static readonly DateOnly Epoch = new(1970, 1, 1);

    /// <summary>Decodes one record; the data must end where the record ends.</summary>
    /// <exception cref="InvalidDataException">The data does not match the schema.</exception>
    public static AvroRecord DecodeRecord(AvroSchema schema, ReadOnlySpan<byte> data)
    {
        if (schema.Type != AvroType.Record)
        {
            throw new InvalidDataException($"The event schema is a {schema.Type}, not a record.");
        }

        var reader = new AvroReader(data);
        var record = ReadRecord(schema, ref reader);
        if (!reader.End)
        {
            throw new InvalidDataException($"The Avro payload has {data.Length - reader.Position} bytes after the record its schema describes.");
        }

        return record;
    }

    private static AvroRecord ReadRecord(AvroSchema schema, ref AvroReader reader)
    {
        var fields = schema.Fields;
        var values = new object?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            values[i] = Read(fields[i].Schema, ref reader);
        }

        return new AvroRecord(schema, values);
    }

    public static object? Read(AvroSchema schema, ref AvroReader reader)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                return null;
            case AvroType.Boolean:
                return reader.ReadBoolean() ? BoxedTrue : BoxedFalse;
            case AvroType.Int:
                {
                    var value = reader.ReadInt();
                    return schema.LogicalType switch
                    {
                        AvroLogicalType.Date => Epoch.AddDays(value),
                        AvroLogicalType.TimeMillis => new TimeOnly(value * TimeSpan.TicksPerMillisecond),
                        _ => value,
                    };
                }

            case AvroType.Long:
                {
                    var value = reader.ReadLong();
                    return schema.LogicalType switch
                    {
                        AvroLogicalType.TimestampMillis => DateTimeOffset.UnixEpoch.AddTicks(value * TimeSpan.TicksPerMillisecond),
                        AvroLogicalType.TimestampMicros => DateTimeOffset.UnixEpoch.AddTicks(value * 10),
                        AvroLogicalType.LocalTimestampMillis => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(value * TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified),
                        AvroLogicalType.LocalTimestampMicros => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(value * 10), DateTimeKind.Unspecified),
                        AvroLogicalType.TimeMicros => new TimeOnly(value * 10),
                        _ => value,
                    };
                }

            case AvroType.Float:
                return reader.ReadFloat();
            case AvroType.Double:
                return reader.ReadDouble();
            case AvroType.Bytes:
                {
                    var bytes = reader.ReadBytesSpan();
                    return schema.LogicalType == AvroLogicalType.Decimal ? AvroReader.ToDecimal(bytes, schema.Scale) : bytes.ToArray();
                }

            case AvroType.String:
                {
                    var text = reader.ReadString();
                    return schema.LogicalType == AvroLogicalType.Uuid && Guid.TryParse(text, out var guid) ? guid : text;
                }

            case AvroType.Record:
                return ReadRecord(schema, ref reader);
            case AvroType.Enum:
                {
                    var index = reader.ReadInt();
                    return (uint)index < (uint)schema.Symbols.Length
                        ? schema.Symbols[index]
                        : throw new InvalidDataException($"The Avro enum {schema.Name} has no symbol {index}.");
                }

            case AvroType.Fixed:
                {
                    var bytes = reader.ReadFixed(schema.Size);
                    return schema.LogicalType == AvroLogicalType.Decimal ? AvroReader.ToDecimal(bytes, schema.Scale) : bytes.ToArray();
                }

            case AvroType.Array:
                {
                    var items = schema.Items!;
                    var count = reader.ReadBlockCount();
                    if (count == 0)
                    {
                        return new List<object?>(0);
                    }

                    CheckCount(count, items.Type, ref reader);
                    var list = new List<object?>((int)count);
                    for (; count != 0; count = reader.ReadBlockCount())
                    {
                        CheckCount(count, items.Type, ref reader);
                        for (long i = 0; i < count; i++)
                        {
                            list.Add(Read(items, ref reader));
                        }
                    }

                    return list;
                }

            case AvroType.Map:
                {
                    var values = schema.Items!;
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var count = reader.ReadBlockCount(); count != 0; count = reader.ReadBlockCount())
                    {
                        CheckCount(count, values.Type, ref reader);
                        for (long i = 0; i < count; i++)
                        {
                            var key = reader.ReadString();
                            map[key] = Read(values, ref reader);
                        }
                    }

                    return map;
                }

            case AvroType.Union:
                {
                    var index = reader.ReadInt();
                    return (uint)index < (uint)schema.Branches.Length
                        ? Read(schema.Branches[index], ref reader)
                        : throw new InvalidDataException($"An Avro union has no branch {index}.");
                }

            default:
                throw new InvalidDataException($"Unknown Avro type {schema.Type}.");
        }
    }

    /// <summary>Every item but a null takes at least one byte: a count beyond the bytes left is corrupt, not a huge allocation.</summary>
    private static void CheckCount(long count, AvroType itemType, ref AvroReader reader)
    {
        if (count > reader.Remaining && (itemType != AvroType.Null || count > 1_000_000))
        {
            throw new InvalidDataException($"An Avro block claims {count} items with {reader.Remaining} bytes left.");
        }
    }

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;
}
