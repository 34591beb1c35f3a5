using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Avro;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Avro;
using Avro.Generic;
using Avro.IO;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Decoding Change Data Capture events from Avro: the SDK's own decoder against Apache.Avro's GenericDatumReader, on the
/// same 1,000 payloads (written by Apache's GenericDatumWriter): AccountChangeEvents shaped as Salesforce sends them, a
/// ChangeEventHeader and 30 record fields (strings, numbers, a compound address, timestamps), about half of them set.
/// Each operation is one event; the payload size is printed at setup (bytes/event).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class AvroDecodeBenchmarks
{
    private const int Events = 1_000;

    /// <summary>The Streaming tests' schema (linked from tests/…/TestSchemas.cs: one source, no dependency on a test assembly).</summary>
    private static readonly string SchemaJson = TestSchemas.AccountChangeEventAllFields;

    private byte[][] _payloads = [];
    private AvroSchema _ours = null!;
    private RecordSchema _apache = null!;
    private GenericDatumReader<GenericRecord> _apacheReader = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ours = AvroSchema.Parse(SchemaJson);
        _apache = (RecordSchema)Schema.Parse(SchemaJson);
        _apacheReader = new GenericDatumReader<GenericRecord>(_apache, _apache);
        var writer = new GenericDatumWriter<GenericRecord>(_apache);
        var random = new Random(42);
        _payloads = new byte[Events][];
        for (var i = 0; i < Events; i++)
        {
            using var stream = new MemoryStream();
            writer.Write(Event(i, random), new BinaryEncoder(stream));
            _payloads[i] = stream.ToArray();
        }

        Console.WriteLine($"// {Events} AccountChangeEvents, {_payloads.Sum(p => p.Length) / (double)Events:0} bytes/event on average");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "Apache.Avro GenericDatumReader")]
    public int Apache()
    {
        var fields = 0;
        foreach (var payload in _payloads)
        {
            using var stream = new MemoryStream(payload, writable: false);
            var record = _apacheReader.Read(null!, new BinaryDecoder(stream));
            fields += record.Schema.Count;
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "SDK AvroDecoder")]
    public int Sdk()
    {
        var fields = 0;
        foreach (var payload in _payloads)
        {
            fields += AvroDecoder.DecodeRecord(_ours, payload).FieldCount;
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "SDK AvroDecoder + ChangeEventHeader (bitmaps decoded)")]
    public int SdkWithHeader()
    {
        var fields = 0;
        foreach (var payload in _payloads)
        {
            var record = AvroDecoder.DecodeRecord(_ours, payload);
            fields += new ChangeEventHeader((AvroRecord)record[0]!, _ours).ChangedFields.Count;
        }

        return fields;
    }

    private GenericRecord Event(int i, Random random)
    {
        var headerSchema = (RecordSchema)_apache["ChangeEventHeader"].Schema;
        var header = new GenericRecord(headerSchema);
        header.Add("entityName", "Account");
        header.Add("recordIds", new[] { $"001xx0000{i:D9}" });
        header.Add("changeType", new GenericEnum((EnumSchema)headerSchema["changeType"].Schema, i % 5 == 0 ? "CREATE" : "UPDATE"));
        header.Add("changeOrigin", "com/salesforce/api/rest/66.0;client=Atom.Salesforce.Client/0.1.0");
        header.Add("transactionKey", Guid.NewGuid().ToString());
        header.Add("sequenceNumber", 1 + (i % 3));
        header.Add("commitTimestamp", 1_765_000_000_000L + i);
        header.Add("commitNumber", 1_100_670_838_951L + i);
        header.Add("commitUser", "0055f000005mc66AAA");
        header.Add("nulledFields", i % 4 == 0 ? new[] { "0x400" } : Array.Empty<string>());
        header.Add("diffFields", Array.Empty<string>());
        header.Add("changedFields", new[] { "0x650004E0", "4-0x06" });

        var record = new GenericRecord(_apache);
        foreach (var field in _apache.Fields)
        {
            record.Add(field.Name, null);
        }

        var addressSchema = (RecordSchema)((UnionSchema)_apache["BillingAddress"].Schema).Schemas[1];
        var address = new GenericRecord(addressSchema);
        foreach (var field in addressSchema.Fields)
        {
            address.Add(field.Name, null);
        }

        address.Add("Street", $"{random.Next(1, 999)} Market Street");
        address.Add("City", "San Francisco");
        address.Add("State", "CA");
        address.Add("PostalCode", "94105");
        address.Add("Country", "United States");
        address.Add("Latitude", 37.79 + random.NextDouble());
        address.Add("Longitude", -122.39 - random.NextDouble());

        record.Add("ChangeEventHeader", header);
        record.Add("Name", $"Acme {i}");
        record.Add("Type", "Customer - Direct");
        record.Add("BillingAddress", address);
        record.Add("Phone", "(415) 555-1212");
        record.Add("Website", "https://acme.example.com");
        record.Add("Industry", "Energy");
        record.Add("AnnualRevenue", random.Next(1, 500) * 1e6);
        record.Add("NumberOfEmployees", random.Next(1, 100_000));
        record.Add("Description", new string('d', random.Next(0, 200)));
        record.Add("OwnerId", "0055f000005mc66AAA");
        record.Add("CreatedDate", 1_765_000_000_000L);
        record.Add("CreatedById", "0055f000005mc66AAA");
        record.Add("LastModifiedDate", 1_765_000_000_000L + i);
        record.Add("LastModifiedById", "0055f000005mc66AAA");
        record.Add("NumberofLocations__c", (double)random.Next(1, 50));
        return record;
    }
}
