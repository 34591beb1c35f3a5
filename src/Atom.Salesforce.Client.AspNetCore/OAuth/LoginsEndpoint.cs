using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.OAuth;

/// <summary>
/// <c>oauth/logins</c> (GET or POST): the Salesforce logins the user has connected, oldest first, each named by its
/// Salesforce username, which the other routes take as <c>username</c> to pick it. Never a token.
/// </summary>
internal static class LoginsEndpoint
{
    internal sealed record Login(string? Username, string? Email, string InstanceUrl, string? OrganizationId, bool IsActive, DateTimeOffset IssuedAt, string GrantType);

    internal sealed record UserLogins(string UserId, IReadOnlyList<Login> Logins);

    public static EndpointDefinition Definition { get; } = new(
        "oauth/logins",
        "oauth",
        "List the Salesforce logins the user has connected (one per Salesforce username); pass one's 'username' to the other routes to use it.",
        [BodyProperty.UserId],
        ResponseSchema,
        async call =>
        {
            var userId = call.UserId!;
            var tokens = await call.Services.TokenStore.GetLoginsAsync(userId, call.CancellationToken).ConfigureAwait(false);
            return new UserLogins(userId, [.. tokens.Select(t => new Login(
                t.Username, t.Email, t.InstanceUrl.AbsoluteUri, OrganizationOf(t.IdentityUrl), t.IsUsable, t.IssuedAt, GrantName(t.GrantType)))]);
        })
    {
        AllowGet = true,
    };

    /// <summary>The org id of an identity URL (<c>.../id/{orgId}/{userId}</c>).</summary>
    private static string? OrganizationOf(Uri? identityUrl)
    {
        var segments = identityUrl?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var at = Array.IndexOf(segments, "id");
        return at >= 0 && segments.Length > at + 2 ? segments[at + 1] : null;
    }

    private static string GrantName(Auth.SalesforceGrantType grant) => grant switch
    {
        Auth.SalesforceGrantType.JwtBearer => "jwt_bearer",
        Auth.SalesforceGrantType.ClientCredentials => "client_credentials",
        _ => "authorization_code",
    };

    private static JsonObject ResponseSchema() => Schemas.Object(
        "The user's Salesforce logins.",
        ("user_id", Schemas.Type("string", "The user.")),
        ("logins", new JsonObject
        {
            ["type"] = "array",
            ["description"] = "One entry per connected Salesforce login, oldest first.",
            ["items"] = Schemas.Object(
                "A connected login.",
                ("username", Schemas.Type("string", "The Salesforce username: the value of 'username' that picks this login.")),
                ("email", Schemas.Type("string", "The Salesforce user's email, when known.")),
                ("instance_url", Schemas.Type("string", "The org's instance.")),
                ("organization_id", Schemas.Type("string", "The org id (00D...), when known.")),
                ("is_active", Schemas.Type("boolean", "False once Salesforce refused the grant: connect that login again.")),
                ("issued_at", Schemas.Type("string", "When the current access token was issued.")),
                ("grant_type", Schemas.Type("string", "authorization_code, jwt_bearer or client_credentials."))),
        }));
}
