using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.OpenApi;

/// <summary>
/// The pack's OpenAPI 3.0 document, written from the route table itself: each route's body properties, its <c>data</c> schema
/// and the error envelope. Generated here rather than by Microsoft.AspNetCore.OpenApi because that package exists for
/// .NET 9+ only, and the pack reads its JSON bodies itself (to refuse malformed ones with the envelope), so no generator
/// could see their shape anyway. Every body, answer and report type is a named schema under <c>components/schemas</c>
/// (<c>AccountsListRequest</c>, <c>AccountsListResponse</c>, <c>RecordList</c>, <c>PipelineReport</c>, ...), referenced
/// by <c>$ref</c>; the host's sign-in is described under <c>components/securitySchemes</c>.
/// </summary>
internal static class OpenApiDocument
{
    /// <param name="routes">The JSON routes to describe (the route table, which lives in the layer above).</param>
    /// <param name="prefix">The routes' prefix.</param>
    /// <param name="callbackPath">The OAuth callback's path.</param>
    /// <param name="securitySchemes">The host's sign-in, as OpenAPI security schemes (<see cref="OpenApiSecuritySchemes"/>); empty when none can be described.</param>
    public static JsonObject Build(IReadOnlyList<EndpointDefinition> routes, string prefix, string callbackPath, JsonObject securitySchemes)
    {
        var components = new ComponentSchemas();
        components.Add("ErrorEnvelope", ErrorEnvelopeSchema());
        var signedIn = new JsonArray([.. securitySchemes.Select(s => (JsonNode)new JsonObject { [s.Key] = new JsonArray() })]);
        var paths = new JsonObject();
        foreach (var definition in routes)
        {
            var item = new JsonObject { ["post"] = Operation(definition, get: false, components, Security(definition.UserOptional)) };
            if (definition.AllowGet)
            {
                item["get"] = Operation(definition, get: true, components, Security(definition.UserOptional));
            }

            paths[$"{prefix}/{definition.Path}"] = item;
        }

        // What a route needs: the host's sign-in (any one of its schemes); a route that also answers without a user adds {}.
        JsonArray? Security(bool optional) => signedIn.Count == 0
            ? null
            : optional ? new JsonArray([new JsonObject(), .. signedIn.Select(s => s!.DeepClone())]) : (JsonArray)signedIn.DeepClone();

        paths[$"{prefix}/oauth/authorize"] = new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["tags"] = new JsonArray("Salesforce oauth"),
                ["summary"] = "Connect the signed-in user: redirects to Salesforce's authorize page with PKCE and a state bound to the user.",
                ["operationId"] = "oauth_authorize",
                ["security"] = Security(optional: false),
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
                ["security"] = Security(optional: false),
                ["responses"] = new JsonObject
                {
                    ["200"] = Success(components, "OauthCallback", Schemas.Object("Connected.", ("connected", Schemas.Type("boolean", "True.")), ("user_id", Schemas.Type("string", "The user.")), ("instance_url", Schemas.Type("string", "The org's instance.")))),
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
                ["description"] = "Salesforce accounts, contacts, opportunities (create, update, stage advance), leads (create, convert, "
                    + "score) and contact activities for the signed-in user; analytics of the pipeline, leads, accounts and sales performance; "
                    + "webhook endpoints for the org's change events (create, list, delete, rotate-secret, enable), signed per Standard Webhooks; "
                    + "health and the OAuth connect flow (and disconnect). Every JSON route answers {\"ok\": true, \"data\": ...} or the error envelope. "
                    + "Requests act for the signed-in user: the host's own sign-in (securitySchemes), never a token in the body.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = components.Build(),
                ["responses"] = ErrorResponses(),
                ["securitySchemes"] = securitySchemes.DeepClone(),
            },
        };
    }

    /// <summary><c>accounts/list</c> → <c>AccountsList</c>, <c>opportunities/stage-advance</c> → <c>OpportunitiesStageAdvance</c>.</summary>
    internal static string ComponentName(string path) => string.Concat(
        path.Split('/', '-', '_').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static JsonObject Operation(EndpointDefinition definition, bool get, ComponentSchemas components, JsonArray? security)
    {
        var name = ComponentName(definition.Path);
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

            schema["title"] = name + "Request";
            schema["description"] = "The body of " + definition.Path + ".";
            var content = new JsonObject { ["schema"] = components.Reference(schema) };
            if (definition.Example is { } example)
            {
                // The documented body as written: the page's "try it" starts from it, and a client generator shows it.
                content["example"] = JsonNode.Parse(example);
            }

            operation["requestBody"] = new JsonObject
            {
                ["required"] = required.Length > 0,
                ["content"] = new JsonObject { ["application/json"] = content },
            };
        }

        if (security is not null)
        {
            operation["security"] = security;
        }

        operation["responses"] = new JsonObject
        {
            ["200"] = Success(components, name, definition.ResponseSchema()),
            ["400"] = ResponseRef("BadRequest"),
            ["401"] = ResponseRef("Unauthorized"),
            ["403"] = ResponseRef("Forbidden"),
            ["404"] = ResponseRef("NotFound"),
            ["413"] = ResponseRef("PayloadTooLarge"),
            ["429"] = ResponseRef("TooManyRequests"),
            ["502"] = ResponseRef("BadGateway"),
            ["503"] = ResponseRef("ServiceUnavailable"),
        };
        return operation;
    }

    /// <summary>The error answers every JSON route shares, named once under <c>components/responses</c>.</summary>
    private static JsonObject ErrorResponses() => new()
    {
        ["BadRequest"] = ErrorResponse("validation_error: the pack refused the request (error_code INVALID_REQUEST, REQUIRED_FIELD_MISSING, INVALID_FIELD, MALFORMED_QUERY, ...); or api_error: Salesforce refused it, with its own error_code (MALFORMED_QUERY, INVALID_FIELD, REQUIRED_FIELD_MISSING, ...)."),
        ["Unauthorized"] = ErrorResponse("unauthorized: not signed in, or the user's Salesforce connection is missing, expired or revoked."),
        ["Forbidden"] = ErrorResponse("forbidden: user_id is not the signed-in user; or api_error: Salesforce forbids the operation."),
        ["NotFound"] = ErrorResponse("api_error: Salesforce has no such record (NOT_FOUND, ENTITY_IS_DELETED)."),
        ["PayloadTooLarge"] = ErrorResponse("validation_error: the body is larger than the limit (REQUEST_TOO_LARGE)."),
        ["TooManyRequests"] = ErrorResponse("rate_limited: Salesforce's API limit, or the pack's own per-user limit; see Retry-After."),
        ["BadGateway"] = ErrorResponse("api_error: Salesforce failed or answered something unusable."),
        ["ServiceUnavailable"] = ErrorResponse("salesforce_unavailable: Salesforce could not be reached; try again later."),
    };

    private static JsonObject ResponseRef(string name) => new() { ["$ref"] = "#/components/responses/" + name };

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
                    new JsonObject { ["type"] = "string", ["example"] = "last_30_days" },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["properties"] = new JsonObject
                        {
                            ["start_date"] = new JsonObject { ["type"] = "string", ["format"] = "date", ["description"] = "First day, included." },
                            ["end_date"] = new JsonObject { ["type"] = "string", ["format"] = "date", ["description"] = "Last day, included." },
                            ["start"] = new JsonObject { ["type"] = "string", ["format"] = "date", ["description"] = "Alias of start_date; both given must agree." },
                            ["end"] = new JsonObject { ["type"] = "string", ["format"] = "date", ["description"] = "Alias of end_date; both given must agree." },
                        },
                        ["example"] = new JsonObject { ["start_date"] = "2025-01-01", ["end_date"] = "2025-12-31" },
                    }),
            },
            _ => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject([.. property.FilterNames.SelectMany(FilterProperties)]),
            },
        };
        schema["description"] = property.Description;
        return schema;

        static JsonObject StringArray() => new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } };

        // The documented name first; the pack's own spelling after it, as an alias.
        static IEnumerable<KeyValuePair<string, JsonNode?>> FilterProperties(AliasedName filter)
        {
            yield return KeyValuePair.Create(filter.Name, (JsonNode?)StringArray());
            if (filter.Alias is { } alias)
            {
                var schema = StringArray();
                schema["description"] = $"Alias of {filter.Name}; both given must agree.";
                yield return KeyValuePair.Create(alias, (JsonNode?)schema);
            }
        }
    }

    private static JsonObject QueryParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    /// <summary>The success envelope of a route, named <c>{name}Response</c>; its <c>data</c> named by its title, else <c>{name}Data</c>.</summary>
    private static JsonObject Success(ComponentSchemas components, string name, JsonObject data)
    {
        if (data["title"] is null)
        {
            data["title"] = name + "Data";
        }

        var envelope = new JsonObject
        {
            ["title"] = name + "Response",
            ["type"] = "object",
            ["description"] = "{\"ok\": true, \"data\": ...}",
            ["required"] = new JsonArray("ok", "data"),
            ["properties"] = new JsonObject
            {
                ["ok"] = new JsonObject { ["type"] = "boolean", ["enum"] = new JsonArray(true) },
                ["data"] = data,
            },
        };
        return new JsonObject
        {
            ["description"] = "Success.",
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = components.Reference(envelope) } },
        };
    }

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
            ["error"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. SalesforceEndpointErrors.All.Select(e => (JsonNode)e)]),
                ["description"] = "Who refused and what to do: validation_error (the pack refused the request; 400, 413), unauthorized (sign in or connect again; 401), "
                    + "forbidden (another user's connection; 403), not_found (no such route; 404), api_error (Salesforce refused or failed; its status and error_code), "
                    + "rate_limited (Salesforce's API limit; 429), salesforce_unavailable (try again later; 503), internal_error (500).",
            },
            ["message"] = new JsonObject { ["type"] = "string", ["description"] = "What went wrong, for people." },
            ["status_code"] = new JsonObject { ["type"] = "integer", ["description"] = "The HTTP status." },
            ["error_code"] = new JsonObject { ["type"] = "string", ["description"] = "Why: Salesforce's own code when it answered (MALFORMED_QUERY, INVALID_FIELD, NOT_FOUND, ...), or the pack's (INVALID_REQUEST, USER_MISMATCH, NOT_AUTHENTICATED, ...)." },
            ["service"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("salesforce_enhanced") },
        },
    };
}
