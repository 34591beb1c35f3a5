using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Telemetry;

namespace Atom.Salesforce.Client.AspNetCore.OAuth;

/// <summary>
/// <c>oauth/disconnect</c>: revokes the user's token at Salesforce (the refresh token, which ends its access tokens) and
/// deletes it from the store, which audits it (<c>revoked</c> in the PostgreSQL store). With <c>username</c>, only that
/// login is disconnected; without, every login of the user. A user with nothing stored is
/// disconnected already; when Salesforce cannot be reached the token stays stored (503) so that the call can be repeated.
/// </summary>
internal static class DisconnectEndpoint
{
    internal sealed record DisconnectedUser(bool Disconnected, string UserId);

    public static EndpointDefinition Definition { get; } = new(
        "oauth/disconnect",
        "oauth",
        "Disconnect the user from Salesforce: revoke the stored token at Salesforce, delete it and audit it. With 'username', only that login; without, every login of the user.",
        [BodyProperty.UserId],
        ResponseSchema,
        async call =>
        {
            var userId = call.UserId!;
            await call.Services.OAuth.RevokeAsync(call.Login, call.CancellationToken).ConfigureAwait(false);
            Log.UserDisconnected(call.Services.Logger, userId);
            return new DisconnectedUser(true, userId);
        });

    private static JsonObject ResponseSchema() => Schemas.Object(
        "The user is disconnected.",
        ("disconnected", Schemas.Type("boolean", "Always true.")),
        ("user_id", Schemas.Type("string", "The user disconnected.")));
}
