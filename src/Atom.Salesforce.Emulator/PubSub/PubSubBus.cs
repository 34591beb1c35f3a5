using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Avro.Generic;
using Avro.IO;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>The org's Pub/Sub side: its event bus, its topics and schemas, and the change capture on its commits.</summary>
internal sealed class PubSubBus
{
    public PubSubBus(Org org, SalesforceEmulatorOptions options)
    {
        Bus = new EventBus(options.TimeProvider);
        Catalog = new EventCatalog(org.Schema, options.PlatformEvents);
        Capture = new ChangeCapture(Bus, Catalog, options.TimeProvider);
        Time = options.TimeProvider;
        org.Committed = Capture.OnCommitted;
    }

    public EventBus Bus { get; }

    public EventCatalog Catalog { get; }

    public ChangeCapture Capture { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// <c>POST /sobjects/{Name}__e</c> (REST, and composite subrequests): publishes a platform event of the options and
    /// answers as Salesforce does, 201 with the event's id and an OPERATION_ENQUEUED status whose message is the event's
    /// UUID. False for any other object.
    /// </summary>
    public bool TryPublish(RequestContext context, string objectName, out EmulatorResponse response)
    {
        response = null!;
        if (!objectName.EndsWith("__e", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var found = Catalog.PlatformEvent(objectName) ?? throw new ApiException(404, "NOT_FOUND", "The requested resource does not exist");
        var values = FieldValues.FromJson(found.Object, context.Request.ReadJson());
        var schema = found.Schema;
        var published = Bus.Publish("/event/" + found.Definition.Name, schema, schema.Encode(null, values, Time.GetUtcNow(), context.UserId ?? context.Org.AdminUserId), null);
        var id = RecordIds.Create(found.Object.KeyPrefix, published.ReplayId);
        response = EmulatorResponse.Json(201, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteBoolean("success", true);
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("statusCode", "OPERATION_ENQUEUED");
            writer.WriteString("message", published.Id);
            writer.WriteStartArray("fields");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return true;
    }

    /// <summary>Publishes an event a client encoded (Publish, PublishStream): its payload must decode with the topic's schema.</summary>
    public BusEvent PublishEncoded(string channel, EventSchema schema, byte[] payload)
    {
        var reader = new GenericDatumReader<GenericRecord>(schema.AvroSchema, schema.AvroSchema);
        using var stream = new MemoryStream(payload);
        _ = reader.Read(null!, new BinaryDecoder(stream));
        if (stream.Position != payload.Length)
        {
            throw new InvalidDataException("The payload has bytes past the event's record.");
        }

        return Bus.Publish(channel, schema, payload, null);
    }
}
