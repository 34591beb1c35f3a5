using System.Text.Json.Nodes;

namespace Atom.Salesforce.Client.AspNetCore.OpenApi;

/// <summary>
/// The document's <c>components/schemas</c>: every schema with a <c>title</c> (a body, an answer, a report type) is listed
/// once under that name and referenced with <c>$ref</c> wherever it appears, so that a reader, a browsable page or a
/// client generator sees named types instead of the same object repeated inline.
/// </summary>
internal sealed class ComponentSchemas
{
    private const string Prefix = "#/components/schemas/";
    private readonly SortedDictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);

    /// <summary>Lists <paramref name="schema"/> under <paramref name="name"/> as it is (its titled parts named too).</summary>
    public void Add(string name, JsonObject schema)
    {
        Hoist(schema);
        _schemas[name] = schema;
    }

    /// <summary>
    /// Lists a titled schema (and every titled schema inside it) under its title and answers the <c>$ref</c> to it. A nullable
    /// use becomes <c>{"allOf": [{"$ref": ...}], "nullable": true}</c>, the OpenAPI 3.0 form (a <c>$ref</c>'s siblings are ignored).
    /// </summary>
    public JsonObject Reference(JsonObject schema)
    {
        var title = schema["title"]!.GetValue<string>();
        var nullable = schema["nullable"] is JsonValue value && value.GetValue<bool>();
        schema.Remove("nullable");
        Hoist(schema);
        var name = Register(title, schema);
        var reference = new JsonObject { ["$ref"] = Prefix + name };
        return nullable ? new JsonObject { ["allOf"] = new JsonArray(reference), ["nullable"] = true } : reference;
    }

    /// <summary>The <c>components/schemas</c> object, by name.</summary>
    public JsonObject Build() => new([.. _schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]);

    private string Register(string title, JsonObject schema)
    {
        // The same name for the same schema is one component; a different schema under a taken name gets a number.
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? title : title + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!_schemas.TryGetValue(name, out var existing))
            {
                _schemas[name] = schema;
                return name;
            }

            if (JsonNode.DeepEquals(existing, schema))
            {
                return name;
            }
        }
    }

    /// <summary>Replaces every titled schema below <paramref name="node"/> with a reference to its component.</summary>
    private void Hoist(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (key is "example" or "examples" or "enum" or "default")
                    {
                        continue;
                    }

                    var child = obj[key];
                    if (key != "properties" && child is JsonObject titled && titled["title"] is JsonValue)
                    {
                        obj[key] = Reference(titled);
                    }
                    else if (key == "properties" && child is JsonObject properties)
                    {
                        foreach (var name in properties.Select(p => p.Key).ToList())
                        {
                            if (properties[name] is JsonObject property && property["title"] is JsonValue)
                            {
                                properties[name] = Reference(property);
                            }
                            else
                            {
                                Hoist(properties[name]);
                            }
                        }
                    }
                    else
                    {
                        Hoist(child);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject titled && titled["title"] is JsonValue)
                    {
                        array[i] = Reference(titled);
                    }
                    else
                    {
                        Hoist(array[i]);
                    }
                }

                break;
        }
    }
}
