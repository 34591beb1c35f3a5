using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.Health;

/// <summary>
/// <c>health</c> (GET and POST): the token store, the user's token, Salesforce's reachability and the API requests left. Without
/// a signed-in or named user only the token store is checked. A user with several logins names one with <c>username</c>, as on
/// every route (400 <c>LOGIN_REQUIRED</c> without it).
/// </summary>
internal static class HealthEndpoint
{
    public static EndpointDefinition Definition { get; } = new(
        "health",
        "health",
        "Health of the integration for the user: token validity, database (token store), Salesforce reachability, API usage left.",
        [BodyProperty.UserId],
        ResponseSchema,
        async call => await HealthProbe.CheckAsync(call.Services, call.UserId, call.UserId is null ? null : call.Username, call.CancellationToken).ConfigureAwait(false))
    {
        AllowGet = true,
        UserOptional = true,
    };

    private static JsonObject ResponseSchema() => Schemas.Object(
        "The health report.",
        ("status", Schemas.Type("string", "healthy, degraded (no usable token, or under 10% of the daily API requests left) or unhealthy (database or Salesforce failing).")),
        ("user_id", Schemas.Nullable("string", "The user checked.")),
        ("username", Schemas.Nullable("string", "The Salesforce username of the login checked: the one named with 'username', else the user's only login (null when none is stored).")),
        ("token", Schemas.Object("The user's token.", ("status", Schemas.Type("string", "valid, missing, revoked, rejected, unknown or skipped.")), ("instance_url", Schemas.Nullable("string", "The org's instance.")), ("issued_at", Schemas.Nullable("string", "When the access token was issued.")))),
        ("database", Schemas.Object("The token store.", ("status", Schemas.Type("string", "ok or error.")))),
        ("salesforce", Schemas.Object(
            "Salesforce with the user's token.",
            ("status", Schemas.Type("string", "reachable, unreachable or skipped.")),
            ("error_code", Schemas.Nullable("string", "Salesforce's error code when a call failed.")),
            ("api_usage", Schemas.Object("Daily API requests.", ("used", Schemas.Type("integer", "Used.")), ("max", Schemas.Type("integer", "Allocation.")), ("remaining", Schemas.Type("integer", "Left.")))))));
}
