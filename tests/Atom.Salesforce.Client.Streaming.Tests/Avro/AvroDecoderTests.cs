using Atom.Salesforce.Client.Streaming.Avro;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Avro;
using Avro.Generic;

namespace Atom.Salesforce.Client.Streaming.Tests.Avro;

/// <summary>The SDK's own Avro decoder reads exactly what Apache's Avro library writes, for every type of the specification.</summary>
public sealed class AvroDecoderTests
{
    private static readonly RecordSchema Apache = ApacheAvro.Parse(TestSchemas.KitchenSink);
    private static readonly AvroSchema Ours = AvroSchema.Parse(TestSchemas.KitchenSink);

    public static TheoryData<long, int, double, string> Extremes => new()
    {
        { 0L, 0, 0.0, "" },
        { long.MaxValue, int.MaxValue, double.MaxValue, "ascii" },
        { long.MinValue, int.MinValue, -double.Epsilon, "Grüße, 東京 🚀" },
        { -1L, -1, 1.5, new string('x', 300) },
        { 63L, 64, -2.25, "a\u0000b" },
    };

    [Theory]
    [MemberData(nameof(Extremes))]
    public void Every_type_reads_as_Apache_wrote_it(long l, int i, double d, string s)
    {
        var inner = (RecordSchema)Apache["nested"].Schema;
        var colour = (EnumSchema)Apache["e"].Schema;
        var nested = new GenericRecord(inner);
        nested.Add("x", i);
        nested.Add("tags", new[] { s, "t2" });
        var again = new GenericRecord(inner);
        again.Add("x", -7);
        again.Add("tags", Array.Empty<string>());
        var uuid = Guid.NewGuid();
        var ts = new DateTime(2026, 12, 6, 5, 30, 15, 123, DateTimeKind.Utc);
        var record = ApacheAvro.Record(Apache,
            ("n", null), ("b", true), ("i", i), ("l", l), ("f", 3.25f), ("d", d), ("bytes", new byte[] { 0, 1, 254, 255 }), ("s", s),
            ("e", new GenericEnum(colour, "BLUE")),
            ("fx", new GenericFixed((FixedSchema)Apache["fx"].Schema, [9, 8, 7, 6])),
            ("arr", new object[] { l, 0L, -l, 1L << 40 }),
            ("map", new Dictionary<string, object?> { ["k1"] = s, ["k2"] = null }),
            ("u", l),
            ("nested", nested),
            ("again", again),
            ("colours", new object[] { new GenericEnum(colour, "RED"), new GenericEnum(colour, "GREEN") }),
            ("dec", new AvroDecimal(-12345.67m)),
            ("day", new DateTime(2026, 2, 28, 0, 0, 0, DateTimeKind.Utc)),
            ("ts", ts),
            ("id", uuid));

        var decoded = AvroDecoder.DecodeRecord(Ours, ApacheAvro.Encode(Apache, record));

        Assert.Equal("test.avro.Sink", decoded.SchemaName);
        Assert.Null(decoded["n"]);
        Assert.Equal(true, decoded["b"]);
        Assert.Equal(i, decoded["i"]);
        Assert.Equal(l, decoded["l"]);
        Assert.Equal(3.25f, decoded["f"]);
        Assert.Equal(d, decoded["d"]);
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, decoded["bytes"]);
        Assert.Equal(s, decoded["s"]);
        Assert.Equal("BLUE", decoded["e"]);
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, decoded["fx"]);
        Assert.Equal(new object?[] { l, 0L, -l, 1L << 40 }, Assert.IsType<List<object?>>(decoded["arr"]));
        var map = Assert.IsType<Dictionary<string, object?>>(decoded["map"]);
        Assert.Equal(s, map["k1"]);
        Assert.Null(map["k2"]);
        Assert.Equal(l, decoded["u"]);
        var decodedNested = Assert.IsType<AvroRecord>(decoded["nested"]);
        Assert.Equal(i, decodedNested["x"]);
        Assert.Equal(new object?[] { s, "t2" }, Assert.IsType<List<object?>>(decodedNested["tags"]));
        Assert.Equal(-7, Assert.IsType<AvroRecord>(decoded["again"])["x"]);
        Assert.Equal(new object?[] { "RED", "GREEN" }, Assert.IsType<List<object?>>(decoded["colours"]));
        Assert.Equal(-12345.67m, decoded["dec"]);
        Assert.Equal(new DateOnly(2026, 2, 28), decoded["day"]);
        Assert.Equal(new DateTimeOffset(ts), decoded["ts"]);
        Assert.Equal(uuid, decoded["id"]);
    }

    [Fact]
    public void A_union_reads_each_branch_Apache_chose()
    {
        foreach (var value in new object?[] { null, "text", 42L })
        {
            var record = ApacheAvro.Record(Apache,
                ("b", false), ("i", 1), ("l", 2L), ("f", 0f), ("d", 0d), ("bytes", Array.Empty<byte>()), ("s", "s"),
                ("e", new GenericEnum((EnumSchema)Apache["e"].Schema, "RED")), ("fx", new GenericFixed((FixedSchema)Apache["fx"].Schema, [0, 0, 0, 0])),
                ("arr", Array.Empty<object>()), ("map", new Dictionary<string, object?>()), ("u", value),
                ("nested", Nested()), ("colours", Array.Empty<object>()), ("dec", new AvroDecimal(0.50m)),
                ("day", new DateTime(1969, 12, 31, 0, 0, 0, DateTimeKind.Utc)), ("ts", DateTime.UnixEpoch), ("id", Guid.Empty));

            var decoded = AvroDecoder.DecodeRecord(Ours, ApacheAvro.Encode(Apache, record));

            Assert.Equal(value, decoded["u"]);
            Assert.Null(decoded["again"]);
            Assert.Empty(Assert.IsType<List<object?>>(decoded["arr"]));
            Assert.Equal(new DateOnly(1969, 12, 31), decoded["day"]);
            Assert.Equal(0.5m, decoded["dec"]);
        }
    }

    [Fact]
    public void A_truncated_payload_is_an_error_not_a_short_record()
    {
        var schema = AvroSchema.Parse(TestSchemas.OrderEvent);
        var apache = ApacheAvro.Parse(TestSchemas.OrderEvent);
        var bytes = ApacheAvro.Encode(apache, ApacheAvro.Record(apache, ("CreatedDate", 1L), ("CreatedById", "005xx000000456AAA"), ("City__c", "Paris")));

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => AvroDecoder.DecodeRecord(schema, bytes.AsSpan(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => AvroDecoder.DecodeRecord(schema, [.. bytes, 0]));
        Assert.Equal("Paris", AvroDecoder.DecodeRecord(schema, bytes)["City__c"]);
    }

    [Fact]
    public void A_schema_that_refers_to_an_undefined_type_is_refused()
    {
        Assert.Throws<FormatException>(() => AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}"""));
        Assert.Throws<FormatException>(() => AvroSchema.Parse("not json"));
    }

    private static GenericRecord Nested()
    {
        var nested = new GenericRecord((RecordSchema)Apache["nested"].Schema);
        nested.Add("x", 0);
        nested.Add("tags", Array.Empty<string>());
        return nested;
    }
}
