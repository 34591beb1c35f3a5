using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.OpenApi;

/// <summary>
/// The pack's OpenAPI 3.0 document, written from the route table itself: each route's body properties, its <c>data</c> schema
/// and the error envelope. Generated here rather than by Microsoft.AspNetCore.OpenApi because that package exists for
/// .NET 9+ only, and the pack reads its JSON bodies itself (to refuse malformed ones with the envelope), so no generator
/// could see their shape anyway.
/// </summary>
internal static class OpenApiDocument
{
    public static JsonObject Build(string prefix, string callbackPath)
    {
        var paths = new JsonObject();
        foreach (var definition in RouteTable.All)
        {
            var item = new JsonObject { ["post"] = Operation(definition, get: false) };
            if (definition.AllowGet)
            {
                item["get"] = Operation(definition, get: true);
            }

            paths[$"{prefix}/{definition.Path}"] = item;
        }

        paths[$"{prefix}/oauth/authorize"] = new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["tags"] = new JsonArray("Salesforce oauth"),
                ["summary"] = "Connect the signed-in user: redirects to Salesforce's authorize page with PKCE and a state bound to the user.",
                ["operationId"] = "oauth_authorize",
                ["responses"] = new JsonObject
                {
                    ["302"] = new JsonObject { ["description"] = "Redirect to Salesforce." },
                    ["401"] = ErrorResponse("Nobody is signed in."),
                },
            },
        };
        paths[callbackPath] = new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["tags"] = new JsonArray("Salesforce oauth"),
                ["summary"] = "Salesforce's redirect back: checks the state and the user, exchanges the code and stores the tokens.",
                ["operationId"] = "oauth_callback",
                ["parameters"] = new JsonArray(QueryParameter("code", "The authorization code."), QueryParameter("state", "The state sent."), QueryParameter("error", "Salesforce's OAuth error, when it refused.")),
                ["responses"] = new JsonObject
                {
                    ["200"] = Success(Schemas.Object("Connected.", ("connected", Schemas.Type("boolean", "True.")), ("user_id", Schemas.Type("string", "The user.")), ("instance_url", Schemas.Type("string", "The org's instance.")))),
                    ["302"] = new JsonObject { ["description"] = "Connected; redirect to the configured local page." },
                    ["400"] = ErrorResponse("State missing, expired or wrong; Salesforce refused."),
                    ["401"] = ErrorResponse("Nobody is signed in."),
                    ["403"] = ErrorResponse("Another user started the flow."),
                },
            },
        };

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Atom.Salesforce enhanced endpoints",
                ["version"] = typeof(OpenApiDocument).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                ["description"] = "Salesforce accounts, contacts, opportunities and leads (with stage advance, lead conversion and lead scoring), pipeline, lead, account and performance analytics, health and OAuth connect for the signed-in user. Every JSON route answers {\"ok\": true, \"data\": ...} or the error envelope.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject { ["ErrorEnvelope"] = ErrorEnvelopeSchema() },
            },
        };
    }

    private static JsonObject Operation(EndpointDefinition definition, bool get)
    {
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray("Salesforce " + definition.Tag),
            ["summary"] = definition.Summary,
            ["operationId"] = definition.Path.Replace('/', '_').Replace('-', '_') + (get ? "_get" : string.Empty),
        };
        if (get)
        {
            operation["parameters"] = new JsonArray([.. definition.Body.Select(p => (JsonNode)QueryParameter(p.Name, p.Description))]);
        }
        else
        {
            var properties = new JsonObject();
            foreach (var property in definition.Body)
            {
                properties[property.Name] = PropertySchema(property);
            }

            var schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
            var required = definition.Body.Where(p => p.Required).Select(p => (JsonNode)p.Name).ToArray();
            if (required.Length > 0)
            {
                schema["required"] = new JsonArray(required);
            }

            operation["requestBody"] = new JsonObject
            {
                ["required"] = required.Length > 0,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
            };
        }

        operation["responses"] = new JsonObject
        {
            ["200"] = Success(definition.ResponseSchema()),
            ["400"] = ErrorResponse("Validation failed, malformed JSON or query (Salesforce's error code passed through, e.g. MALFORMED_QUERY)."),
            ["401"] = ErrorResponse("Not signed in, or the user's Salesforce token is missing, expired or revoked."),
            ["403"] = ErrorResponse("user_id is not the signed-in user, or Salesforce forbids the operation."),
            ["404"] = ErrorResponse("The record does not exist."),
            ["413"] = ErrorResponse("The body is larger than the limit."),
            ["429"] = ErrorResponse("Salesforce's API limit; see Retry-After."),
            ["502"] = ErrorResponse("Salesforce failed."),
            ["503"] = ErrorResponse("Salesforce is unavailable."),
        };
        return operation;
    }

    private static JsonObject PropertySchema(BodyProperty property)
    {
        var schema = property.Type switch
        {
            BodyType.String => new JsonObject { ["type"] = "string", ["maxLength"] = RequestBody.MaxStringLength },
            BodyType.Id => new JsonObject { ["type"] = "string", ["pattern"] = "^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$" },
            BodyType.Integer => new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
            BodyType.Boolean => new JsonObject { ["type"] = "boolean" },
            BodyType.FieldValues => new JsonObject { ["type"] = "object", ["additionalProperties"] = true, ["minProperties"] = 1 },
            BodyType.StringArray => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["maxItems"] = RequestBody.MaxArrayItems },
            BodyType.DateRange => new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string", ["example"] = "LAST_N_DAYS:90" },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("start", "end"),
                        ["properties"] = new JsonObject
                        {
                            ["start"] = new JsonObject { ["type"] = "string", ["format"] = "date" },
                            ["end"] = new JsonObject { ["type"] = "string", ["format"] = "date" },
                        },
                    }),
            },
            _ => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject([.. property.FilterNames.Select(n => KeyValuePair.Create(n, (JsonNode?)StringArray()))]),
            },
        };
        schema["description"] = property.Description;
        return schema;

        static JsonObject StringArray() => new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } };
    }

    private static JsonObject QueryParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Success(JsonObject data) => new()
    {
        ["description"] = "Success.",
        ["content"] = new JsonObject
        {
            ["application/json"] = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("ok", "data"),
                    ["properties"] = new JsonObject
                    {
                        ["ok"] = new JsonObject { ["type"] = "boolean", ["enum"] = new JsonArray(true) },
                        ["data"] = data,
                    },
                },
            },
        },
    };

    private static JsonObject ErrorResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schemas.Ref("ErrorEnvelope") } },
    };

    private static JsonObject ErrorEnvelopeSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("ok", "error", "message", "status_code", "error_code", "service"),
        ["properties"] = new JsonObject
        {
            ["ok"] = new JsonObject { ["type"] = "boolean", ["enum"] = new JsonArray(false) },
            ["error"] = new JsonObject { ["type"] = "string", ["description"] = "The category: validation_error, unauthorized, forbidden, not_found, request_too_large, rate_limited, salesforce_error, salesforce_unavailable, internal_error." },
            ["message"] = new JsonObject { ["type"] = "string", ["description"] = "What went wrong, for people." },
            ["status_code"] = new JsonObject { ["type"] = "integer", ["description"] = "The HTTP status." },
            ["error_code"] = new JsonObject { ["type"] = "string", ["description"] = "Salesforce's error code (MALFORMED_QUERY, INVALID_FIELD, NOT_FOUND, ...) or the pack's (USER_MISMATCH, NOT_AUTHENTICATED, ...)." },
            ["service"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("salesforce_enhanced") },
        },
    };
}
