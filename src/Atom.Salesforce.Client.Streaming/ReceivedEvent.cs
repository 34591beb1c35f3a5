using System.Buffers;
using System.Text.Json;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Streaming.Avro;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// One event a subscription received: where it is in the stream (<see cref="ReplayId"/>, to store once the event is
/// processed), its topic and schema, and its content, decoded from Avro on first use: as a generic <see cref="Record"/>, a
/// typed <see cref="ToChangeEvent{T}"/> for Change Data Capture, or <see cref="ToObject{T}"/> for a platform event. An event
/// that cannot be decoded throws from those members (and only there), so that a consumer can set it aside and go on.
/// </summary>
public sealed class ReceivedEvent
{
    internal const string HeaderField = "ChangeEventHeader";

    private readonly SalesforceSerializer _serializer;
    private AvroRecord? _record;
    private ChangeEventHeader? _header;

    internal ReceivedEvent(string topic, ReplayId replayId, string eventId, EventSchema schema, ReadOnlyMemory<byte> payload, SalesforceSerializer serializer)
    {
        Topic = topic;
        ReplayId = replayId;
        EventId = eventId;
        Schema = schema;
        Payload = payload;
        _serializer = serializer;
    }

    /// <summary>The context of the span of the Subscribe call that received the event (default without a listener): process spans link to it.</summary>
    internal System.Diagnostics.ActivityContext ReceiveContext { get; init; }

    /// <summary>The topic the event came from, for example <c>/data/AccountChangeEvent</c>.</summary>
    public string Topic { get; }

    /// <summary>The event's position in the topic: store it after processing, and resume with <see cref="ReplayStart.After"/>.</summary>
    public ReplayId ReplayId { get; }

    /// <summary>The event's id (<c>EventUuid</c> for platform events), as the publisher or Salesforce set it.</summary>
    public string EventId { get; }

    /// <summary>The id of the schema the payload was written with.</summary>
    public string SchemaId => Schema.Id;

    /// <summary>The schema the payload was written with.</summary>
    public EventSchema Schema { get; }

    /// <summary>The payload exactly as received: Avro binary, written with <see cref="Schema"/>.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>True for a Change Data Capture event (its schema has a <c>ChangeEventHeader</c>).</summary>
    public bool IsChangeEvent => Schema.IsChangeEvent;

    /// <summary>The event decoded field by field, without a .NET type.</summary>
    /// <exception cref="InvalidDataException">The payload does not match its schema.</exception>
    public AvroRecord Record => _record ??= AvroDecoder.DecodeRecord(Schema.Parsed, Payload.Span);

    /// <summary>The change event header (bitmaps decoded into field names); null when the event is not a change event.</summary>
    /// <exception cref="InvalidDataException">The payload does not match its schema, or a bitmap names no field.</exception>
    public ChangeEventHeader? ChangeEventHeader =>
        !IsChangeEvent ? null : _header ??= new ChangeEventHeader((AvroRecord?)Record[HeaderField] ?? throw new InvalidDataException("The change event has no ChangeEventHeader value."), Schema.Parsed);

    /// <summary>
    /// The change event with its record fields bound to <typeparamref name="T"/> through the client's JSON metadata, as the
    /// REST API binds records (<c>SalesforceOptions.TypeInfoResolver</c> for trimmed and NativeAOT apps): a POCO whose
    /// property names are the field names, or <c>SObject</c> (typed as the entity, with its id when the event names one record).
    /// Compound fields (addresses, names) are nested objects, as in the event.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <exception cref="InvalidOperationException">The event is not a change event.</exception>
    /// <exception cref="InvalidDataException">The payload does not match its schema.</exception>
    /// <exception cref="JsonException">The fields do not fit <typeparamref name="T"/>.</exception>
    public ChangeEvent<T> ToChangeEvent<T>()
    {
        var header = ChangeEventHeader ?? throw new InvalidOperationException($"The event from {Topic} ({Schema.Name}) is not a change event; use ToObject<T>().");
        var id = header.RecordIds.Count == 1 && !Record.Contains("Id") ? header.RecordIds[0] : null;
        var record = Bind<T>(header.EntityName, id, HeaderField);
        return new ChangeEvent<T>(header, record);
    }

    /// <summary>
    /// The event bound to <typeparamref name="T"/> through the client's JSON metadata: a platform event as a POCO whose
    /// property names are the event's field names (<c>Order_Number__c</c>), or as an <c>SObject</c> typed as the event.
    /// </summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <exception cref="InvalidDataException">The payload does not match its schema.</exception>
    /// <exception cref="JsonException">The fields do not fit <typeparamref name="T"/>.</exception>
    public T ToObject<T>() => Bind<T>(Schema.Parsed.ShortName, id: null, skipField: null);

    private T Bind<T>(string type, string? id, string? skipField)
    {
        var buffer = new ArrayBufferWriter<byte>(Payload.Length * 2 + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AvroJson.WriteRecord(writer, Record, skipField, w =>
            {
                w.WriteStartObject("attributes");
                w.WriteString("type", type);
                w.WriteEndObject();
                if (id is not null)
                {
                    w.WriteString("Id", id);
                }
            });
        }

        return JsonSerializer.Deserialize(buffer.WrittenSpan, _serializer.ReadInfo<T>())
            ?? throw new JsonException($"The event from {Topic} bound to null.");
    }

    /// <summary>The topic, replay id and schema.</summary>
    public override string ToString() => $"{Topic} @{ReplayId} ({Schema.Name})";
}
