using System.Text;
using Atom.Salesforce.Client.Streaming.Avro;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// The bitmap fields of a change event header decode as Salesforce documents (Pub/Sub API guide, "Event Deserialization
/// Considerations"): bit i of the first entry is the field at position i of the event schema; an entry "N-0x…" is a bitmap of
/// the fields of the compound field at position N.
/// </summary>
public sealed class ChangeEventHeaderTests
{
    [Fact]
    public void The_documented_example_bitmap_names_the_fields_at_its_set_bits()
    {
        // The guide's example: 'changedFields': ['0x650004E0','4-0x10','7-0x06']. 0x650004E0 sets bits 5, 6, 7, 10, 24, 26, 29
        // and 30; 4-0x10 sets bit 4 of the compound field at position 4; 7-0x06 sets bits 1 and 2 of the one at position 7.
        var schema = WideSchema(fieldCount: 32, compoundAt: [4, 7]);

        var names = ChangeEventBitmap.Decode(["0x650004E0", "4-0x10", "7-0x06"], schema);

        Assert.Equal(
            ["F5", "F6", "F7", "F10", "F24", "F26", "F29", "F30", "F4.C4", "F7.C1", "F7.C2"],
            names);
    }

    [Fact]
    public void A_bitmap_is_a_number_not_a_byte_string_and_its_case_does_not_matter()
    {
        var schema = WideSchema(fieldCount: 12, compoundAt: []);

        Assert.Equal(["F0"], ChangeEventBitmap.Decode(["0x1"], schema));
        Assert.Equal(["F0"], ChangeEventBitmap.Decode(["0x0001"], schema));
        Assert.Equal(["F8", "F11"], ChangeEventBitmap.Decode(["0x900"], schema));
        Assert.Equal(["F1", "F3"], ChangeEventBitmap.Decode(["0X0a"], schema));
        Assert.Empty(ChangeEventBitmap.Decode([], schema));
    }

    [Fact]
    public void A_bitmap_that_names_no_field_of_the_schema_is_an_error()
    {
        var schema = WideSchema(fieldCount: 4, compoundAt: [2]);

        Assert.Throws<InvalidDataException>(() => ChangeEventBitmap.Decode(["0x10"], schema));
        Assert.Throws<InvalidDataException>(() => ChangeEventBitmap.Decode(["1-0x1"], schema));
        Assert.Throws<InvalidDataException>(() => ChangeEventBitmap.Decode(["0xZZ"], schema));
    }

    [Fact]
    public void A_change_event_header_decodes_with_bitmaps_by_the_event_schema()
    {
        // AccountChangeEvent: 0 header, 1 Name, 2 Type, 3 ParentId, 4 BillingAddress, 5 Phone, 6 Industry, 7 AnnualRevenue,
        // 8 NumberOfEmployees, 9 LastModifiedDate; Address: 0 Street, 1 City, ... 5 Latitude.
        var payload = ChangeEvents.Account(
            "UPDATE", ["001xx000003DGb2AAG"],
            changedFields: ["0x262", "4-0x22"], nulledFields: ["0x20"], diffFields: [],
            commitTimestamp: 1714156685000, sequence: 3,
            fields: [("Name", "Acme"), ("Phone", null), ("Industry", "Energy")]);
        var schema = AvroSchema.Parse(TestSchemas.AccountChangeEvent);
        var record = AvroDecoder.DecodeRecord(schema, payload);

        var header = new ChangeEventHeader((AvroRecord)record["ChangeEventHeader"]!, schema);

        Assert.Equal("Account", header.EntityName);
        Assert.Equal(["001xx000003DGb2AAG"], header.RecordIds);
        Assert.Equal(ChangeType.Update, header.ChangeType);
        Assert.Equal("UPDATE", header.ChangeTypeName);
        Assert.False(header.IsGap);
        Assert.Equal("00006bec-ce66-0611-9018-30a98446c9f2", header.TransactionKey);
        Assert.Equal(3, header.SequenceNumber);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714156685000), header.CommitTimestamp);
        Assert.Equal(1100670838951L, header.CommitNumber);
        Assert.Equal("0055f000005mc66AAA", header.CommitUser);
        Assert.Equal(["Name", "Phone", "Industry", "LastModifiedDate", "BillingAddress.City", "BillingAddress.Latitude"], header.ChangedFields);
        Assert.Equal(["Phone"], header.NulledFields);
        Assert.Empty(header.DiffFields);
    }

    [Theory]
    [InlineData("GAP_CREATE", ChangeType.GapCreate, true, false)]
    [InlineData("GAP_UPDATE", ChangeType.GapUpdate, true, false)]
    [InlineData("GAP_DELETE", ChangeType.GapDelete, true, false)]
    [InlineData("GAP_UNDELETE", ChangeType.GapUndelete, true, false)]
    [InlineData("GAP_OVERFLOW", ChangeType.GapOverflow, false, true)]
    [InlineData("CREATE", ChangeType.Create, false, false)]
    [InlineData("DELETE", ChangeType.Delete, false, false)]
    [InlineData("UNDELETE", ChangeType.Undelete, false, false)]
    [InlineData("SNAPSHOT", ChangeType.Unknown, false, false)]
    public void Gap_and_overflow_change_types_are_told_apart(string changeType, ChangeType expected, bool isGap, bool isOverflow)
    {
        var schema = AvroSchema.Parse(TestSchemas.AccountChangeEvent);
        var recordIds = changeType == "GAP_OVERFLOW" ? Array.Empty<string>() : ["001xx000003DGb2AAG"];
        var record = AvroDecoder.DecodeRecord(schema, ChangeEvents.Account(changeType, recordIds));

        var header = new ChangeEventHeader((AvroRecord)record["ChangeEventHeader"]!, schema);

        Assert.Equal(expected, header.ChangeType);
        Assert.Equal(changeType, header.ChangeTypeName);
        Assert.Equal(isGap, header.IsGap);
        Assert.Equal(isOverflow, header.IsOverflow);
        Assert.Equal(recordIds, header.RecordIds);
    }

    /// <summary>A record with fields F0..F(n-1); the fields at <paramref name="compoundAt"/> are optional records with C0..C7.</summary>
    private static AvroSchema WideSchema(int fieldCount, int[] compoundAt)
    {
        var json = new StringBuilder("""{"type":"record","name":"Wide","namespace":"t","fields":[""");
        for (var i = 0; i < fieldCount; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            if (compoundAt.Contains(i))
            {
                var children = string.Join(",", Enumerable.Range(0, 8).Select(c => $$"""{"name":"C{{c}}","type":["null","string"]}"""));
                json.Append($$"""{"name":"F{{i}}","type":["null",{"type":"record","name":"R{{i}}","fields":[{{children}}]}]}""");
            }
            else
            {
                json.Append($$"""{"name":"F{{i}}","type":["null","string"]}""");
            }
        }

        return AvroSchema.Parse(json.Append("]}").ToString());
    }
}
