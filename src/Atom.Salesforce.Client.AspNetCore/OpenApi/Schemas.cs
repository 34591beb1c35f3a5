using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.AspNetCore.Envelope;

namespace Atom.Salesforce.Client.AspNetCore.OpenApi;

/// <summary>The OpenAPI schemas of each route's <c>data</c>.</summary>
internal static class Schemas
{
    public static JsonObject Object(string description, params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        return new JsonObject { ["type"] = "object", ["description"] = description, ["properties"] = props };
    }

    /// <summary>
    /// The schema of a result type exactly as the pack serializes it (snake_case names, enums as strings), generated from the
    /// type itself so that the document cannot drift from the response; used for the analytics reports, whose records are
    /// too many to describe by hand. Every object type's schema is titled with the type's name, so that the document names
    /// it once under <c>components/schemas</c> (<see cref="ComponentSchemas"/>) instead of repeating it inline.
    /// </summary>
    public static JsonObject For<T>(string description)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(EndpointJson.Options, typeof(T), ExporterOptions).AsObject();
        InlineLocalReferences(schema, schema, depth: 0);
        schema["description"] = description;
        return schema;
    }

    /// <summary>
    /// The exporter writes a type met a second time as <c>{"$ref": "#/properties/..."}</c>, a pointer into this one schema,
    /// which means nothing once the schema sits in a document: each becomes a copy of what it points at, and the copies of a
    /// titled type are then one named component again (<see cref="ComponentSchemas"/>).
    /// </summary>
    private static void InlineLocalReferences(JsonNode root, JsonNode? node, int depth)
    {
        if (depth > 64)
        {
            throw new InvalidOperationException("A recursive result type cannot be described inline.");
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonObject child && child["$ref"] is JsonValue pointer && pointer.GetValue<string>() is ['#', ..] text)
                    {
                        var target = Resolve(root, text).DeepClone().AsObject();
                        foreach (var sibling in child.Where(p => p.Key != "$ref").ToList())
                        {
                            target[sibling.Key] = sibling.Value?.DeepClone();
                        }

                        obj[key] = target;
                        InlineLocalReferences(root, target, depth + 1);
                    }
                    else
                    {
                        InlineLocalReferences(root, obj[key], depth + 1);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    InlineLocalReferences(root, item, depth + 1);
                }

                break;
        }
    }

    private static JsonNode Resolve(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node is JsonArray array ? array[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)]! : node[name]!;
        }

        return node;
    }

    /// <summary>Gives <paramref name="schema"/> a component name: the document lists it once, under that name.</summary>
    public static JsonObject Named(string title, JsonObject schema)
    {
        schema["title"] = title;
        return schema;
    }

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = static (context, node) =>
        {
            node = ToOpenApi30(node);
            if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node is JsonObject schema && schema["properties"] is not null
                && !context.TypeInfo.Type.IsGenericType)
            {
                schema["title"] = context.TypeInfo.Type.Name;
            }

            return node;
        },
    };

    /// <summary>JSON Schema writes a nullable value as <c>"type": ["string", "null"]</c>; OpenAPI 3.0 as <c>"nullable": true</c>.</summary>
    private static JsonNode ToOpenApi30(JsonNode node)
    {
        if (node is JsonObject schema && schema["type"] is JsonArray types)
        {
            var named = types.Select(t => t!.GetValue<string>()).ToList();
            if (named.Remove("null"))
            {
                schema["nullable"] = true;
            }

            schema["type"] = named.Count == 1 ? named[0] : new JsonArray([.. named.Select(t => (JsonNode?)t)]);
        }

        return node;
    }

    /// <summary>
    /// Adds a property the pack adds to an answer (a name next to an id) to the items of the array property
    /// <paramref name="list"/> of <paramref name="schema"/>, right after <paramref name="after"/>.
    /// </summary>
    public static void AddToItems(JsonObject schema, string list, string after, string name, JsonObject property)
    {
        var items = schema["properties"]![list]!["items"]!.AsObject();
        var properties = items["properties"]!.AsObject();
        var index = properties.IndexOf(after);
        properties.Remove(name);
        if (index < 0)
        {
            properties[name] = property;
        }
        else
        {
            properties.Insert(index + 1, name, property);
        }
    }

    public static JsonObject Type(string type, string description) => new() { ["type"] = type, ["description"] = description };

    public static JsonObject Nullable(string type, string description) => new() { ["type"] = type, ["nullable"] = true, ["description"] = description };

    public static JsonObject Array(JsonObject items, string description) => new() { ["type"] = "array", ["items"] = items, ["description"] = description };

    public static JsonObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    public static JsonObject SalesforceRecord() => new()
    {
        ["title"] = "SalesforceRecord",
        ["type"] = "object",
        ["description"] = "A Salesforce record: Id and the fields read, with Salesforce's field API names and values.",
        ["additionalProperties"] = true,
        ["properties"] = new JsonObject { ["Id"] = Type("string", "The record id.") },
    };

    public static JsonObject RecordList() => Named("RecordList", Object(
        "Records of one object.",
        ("records", Array(SalesforceRecord(), "The records, at most limit.")),
        ("count", Type("integer", "How many records were returned.")),
        ("limit", Type("integer", "The limit applied."))));

    public static JsonObject Record() => SalesforceRecord();

    public static JsonObject RecordId() => Named("RecordWrite", Object(
        "The record written.",
        ("id", Type("string", "The record id.")),
        ("created", Type("boolean", "True when the record was created.")),
        ("updated", Type("boolean", "True when the record was updated.")),
        ("deleted", Type("boolean", "True when the record was deleted."))));
}
