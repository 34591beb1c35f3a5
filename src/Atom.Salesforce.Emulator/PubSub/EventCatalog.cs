using System.Collections.Concurrent;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// The org's topics and their schemas: <c>/data/ChangeEvents</c> (every change event), <c>/data/{Object}ChangeEvent</c>
/// per object (<c>/data/Order__ChangeEvent</c> for <c>Order__c</c>), and <c>/event/{Name}__e</c> per platform event of
/// the options.
/// </summary>
internal sealed class EventCatalog
{
    private readonly OrgSchema _schema;
    private readonly ConcurrentDictionary<ObjectSchema, EventSchema> _changeSchemas = new();
    private readonly Dictionary<string, (SObjectDefinition Definition, ObjectSchema Object, EventSchema Schema)> _platformEvents = new(StringComparer.OrdinalIgnoreCase);

    public EventCatalog(OrgSchema schema, IEnumerable<SObjectDefinition> platformEvents)
    {
        _schema = schema;
        var index = 0;
        foreach (var definition in platformEvents)
        {
            if (!definition.Name.EndsWith("__e", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Platform event '{definition.Name}' must have a name ending in __e.");
            }

            if (definition.Fields.FirstOrDefault(f => !f.Custom) is { } field)
            {
                throw new ArgumentException($"Platform event field '{definition.Name}.{field.Name}' must have a name ending in __c.");
            }

            var keyPrefix = definition.KeyPrefix ?? $"e{index++:D2}";
            var obj = new ObjectSchema(definition, keyPrefix, definition.Fields);
            if (!_platformEvents.TryAdd(definition.Name, (definition, obj, EventSchema.ForPlatformEvent(definition))))
            {
                throw new ArgumentException($"Platform event '{definition.Name}' is declared twice.");
            }
        }
    }

    /// <summary>The channel of an object's change events.</summary>
    public static string ChangeChannel(ObjectSchema obj) =>
        "/data/" + (obj.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? obj.Name[..^3] + "__ChangeEvent" : obj.Name + "ChangeEvent");

    public EventSchema ChangeSchema(ObjectSchema obj) => _changeSchemas.GetOrAdd(obj, EventSchema.ForChanges);

    /// <summary>A platform event of the options, by API name (<c>Order_Event__e</c>).</summary>
    public (SObjectDefinition Definition, ObjectSchema Object, EventSchema Schema)? PlatformEvent(string name) =>
        _platformEvents.TryGetValue(name, out var found) ? found : null;

    /// <summary>
    /// A topic by name: its canonical name, the schema of its events (null for <c>/data/ChangeEvents</c>, whose events
    /// have each their object's schema) and whether clients may publish to it (platform events only).
    /// </summary>
    public (string Name, EventSchema? Schema, bool CanPublish)? Topic(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (name.Equals(EventBus.AllChanges, StringComparison.OrdinalIgnoreCase))
        {
            return (EventBus.AllChanges, null, false);
        }

        if (name.StartsWith("/event/", StringComparison.OrdinalIgnoreCase) && PlatformEvent(name["/event/".Length..]) is { } pe)
        {
            return ("/event/" + pe.Definition.Name, pe.Schema, true);
        }

        if (name.StartsWith("/data/", StringComparison.OrdinalIgnoreCase) && name.EndsWith("ChangeEvent", StringComparison.OrdinalIgnoreCase))
        {
            var entity = name["/data/".Length..^"ChangeEvent".Length];
            entity = entity.EndsWith("__", StringComparison.Ordinal) ? entity + "c" : entity;
            if (_schema.Find(entity) is { } obj && ChangeCapture.Captured(obj))
            {
                return (ChangeChannel(obj), ChangeSchema(obj), false);
            }
        }

        return null;
    }

    /// <summary>A schema by id, among every topic's (change event schemas are made when first asked for).</summary>
    public EventSchema? SchemaById(string id)
    {
        foreach (var pe in _platformEvents.Values)
        {
            if (pe.Schema.SchemaId == id)
            {
                return pe.Schema;
            }
        }

        foreach (var obj in _schema.Objects.Where(ChangeCapture.Captured))
        {
            var schema = ChangeSchema(obj);
            if (schema.SchemaId == id)
            {
                return schema;
            }
        }

        return null;
    }
}
