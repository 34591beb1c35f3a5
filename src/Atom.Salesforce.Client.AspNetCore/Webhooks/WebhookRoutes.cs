using System.Net;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Errors;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// <c>webhooks/create</c>, <c>webhooks/list</c>, <c>webhooks/delete</c>, <c>webhooks/rotate-secret</c> and
/// <c>webhooks/enable</c>: the signed-in user's webhook endpoints, which receive the change events of the objects they name,
/// in the org of the user's login, with the fields the user can read. Answered 404 <c>WEBHOOKS_NOT_ENABLED</c> when the host
/// did not call <c>AddWebhooks()</c>.
/// </summary>
internal static partial class WebhookRoutes
{
    public const int MaxObjects = 50;
    public const int MaxDescriptionLength = 1_000;
    public const int MaxTargetLength = 2_048;

    /// <summary>The change types an endpoint may subscribe to; none means every one.</summary>
    public static readonly IReadOnlyList<string> ChangeTypes = ["CREATE", "UPDATE", "DELETE", "UNDELETE"];

    internal sealed record CreatedWebhook(
        string Id, string TargetUrl, IReadOnlyList<string> Objects, IReadOnlyList<string> ChangeTypes, string? Description, string Secret, string Status, DateTimeOffset CreatedAt);

    internal sealed record Webhook(
        string Id,
        string TargetUrl,
        IReadOnlyList<string> Objects,
        IReadOnlyList<string> ChangeTypes,
        string? Description,
        string Status,
        bool Disabled,
        DateTimeOffset? DisabledAt,
        string? DisabledReason,
        int ConsecutiveFailures,
        DateTimeOffset? LastFailureAt,
        string? LastFailureReason,
        DateTimeOffset? LastSuccessAt,
        long PendingDeliveries,
        DateTimeOffset? PreviousSecretExpiresAt,
        DateTimeOffset CreatedAt);

    internal sealed record WebhookList(string UserId, IReadOnlyList<Webhook> Webhooks);

    internal sealed record DeletedWebhook(string Id, bool Deleted);

    internal sealed record RotatedSecret(string Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);

    internal sealed record EnabledWebhook(string Id, bool Enabled);

    private static readonly BodyProperty WebhookId = new("webhook_id", BodyType.String, true, "The endpoint's id, as webhooks/create or webhooks/list gave it.");

    public static EndpointDefinition Create { get; } = new(
        "webhooks/create",
        "webhooks",
        "Register a webhook endpoint for the change events of the named objects in the org of the user's login: answers its id and its signing secret, shown only here.",
        [
            BodyProperty.UserId,
            new("target_url", BodyType.String, true, "Where the events are posted: an https URL whose host resolves to public addresses only (unless the server allows otherwise)."),
            new("objects", BodyType.StringArray, true, $"The objects whose change events to receive (API names such as \"Account\" or \"Invoice__c\"), 1 to {MaxObjects}; each must be one the user can read."),
            new("change_types", BodyType.StringArray, false, "The change types to receive: any of CREATE, UPDATE, DELETE, UNDELETE (gap events follow their type; GAP_OVERFLOW always comes). Every type when omitted."),
            new("description", BodyType.String, false, $"A note for the owner, up to {MaxDescriptionLength:N0} characters."),
        ],
        CreatedSchema,
        CreateAsync);

    public static EndpointDefinition List { get; } = new(
        "webhooks/list",
        "webhooks",
        "List the user's webhook endpoints with their state: active, failing or disabled (and why), the last failure and how many events wait.",
        [BodyProperty.UserId],
        ListSchema,
        async call =>
        {
            var endpoints = await Services(call).Store.ListAsync(call.UserId!, call.CancellationToken).ConfigureAwait(false);
            return new WebhookList(call.UserId!, [.. endpoints.Select(ToWebhook)]);
        })
    {
        AllowGet = true,
    };

