using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>One field of an event's Avro record: a plain field, or a compound field (an address, a person's name) as a nested record.</summary>
internal sealed record EventField(string Name, FieldDefinition? Field, IReadOnlyList<(string Name, FieldDefinition Field)> Components)
{
    public bool IsCompound => Components.Count > 0;
}

/// <summary>
/// The Avro schema of one topic's events, as Salesforce serves it from GetSchema: a record in namespace
/// <c>com.sforce.eventbus</c> named after the event (<c>AccountChangeEvent</c>, <c>Order_Event__e</c>). A change event
/// starts with the <c>ChangeEventHeader</c> record, then the object's fields in describe order, every one a union with
/// null (an update carries only the fields it changed), compound fields as nested records (<c>BillingAddress</c> as an
/// <c>Address</c> record, a contact's <c>Name</c> as a <c>Switchable_PersonName</c> record). A platform event has
/// <c>CreatedDate</c> (epoch milliseconds) and <c>CreatedById</c>, then its custom fields. Date/time values are epoch
/// milliseconds (<c>long</c>), dates are days since the epoch (<c>int</c>, logical type date).
/// </summary>
internal sealed class EventSchema
{
    /// <summary>Fields a change event never carries (Change Data Capture guide, "Change Event Fields"): the id is in the header.</summary>
    private static readonly HashSet<string> NotInChangeEvents = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "IsDeleted", "SystemModstamp", "LastViewedDate", "LastReferencedDate", "LastActivityDate",
    };

    private static readonly string[] PersonNameParts = ["Salutation", "FirstName", "LastName", "MiddleName", "Suffix"];

    private EventSchema(string eventName, IReadOnlyList<EventField> fields, bool isChangeEvent)
    {
        EventName = eventName;
        Fields = fields;
        IsChangeEvent = isChangeEvent;
        Json = BuildJson();
        AvroSchema = (RecordSchema)global::Avro.Schema.Parse(Json);

        // Salesforce's schema ids are short opaque strings; a hash of the schema keeps them stable across runs.
        SchemaId = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Json)))[..22].Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The record's name: <c>AccountChangeEvent</c>, <c>Order_Event__e</c>.</summary>
    public string EventName { get; }

    public bool IsChangeEvent { get; }

    /// <summary>The record's fields after the header, in schema order (a change event's field i is Avro field i + 1).</summary>
    public IReadOnlyList<EventField> Fields { get; }

    public string Json { get; }

    public string SchemaId { get; }

    public RecordSchema AvroSchema { get; }

    /// <summary>The change event schema of an object: header, then its fields.</summary>
    public static EventSchema ForChanges(ObjectSchema obj)
    {
        var compounds = obj.Fields.Where(f => f.CompoundFieldName is not null).GroupBy(f => f.CompoundFieldName!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var personName = obj.Field("Name") is { Calculated: true } && obj.Field("FirstName") is not null && obj.Field("LastName") is not null;
        var fields = new List<EventField>();
        foreach (var field in obj.Fields)
        {
            if (NotInChangeEvents.Contains(field.Name) || field.CompoundFieldName is not null)
            {
                continue;
            }

            if (personName && field.Name == "Name")
            {
                fields.Add(new EventField("Name", field, [.. PersonNameParts.Select(obj.Field).OfType<FieldDefinition>().Select(f => (f.Name, f))]));
                continue;
            }

            if (personName && PersonNameParts.Contains(field.Name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (compounds.TryGetValue(field.Name, out var parts))
            {
                var prefix = field.Type == FieldType.Location ? field.Name[..^3] + "__" : field.Name[..^"Address".Length];
                fields.Add(new EventField(field.Name, field, [.. parts.Select(p => (Nested(p.Name, prefix), p))]));
                continue;
            }

            if (field.Calculated || field.Type is FieldType.Address or FieldType.Location)
            {
                // Formula-like fields the org derives from others are not in change events.
                continue;
            }

            fields.Add(new EventField(field.Name, field, []));
        }

        return new EventSchema(obj.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? obj.Name[..^3] + "__ChangeEvent" : obj.Name + "ChangeEvent", fields, isChangeEvent: true);

        static string Nested(string component, string prefix)
        {
            var bare = component.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? component[prefix.Length..] : component;
            return bare.EndsWith("__s", StringComparison.OrdinalIgnoreCase) ? bare[..^3] : bare;
        }
    }

    /// <summary>A platform event's schema: CreatedDate, CreatedById, then its fields.</summary>
    public static EventSchema ForPlatformEvent(SObjectDefinition definition) => new(
        definition.Name,
        [.. definition.Fields.Select(f => new EventField(f.Name, f, []))],
        isChangeEvent: false);

    /// <summary>Encodes one event in Avro binary, the payload of a ProducerEvent.</summary>
    public byte[] Encode(ChangeHeader? header, IReadOnlyDictionary<string, object?> values, DateTimeOffset createdDate = default, string? createdById = null)
    {
        var record = new GenericRecord(AvroSchema);
        if (IsChangeEvent)
        {
            var headerSchema = (RecordSchema)AvroSchema.Fields[0].Schema;
            var h = new GenericRecord(headerSchema);
            h.Add("entityName", header!.EntityName);
            h.Add("recordIds", header.RecordIds.ToArray());
            h.Add("changeType", new GenericEnum((EnumSchema)headerSchema["changeType"].Schema, header.ChangeType));
            h.Add("changeOrigin", header.ChangeOrigin);
            h.Add("transactionKey", header.TransactionKey);
            h.Add("sequenceNumber", header.SequenceNumber);
            h.Add("commitTimestamp", header.CommitTimestamp);
            h.Add("commitNumber", header.CommitNumber);
            h.Add("commitUser", header.CommitUser);
            h.Add("nulledFields", header.NulledFields.ToArray());
            h.Add("diffFields", Array.Empty<string>());
            h.Add("changedFields", header.ChangedFields.ToArray());
            record.Add("ChangeEventHeader", h);
        }
        else
        {
            record.Add("CreatedDate", createdDate.ToUnixTimeMilliseconds());
            record.Add("CreatedById", createdById ?? string.Empty);
        }

        for (var i = 0; i < Fields.Count; i++)
        {
            var field = Fields[i];
            var avroField = AvroSchema.Fields[i + (IsChangeEvent ? 1 : 2)];
            if (field.IsCompound)
            {
                if (!field.Components.Any(c => values.ContainsKey(c.Field.Name)))
                {
                    record.Add(field.Name, null);
                    continue;
                }

                var nestedSchema = (RecordSchema)((UnionSchema)avroField.Schema).Schemas[1];
                var nested = new GenericRecord(nestedSchema);
                foreach (var (name, component) in field.Components)
                {
                    nested.Add(name, AvroValue(component, values.GetValueOrDefault(component.Name)));
                }

                record.Add(field.Name, nested);
            }
            else
            {
                record.Add(field.Name, AvroValue(field.Field!, values.GetValueOrDefault(field.Field!.Name)));
            }
        }

        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(AvroSchema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>A stored value as Avro wants it: text, bool, int, double, epoch milliseconds, days since the epoch.</summary>
    private static object? AvroValue(FieldDefinition field, object? value) => value switch
    {
        null => null,
        DateTimeOffset at => at.ToUnixTimeMilliseconds(),
        DateOnly day => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        TimeOnly time => time.ToTimeSpan(),
        decimal number when field.Type == FieldType.Int => (int)number,
        decimal number => (double)number,
        bool flag => flag,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private string BuildJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "record");
            writer.WriteString("name", EventName);
            writer.WriteString("namespace", "com.sforce.eventbus");
            writer.WriteStartArray("fields");
            if (IsChangeEvent)
            {
                WriteHeader(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("name", "CreatedDate");
                writer.WriteString("type", "long");
                writer.WriteString("doc", "CreatedDate:DateTime");
                writer.WriteEndObject();
                writer.WriteStartObject();
                writer.WriteString("name", "CreatedById");
                writer.WriteString("type", "string");
                writer.WriteString("doc", "CreatedBy:EntityId");
                writer.WriteEndObject();
            }

            var defined = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in Fields)
            {
                writer.WriteStartObject();
                writer.WriteString("name", field.Name);
                writer.WriteStartArray("type");
                writer.WriteStringValue("null");
                if (field.IsCompound)
                {
                    var recordName = field.Name == "Name" ? "Switchable_PersonName" : field.Field!.Type == FieldType.Location ? "Location" : "Address";
                    if (!defined.Add(recordName))
                    {
                        // An Avro name is defined once; later fields of the same shape refer to it.
                        writer.WriteStringValue(recordName);
                    }
                    else
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type", "record");
                        writer.WriteString("name", recordName);
                        writer.WriteStartArray("fields");
                        foreach (var (name, component) in field.Components)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("name", name);
                            writer.WriteStartArray("type");
                            writer.WriteStringValue("null");
                            WriteType(writer, component);
                            writer.WriteEndArray();
                            writer.WriteString("doc", "Data:" + component.Type);
                            writer.WriteNull("default");
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }
                }
                else
                {
                    WriteType(writer, field.Field!);
                }

                writer.WriteEndArray();
                writer.WriteString("doc", "Data:" + field.Field!.Type);
                writer.WriteNull("default");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteType(Utf8JsonWriter writer, FieldDefinition field)
    {
        switch (field.Type)
        {
            case FieldType.Boolean:
                writer.WriteStringValue("boolean");
                break;
            case FieldType.Int:
                writer.WriteStringValue("int");
                break;
            case FieldType.Double or FieldType.Currency or FieldType.Percent:
                writer.WriteStringValue("double");
                break;
            case FieldType.DateTime:
                writer.WriteStringValue("long");
                break;
            case FieldType.Date:
                writer.WriteStartObject();
                writer.WriteString("type", "int");
                writer.WriteString("logicalType", "date");
                writer.WriteEndObject();
                break;
            case FieldType.Time:
                writer.WriteStartObject();
                writer.WriteString("type", "int");
                writer.WriteString("logicalType", "time-millis");
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue("string");
                break;
        }
    }

    /// <summary>The ChangeEventHeader record (Change Data Capture guide, "ChangeEventHeader Fields").</summary>
    private static void WriteHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", "ChangeEventHeader");
        writer.WriteStartObject("type");
        writer.WriteString("type", "record");
        writer.WriteString("name", "ChangeEventHeader");
        writer.WriteStartArray("fields");
        Field("entityName", "string");
        Array("recordIds");
        writer.WriteStartObject();
        writer.WriteString("name", "changeType");
        writer.WriteStartObject("type");
        writer.WriteString("type", "enum");
        writer.WriteString("name", "ChangeType");
        writer.WriteStartArray("symbols");
        foreach (var symbol in new[] { "CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW", "SNAPSHOT" })
        {
            writer.WriteStringValue(symbol);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        Field("changeOrigin", "string");
        Field("transactionKey", "string");
        Field("sequenceNumber", "int");
        Field("commitTimestamp", "long");
        Field("commitNumber", "long");
        Field("commitUser", "string");
        Array("nulledFields");
        Array("diffFields");
        Array("changedFields");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();

        void Field(string name, string type)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("type", type);
            writer.WriteEndObject();
        }

        void Array(string name)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteStartObject("type");
            writer.WriteString("type", "array");
            writer.WriteString("items", "string");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }
}

/// <summary>The ChangeEventHeader of one change event.</summary>
internal sealed record ChangeHeader(
    string EntityName,
    IReadOnlyList<string> RecordIds,
    string ChangeType,
    string ChangeOrigin,
    string TransactionKey,
    int SequenceNumber,
    long CommitTimestamp,
    long CommitNumber,
    string CommitUser,
    IReadOnlyList<string> NulledFields,
    IReadOnlyList<string> ChangedFields);
