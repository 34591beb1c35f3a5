using Avro;
using Avro.Generic;

namespace Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

/// <summary>AccountChangeEvent payloads written by Apache's Avro library, shaped as Salesforce sends them.</summary>
internal static class ChangeEvents
{
    public static readonly RecordSchema Schema = ApacheAvro.Parse(TestSchemas.AccountChangeEvent);

    public static byte[] Account(
        string changeType,
        string[] recordIds,
        string[]? changedFields = null,
        string[]? nulledFields = null,
        string[]? diffFields = null,
        long commitTimestamp = 1714156685000,
        int sequence = 1,
        params (string Field, object? Value)[] fields)
    {
        var headerSchema = (RecordSchema)Schema["ChangeEventHeader"].Schema;
        var header = new GenericRecord(headerSchema);
        header.Add("entityName", "Account");
        header.Add("recordIds", recordIds);
        header.Add("changeType", new GenericEnum((EnumSchema)headerSchema["changeType"].Schema, changeType));
        header.Add("changeOrigin", "com/salesforce/api/rest/66.0;client=test");
        header.Add("transactionKey", "00006bec-ce66-0611-9018-30a98446c9f2");
        header.Add("sequenceNumber", sequence);
        header.Add("commitTimestamp", commitTimestamp);
        header.Add("commitNumber", 1100670838951L);
        header.Add("commitUser", "0055f000005mc66AAA");
        header.Add("nulledFields", nulledFields ?? []);
        header.Add("diffFields", diffFields ?? []);
        header.Add("changedFields", changedFields ?? []);
        return ApacheAvro.Encode(Schema, ApacheAvro.Record(Schema, [("ChangeEventHeader", header), .. fields]));
    }

    public static GenericRecord Address(string? street, string? city, double? latitude = null)
    {
        var address = new GenericRecord((RecordSchema)ApacheAvro.NonNull(Schema["BillingAddress"].Schema));
        foreach (var field in address.Schema.Fields)
        {
            address.Add(field.Name, null);
        }

        address.Add("Street", street);
        address.Add("City", city);
        address.Add("Latitude", latitude);
        return address;
    }
}
