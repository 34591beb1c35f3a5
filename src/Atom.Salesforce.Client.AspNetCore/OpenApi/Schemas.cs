using System.Text.Json.Nodes;
using System.Text.Json.Schema;
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
    /// too many to describe by hand.
    /// </summary>
    public static JsonObject For<T>(string description)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(EndpointJson.Options, typeof(T), ExporterOptions).AsObject();
        schema["description"] = description;
        return schema;
    }

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = static (_, node) => ToOpenApi30(node),
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

    public static JsonObject Type(string type, string description) => new() { ["type"] = type, ["description"] = description };

    public static JsonObject Nullable(string type, string description) => new() { ["type"] = type, ["nullable"] = true, ["description"] = description };

    public static JsonObject Array(JsonObject items, string description) => new() { ["type"] = "array", ["items"] = items, ["description"] = description };

    public static JsonObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    public static JsonObject SalesforceRecord() => new()
    {
        ["type"] = "object",
        ["description"] = "A Salesforce record: Id and the fields read, with Salesforce's field API names and values.",
        ["additionalProperties"] = true,
        ["properties"] = new JsonObject { ["Id"] = Type("string", "The record id.") },
    };

    public static JsonObject RecordList() => Object(
        "Records of one object.",
        ("records", Array(SalesforceRecord(), "The records, at most limit.")),
        ("count", Type("integer", "How many records were returned.")),
        ("limit", Type("integer", "The limit applied.")));

    public static JsonObject Record() => SalesforceRecord();

    public static JsonObject RecordId() => Object(
        "The record written.",
        ("id", Type("string", "The record id.")),
        ("created", Type("boolean", "True when the record was created.")),
        ("updated", Type("boolean", "True when the record was updated.")),
        ("deleted", Type("boolean", "True when the record was deleted.")));
}
