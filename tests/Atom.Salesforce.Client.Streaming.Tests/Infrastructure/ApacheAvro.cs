using Avro;
using Avro.Generic;
using Avro.IO;

namespace Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

/// <summary>Apache's Avro library, the independent reference the SDK's own decoder and encoder are checked against.</summary>
internal static class ApacheAvro
{
    public static byte[] Encode(RecordSchema schema, GenericRecord record)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    public static GenericRecord Decode(RecordSchema schema, byte[] payload)
    {
        using var stream = new MemoryStream(payload);
        var record = new GenericDatumReader<GenericRecord>(schema, schema).Read(null!, new BinaryDecoder(stream));
        Assert.Equal(payload.Length, stream.Position);
        return record;
    }

    public static RecordSchema Parse(string json) => (RecordSchema)Schema.Parse(json);

    /// <summary>A record with the given fields set and every other field null (all optional fields are unions with null).</summary>
    public static GenericRecord Record(RecordSchema schema, params (string Field, object? Value)[] values)
    {
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            record.Add(field.Name, null);
        }

        foreach (var (field, value) in values)
        {
            record.Add(field, value);
        }

        return record;
    }

    /// <summary>The schema of a union's non-null branch (or the schema itself).</summary>
    public static Schema NonNull(Schema schema) =>
        schema is UnionSchema union ? union.Schemas.First(s => s.Tag != Schema.Type.Null) : schema;
}
