using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;
using Avro.Generic;
using Avro.IO;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>The org's Pub/Sub side: its event bus, its topics and schemas, and the change capture on its commits.</summary>
internal sealed class PubSubBus
{
    public PubSubBus(
        Org org,
        TimeProvider time,
        IEnumerable<SObjectDefinition> platformEvents,
        int overflowThreshold = ChangeCapture.DefaultOverflowThreshold,
        IEnumerable<ManagedEventSubscriptionDefinition>? managedSubscriptions = null)
    {
        Bus = new EventBus(time);
        Catalog = new EventCatalog(org.Schema, platformEvents);
        Managed = new ManagedSubscriptions(Catalog, time, managedSubscriptions ?? []);
        Capture = new ChangeCapture(Bus, Catalog, time, overflowThreshold);
        Time = time;
        org.Committed = Capture.OnCommitted;
    }

    public EventBus Bus { get; }

    public EventCatalog Catalog { get; }

    public ChangeCapture Capture { get; }

    /// <summary>The managed event subscriptions (ManagedSubscribe) and the replay id each committed.</summary>
    public ManagedSubscriptions Managed { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// Publishes a platform event of the options from a REST body (<c>POST /sobjects/{Name}__e</c>, and composite
    /// subrequests), as <paramref name="userId"/>: its id (the event's key prefix and replay id) and its UUID, which
    /// Salesforce returns as the message of an OPERATION_ENQUEUED status. Null for an object that is no platform event
    /// (a name not ending in <c>__e</c>); NOT_FOUND for an unknown platform event.
    /// </summary>
    public (string Id, string Uuid)? PublishPlatformEvent(string objectName, System.Text.Json.JsonElement body, string userId)
    {
        if (!objectName.EndsWith("__e", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var found = Catalog.PlatformEvent(objectName) ?? throw new ApiException(404, "NOT_FOUND", "The requested resource does not exist");
        var values = FieldValues.FromJson(found.Object, body);
        var schema = found.Schema;
        var published = Bus.Publish("/event/" + found.Definition.Name, schema, schema.Encode(null, values, Time.GetUtcNow(), userId), null);
        return (RecordIds.Create(found.Object.KeyPrefix, published.ReplayId), published.Id);
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
