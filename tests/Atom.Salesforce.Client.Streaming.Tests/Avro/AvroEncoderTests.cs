using System.Text.Json;
using Atom.Salesforce.Client.Streaming.Avro;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Avro.Generic;

namespace Atom.Salesforce.Client.Streaming.Tests.Avro;

/// <summary>What the SDK encodes for Publish, Apache's Avro library reads back field for field.</summary>
public sealed class AvroEncoderTests
{
    [Fact]
    public void A_platform_event_encodes_as_Apache_reads_it()
    {
        var json = JsonDocument.Parse("""{"order_number__c":"A-1","City__c":"Paris","Amount__c":35.5,"Has_Shipped__c":true}""").RootElement;

        var payload = AvroEncoder.EncodeRecord(AvroSchema.Parse(TestSchemas.OrderEvent), json, field => field.Name switch
        {
            "CreatedDate" => JsonDocument.Parse("1765000000000").RootElement,
            "CreatedById" => JsonDocument.Parse("\"005xx000000456AAA\"").RootElement,
            _ => null,
        });

        var read = ApacheAvro.Decode(ApacheAvro.Parse(TestSchemas.OrderEvent), payload);
        Assert.Equal(1765000000000L, read["CreatedDate"]);
        Assert.Equal("005xx000000456AAA", read["CreatedById"]);
        Assert.Equal("A-1", read["Order_Number__c"]);
        Assert.Equal("Paris", read["City__c"]);
        Assert.Equal(35.5, read["Amount__c"]);
        Assert.Equal(true, read["Has_Shipped__c"]);
    }

    [Fact]
    public void Missing_optional_fields_are_null_and_a_missing_required_field_is_named()
    {
        var schema = AvroSchema.Parse(TestSchemas.OrderEvent);
        var payload = AvroEncoder.EncodeRecord(schema, JsonDocument.Parse("""{"CreatedDate":1,"CreatedById":"005"}""").RootElement, fill: null);

        var read = ApacheAvro.Decode(ApacheAvro.Parse(TestSchemas.OrderEvent), payload);
        Assert.Null(read["City__c"]);
        Assert.Null(read["Amount__c"]);

        var error = Assert.Throws<ArgumentException>(() => AvroEncoder.EncodeRecord(schema, JsonDocument.Parse("""{"CreatedDate":1}""").RootElement, fill: null));
        Assert.Contains("CreatedById", error.Message, StringComparison.Ordinal);
        var wrongType = Assert.Throws<ArgumentException>(() =>
            AvroEncoder.EncodeRecord(schema, JsonDocument.Parse("""{"CreatedDate":1,"CreatedById":"005","Amount__c":"lots"}""").RootElement, fill: null));
        Assert.Contains("Amount__c", wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_type_round_trips_through_Apache()
    {
        var json = JsonDocument.Parse("""
            {"n":null,"b":true,"i":-2147483648,"l":-9223372036854775808,"f":1.5,"d":-0.125,"bytes":"AAH+/w==","s":"Grüße 🚀",
             "e":"GREEN","fx":"CQgHBg==","arr":[1,-1,1099511627776],"map":{"a":"x","b":null},"u":123,
             "nested":{"x":5,"tags":["p","q"]},"again":null,"colours":["BLUE"],"dec":-12345.67,"day":"2026-02-28",
             "ts":"2026-12-06T05:30:15.123Z","id":"6f1c5d2e-8a3b-4c7d-9e0f-1a2b3c4d5e6f"}
            """).RootElement;

        var payload = AvroEncoder.EncodeRecord(AvroSchema.Parse(TestSchemas.KitchenSink), json, fill: null);

        var read = ApacheAvro.Decode(ApacheAvro.Parse(TestSchemas.KitchenSink), payload);
        Assert.Equal(true, read["b"]);
        Assert.Equal(int.MinValue, read["i"]);
        Assert.Equal(long.MinValue, read["l"]);
        Assert.Equal(1.5f, read["f"]);
        Assert.Equal(-0.125, read["d"]);
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read["bytes"]);
        Assert.Equal("Grüße 🚀", read["s"]);
        Assert.Equal("GREEN", ((GenericEnum)read["e"]).Value);
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, ((GenericFixed)read["fx"]).Value);
        Assert.Equal(new object[] { 1L, -1L, 1099511627776L }, (object[])read["arr"]);
        Assert.Equal("x", ((IDictionary<string, object>)read["map"])["a"]);
        Assert.Equal(123L, read["u"]);
        Assert.Equal(5, ((GenericRecord)read["nested"])["x"]);
        Assert.Null(read["again"]);
        Assert.Equal(-12345.67m, ((global::Avro.AvroDecimal)read["dec"]).ToType<decimal>());
        Assert.Equal(new DateTime(2026, 2, 28), ((DateTime)read["day"]).Date);
        Assert.Equal(new DateTime(2026, 12, 6, 5, 30, 15, 123, DateTimeKind.Utc), ((DateTime)read["ts"]).ToUniversalTime());
        Assert.Equal(Guid.Parse("6f1c5d2e-8a3b-4c7d-9e0f-1a2b3c4d5e6f"), read["id"]);
    }
}
