using Atom.Salesforce.Client.Streaming.Avro;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>An event schema as <c>GetSchema</c> returns it: its id (a fingerprint of the schema) and its Avro JSON.</summary>
public sealed class EventSchema
{
    internal EventSchema(string id, string json)
    {
        Id = id;
        Json = json;
        Parsed = AvroSchema.Parse(json);
        if (Parsed.Type != AvroType.Record)
        {
            throw new FormatException($"The event schema {id} is a {Parsed.Type}, not a record.");
        }
    }

    internal AvroSchema Parsed { get; }

    /// <summary>The schema id.</summary>
    public string Id { get; }

    /// <summary>The Avro schema as JSON, as Salesforce sent it.</summary>
    public string Json { get; }

    /// <summary>The record's full name, for example <c>com.sforce.eventbus.Order_Event__e</c>.</summary>
    public string Name => Parsed.Name;

    /// <summary>The record's field names, in schema order (the order the change event bitmaps count in).</summary>
    public IReadOnlyList<string> FieldNames => [.. Parsed.Fields.Select(f => f.Name)];

    /// <summary>True for a Change Data Capture event schema (it has a <c>ChangeEventHeader</c> field).</summary>
    public bool IsChangeEvent => Parsed.IndexOf(ReceivedEvent.HeaderField) >= 0;

    /// <summary>The id and name.</summary>
    public override string ToString() => $"{Name} ({Id})";
}