    public static EndpointDefinition Delete { get; } = new(
        "webhooks/delete",
        "webhooks",
        "Delete one of the user's webhook endpoints and the events still waiting for it.",
        [BodyProperty.UserId, WebhookId],
        () => Schemas.Object("The endpoint is deleted.", ("id", Schemas.Type("string", "The endpoint deleted.")), ("deleted", Schemas.Type("boolean", "Always true."))),
        async call =>
        {
            var id = ParseId(call);
            return await Services(call).Store.DeleteAsync(call.UserId!, id, call.CancellationToken).ConfigureAwait(false)
                ? new DeletedWebhook(id.ToString("D"), true)
                : throw NotFound();
        });

    public static EndpointDefinition RotateSecret { get; } = new(
        "webhooks/rotate-secret",
        "webhooks",
        "Give a webhook endpoint a new signing secret, shown only here; deliveries are signed with the old one too until previous_secret_expires_at.",
        [BodyProperty.UserId, WebhookId],
        () => Schemas.Object(
            "The new secret.",
            ("id", Schemas.Type("string", "The endpoint.")),
            ("secret", Schemas.Type("string", "The new signing secret (whsec_ and base64), shown only now.")),
            ("previous_secret_expires_at", Schemas.Type("string", "Until when deliveries carry a signature with the previous secret too."))),
        async call =>
        {
            var id = ParseId(call);
            var services = Services(call);
            var now = services.Time.GetUtcNow();
            var secret = WebhookSignature.NewSecret();
            var until = now + services.Options.PreviousSecretLifetime;
            return await services.Store.RotateSecretAsync(call.UserId!, id, secret, until, now, call.CancellationToken).ConfigureAwait(false)
                ? new RotatedSecret(id.ToString("D"), secret, until)
                : throw NotFound();
        });

    public static EndpointDefinition Enable { get; } = new(
        "webhooks/enable",
        "webhooks",
        "Enable a disabled webhook endpoint again (its failure count starts from zero); the events queued for it are delivered.",
        [BodyProperty.UserId, WebhookId],
        () => Schemas.Object("The endpoint is enabled.", ("id", Schemas.Type("string", "The endpoint.")), ("enabled", Schemas.Type("boolean", "Always true."))),
        async call =>
        {
            var id = ParseId(call);
            var services = Services(call);
            return await services.Store.EnableAsync(call.UserId!, id, services.Time.GetUtcNow(), call.CancellationToken).ConfigureAwait(false)
                ? new EnabledWebhook(id.ToString("D"), true)
                : throw NotFound();
        });

    public static IReadOnlyList<EndpointDefinition> All { get; } = [Create, List, Delete, RotateSecret, Enable];

