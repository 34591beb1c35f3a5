using System.Text.Json.Nodes;

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