    private static async Task<object?> CreateAsync(EndpointCall call)
    {
        var services = Services(call);
        var userId = call.UserId!;
        var body = call.Body;

        // Everything the body alone says is checked before Salesforce or DNS is asked anything.
        var targetText = body.String("target_url")!;
        if (targetText.Length > MaxTargetLength)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidUrl, $"'target_url' is longer than {MaxTargetLength:N0} characters.");
        }

        if (services.Guard.CheckUrl(targetText, out var target) is { } badUrl)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidUrl, "'target_url' " + badUrl);
        }

        var names = body.Strings("objects")!;
        if (names.Count is 0 or > MaxObjects)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'objects' must name 1 to {MaxObjects} objects.");
        }

        foreach (var name in names)
        {
            if (!ObjectName().IsMatch(name))
            {
                throw EndpointError.Validation(EndpointErrorCodes.InvalidType, $"'objects': '{RequestBody.Excerpt(name)}' is not an object name.");
            }
        }

        var changeTypes = new List<string>();
        foreach (var type in body.Strings("change_types") ?? [])
        {
            var known = ChangeTypes.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase))
                ?? throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'change_types': '{RequestBody.Excerpt(type)}' is not one of {string.Join(", ", ChangeTypes)}.");
            if (!changeTypes.Contains(known))
            {
                changeTypes.Add(known);
            }
        }

        var description = body.String("description");
        if (description?.Length > MaxDescriptionLength)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'description' is longer than {MaxDescriptionLength:N0} characters.");
        }

        if (await services.Store.CountAsync(userId, call.CancellationToken).ConfigureAwait(false) >= services.Options.MaxEndpointsPerUser)
        {
            throw EndpointError.Validation(EndpointErrorCodes.LimitExceeded, $"A user may register {services.Options.MaxEndpointsPerUser} webhook endpoints; delete one first.");
        }

        if (await services.Guard.CheckHostAsync(target!, call.CancellationToken).ConfigureAwait(false) is { } refused)
        {
            throw EndpointError.Validation(EndpointErrorCodes.TargetNotAllowed, "'target_url': " + refused);
        }

        // The user's login: its org is where the events come from; its describes say what the user can read.
        var token = await call.Services.TokenStore.GetAsync(call.Login, call.CancellationToken).ConfigureAwait(false)
            ?? throw new SalesforceAuthenticationException(userId, SalesforceAuthenticationException.Codes.NoToken, "No token is stored for the user.");
        var orgId = OrganizationOf(token.IdentityUrl)
            ?? throw EndpointError.Validation(EndpointErrorCodes.LoginRequired, "The user's Salesforce login does not say which org it belongs to (no identity URL); connect again.");
        var objects = new List<string>();
        foreach (var name in names)
        {
            SObjectDescribe describe;
            try
            {
                describe = await call.Services.Describes.GetAsync(call.Client, name, call.CancellationToken).ConfigureAwait(false);
            }
            catch (SalesforceApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                throw EndpointError.Validation(EndpointErrorCodes.InvalidType, $"'objects': {RequestBody.Excerpt(name)} is not an object the user can read.");
            }

            if (!objects.Contains(describe.Name, StringComparer.OrdinalIgnoreCase))
            {
                objects.Add(describe.Name);
            }
        }

        var id = Guid.NewGuid();
        var secret = WebhookSignature.NewSecret();
        var now = services.Time.GetUtcNow();
        await services.Store.CreateAsync(id, userId, token.Username, orgId, target!, objects, changeTypes, description, secret, now, call.CancellationToken).ConfigureAwait(false);
        WebhookLog.EndpointCreated(call.Services.Logger, id, userId, objects.Count);
        return new CreatedWebhook(id.ToString("D"), target!.AbsoluteUri, objects, changeTypes, description, secret, "active", now);
    }

    private static Webhook ToWebhook(StoredEndpoint e) => new(
        e.Id.ToString("D"),
        e.TargetUrl,
        e.Objects,
        e.ChangeTypes,
        e.Description,
        e.IsDisabled ? "disabled" : e.ConsecutiveFailures > 0 ? "failing" : "active",
        e.IsDisabled,
        e.DisabledAt,
        e.DisabledReason,
        e.ConsecutiveFailures,
        e.LastFailureAt,
        e.LastFailureReason,
        e.LastSuccessAt,
        e.PendingDeliveries,
        e.PreviousSecretExpiresAt,
        e.CreatedAt);

    private static WebhookServices Services(EndpointCall call) =>
        call.Http.RequestServices.GetService<WebhookServices>()
        ?? throw new EndpointError(SalesforceEndpointErrors.NotFound, 404, EndpointErrorCodes.WebhooksNotEnabled,
            "Webhooks are not enabled on this server (the host registers them with AddWebhooks()).");

    private static Guid ParseId(EndpointCall call) =>
        Guid.TryParseExact(call.Body.String("webhook_id"), "D", out var id)
            ? id
            : throw EndpointError.Validation(EndpointErrorCodes.InvalidId, "'webhook_id' must be an endpoint id as webhooks/create gave it (a UUID).");

    private static EndpointError NotFound() =>
        new(SalesforceEndpointErrors.NotFound, 404, EndpointErrorCodes.WebhookNotFound, "The user has no webhook endpoint with this id.");

    /// <summary>The org id of an identity URL (<c>.../id/{orgId}/{userId}</c>).</summary>
    private static string? OrganizationOf(Uri? identityUrl)
    {
        var segments = identityUrl?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var at = Array.IndexOf(segments, "id");
        return at >= 0 && segments.Length > at + 2 ? segments[at + 1] : null;
    }

    /// <summary>An sObject API name: a letter, then letters, digits and underscores (<c>Account</c>, <c>ns__Invoice__c</c>).</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$")]
    private static partial Regex ObjectName();

    private static JsonObject CreatedSchema() => Schemas.Object(
        "The endpoint registered, with its signing secret: store it now, it is never shown again.",
        ("id", Schemas.Type("string", "The endpoint's id.")),
        ("target_url", Schemas.Type("string", "Where events are posted.")),
        ("objects", Schemas.Array(Schemas.Type("string", "An object API name."), "The objects, in their describe's spelling.")),
        ("change_types", Schemas.Array(Schemas.Type("string", "CREATE, UPDATE, DELETE or UNDELETE."), "The change types; empty for every type.")),
        ("description", Schemas.Nullable("string", "The owner's note.")),
        ("secret", Schemas.Type("string", "The signing secret (whsec_ and base64): verify webhook-signature with it, per Standard Webhooks.")),
        ("status", Schemas.Type("string", "active.")),
        ("created_at", Schemas.Type("string", "When it was registered.")));

    private static JsonObject ListSchema() => Schemas.Object(
        "The user's webhook endpoints, oldest first.",
        ("user_id", Schemas.Type("string", "The user.")),
        ("webhooks", Schemas.Array(Schemas.Object(
            "A webhook endpoint (never its secret).",
            ("id", Schemas.Type("string", "The endpoint's id.")),
            ("target_url", Schemas.Type("string", "Where events are posted.")),
            ("objects", Schemas.Array(Schemas.Type("string", "An object API name."), "The objects.")),
            ("change_types", Schemas.Array(Schemas.Type("string", "A change type."), "The change types; empty for every type.")),
            ("description", Schemas.Nullable("string", "The owner's note.")),
            ("status", Schemas.Type("string", "active, failing (its last delivery failed) or disabled.")),
            ("disabled", Schemas.Type("boolean", "True once deliveries stopped: see disabled_reason, then webhooks/enable.")),
            ("disabled_at", Schemas.Nullable("string", "When it was disabled.")),
            ("disabled_reason", Schemas.Nullable("string", "Why it was disabled.")),
            ("consecutive_failures", Schemas.Type("integer", "Failed deliveries since the last success.")),
            ("last_failure_at", Schemas.Nullable("string", "When a delivery last failed.")),
            ("last_failure_reason", Schemas.Nullable("string", "Why it failed: the target's status, or why it could not be reached.")),
            ("last_success_at", Schemas.Nullable("string", "When a delivery last succeeded.")),
            ("pending_deliveries", Schemas.Type("integer", "Events queued for it and not yet delivered.")),
            ("previous_secret_expires_at", Schemas.Nullable("string", "Until when the secret replaced by rotate-secret still signs deliveries.")),
            ("created_at", Schemas.Type("string", "When it was registered."))), "The endpoints.")));
}

/// <summary>What the webhook routes need, registered by <c>AddWebhooks()</c>.</summary>
internal sealed class WebhookServices(WebhookStore store, TargetGuard guard, IOptions<WebhookOptions> options, TimeProvider time)
{
    public WebhookStore Store { get; } = store;

    public TargetGuard Guard { get; } = guard;

    public WebhookOptions Options { get; } = options.Value;

    public TimeProvider Time { get; } = time;
}
