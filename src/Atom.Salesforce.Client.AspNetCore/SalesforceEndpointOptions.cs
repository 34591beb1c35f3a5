using System.Security.Claims;
using System.Text.Json.Nodes;

namespace Atom.Salesforce.Client.AspNetCore;

/// <summary>
/// How the endpoint pack behaves. Set with <c>AddEndpoints(o => ...)</c> or bound from the
/// <c>Salesforce:Endpoints</c> configuration section; validated when the host starts.
/// </summary>
public sealed class SalesforceEndpointOptions
{
    /// <summary>The configuration section the options bind from by default: <c>Salesforce:Endpoints</c>.</summary>
    public const string DefaultSectionName = "Salesforce:Endpoints";

    /// <summary>
    /// The claim of the signed-in <see cref="ClaimsPrincipal"/> that holds the SDK user id (the key of the user's tokens).
    /// <see cref="ClaimTypes.NameIdentifier"/> by default; <c>sub</c> is used when the principal has no such claim.
    /// </summary>
    public string UserIdClaimType { get; set; } = ClaimTypes.NameIdentifier;

    /// <summary>
    /// Trusted mode, for service-to-service callers only: the body's <c>user_id</c> names the user and no signed-in user is
    /// needed. Off by default. Turn it on only behind authentication that admits nothing but trusted services
    /// (<c>MapAtomSalesforce().RequireAuthorization("ServicePolicy")</c>): any caller can then act as any user. The host refuses
    /// to start (<see cref="InvalidOperationException"/>) when a route of the pack does not require authorization (on the
    /// group, or through an authorization fallback policy), and a request without an authenticated caller is 401.
    /// </summary>
    public bool TrustBodyUserId { get; set; }

    /// <summary>The largest request body accepted, in bytes; larger ones get 413. 64 KiB by default.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The <c>limit</c> used when a list request sets none. 50 by default.</summary>
    public int DefaultListLimit { get; set; } = 50;

    /// <summary>The largest <c>limit</c> a list request may ask for; more gets 400. 2,000 by default.</summary>
    public int MaxListLimit { get; set; } = 2_000;

    /// <summary>
    /// The OAuth callback URL registered on the connected app (<c>SALESFORCE_REDIRECT_URI</c>). Its path is where the pack
    /// maps the callback; null maps it at <c>{prefix}/oauth/callback</c> and builds the URL from the request.
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>The scopes asked for when connecting, space-separated. <c>api refresh_token</c> by default.</summary>
    public string OAuthScope { get; set; } = "api refresh_token";

    /// <summary>
    /// Where the browser goes after a successful connection, a local path such as <c>/settings</c>; null (the default) answers
    /// the callback with the JSON envelope instead.
    /// </summary>
    public string? ConnectedRedirectPath { get; set; }

    /// <summary>
    /// The SDK user whose token the ASP.NET health check (<c>AddAtomSalesforceHealthChecks</c>) uses to reach Salesforce
    /// and read the API usage left, typically an integration user. Null checks only the token store.
    /// </summary>
    public string? HealthCheckUserId { get; set; }

    /// <summary>
    /// How long an object's describe (the fields requests are checked against) is reused, per user: the pack sets the SDK
    /// cache's <c>SalesforceCacheOptions.DescribeDuration</c> to it, so every describe of the application shares one entry and
    /// one call. 10 minutes by default.
    /// </summary>
    public TimeSpan DescribeCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a lead conversion model trained on a user's org is reused by <c>leads/score</c> before it is trained again
    /// (one read of the org's leads and activities). 6 hours by default; <see cref="TimeSpan.Zero"/> scores by the rules only.
    /// </summary>
    public TimeSpan LeadModelLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Whether the pack limits how many requests each caller makes (<see cref="RateLimitPermits"/> per
    /// <see cref="RateLimitWindow"/>): on by default. Over the limit a request is answered 429 <c>rate_limited</c>
    /// (<c>TOO_MANY_REQUESTS</c>) with <c>Retry-After</c>, before its body is read. Callers are told apart by the signed-in
    /// user; requests without one share a partition per client IP address. Turn it off when the application limits the
    /// group itself (<c>MapAtomSalesforce().RequireRateLimiting(...)</c>).
    /// </summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>
    /// Changes the pack's OpenAPI document (<c>{prefix}/openapi.json</c>) once, when it is first built: for example a sentence
    /// about the host's sign-in added to <c>info.description</c>, or a server URL. The document handed over is the pack's own
    /// (OpenAPI 3.0.3: named <c>components/schemas</c>, the host's cookie or bearer schemes as <c>securitySchemes</c>, the
    /// documented bodies as examples). Null (the default) serves it as built.
    /// </summary>
    public Action<JsonObject>? ConfigureOpenApiDocument { get; set; }

    /// <summary>How many requests a caller may make in one <see cref="RateLimitWindow"/>. 120 by default.</summary>
    public int RateLimitPermits { get; set; } = 120;

    /// <summary>The window <see cref="RateLimitPermits"/> counts over (a fixed window). 1 minute by default.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// True to serve the analytics routes (<c>analytics/pipeline</c>, <c>leads</c>, <c>accounts</c>, <c>performance</c>) from the
    /// <c>ISalesDataSource</c> registered in the container (the PostgreSQL mirror of <c>AddAtomSalesforceMirror</c>), which
    /// makes no Salesforce API call. The mirror holds what its integration login sees, so each user's analytics are restricted
    /// to the owners <see cref="AnalyticsVisibleOwners"/> returns or, without it, to the user's own records and those of the
    /// users below the user's role in the role hierarchy (UserRole, ParentRoleId). A user is served from the mirror only when
    /// the org of the user's login (from the identity URL stored with its token) is the org the mirror holds
    /// (<c>ISalesDataSource.GetOrganizationIdAsync</c>); a user of another org, a login without an identity URL, and a user the
    /// rule cannot place (no row in the mirror's User table) are served from Salesforce with the user's own token.
    /// False (the default): the routes read the user's org with the user's token, the filters in the SOQL, the records reused
    /// for <see cref="AnalyticsCacheDuration"/>. The host refuses to map the routes when this is true and no data source is registered.
    /// </summary>
    public bool AnalyticsFromMirror { get; set; }

    /// <summary>
    /// The app's own visibility rule when <see cref="AnalyticsFromMirror"/> is true: the owner ids (<c>OwnerId</c>) whose
    /// records the viewer's analytics may read, or null to serve the viewer from Salesforce with the viewer's own token. The
    /// viewer carries the default rule's answer (<see cref="AnalyticsViewer.HierarchyOwnerIds"/>) to narrow or extend. Null
    /// (the default) applies the role-hierarchy rule. It is asked only about viewers of the mirror's org (whatever it answers,
    /// a viewer of another org or without an identity URL is served from Salesforce).
    /// </summary>
    public Func<AnalyticsViewer, CancellationToken, ValueTask<IReadOnlyCollection<string>?>>? AnalyticsVisibleOwners { get; set; }

    /// <summary>
    /// How long the records an analytics route read from Salesforce (not from the mirror) are reused for the same user and the
    /// same filters, in this process's memory: repeated reports within this time make no API call. 2 minutes by default;
    /// <see cref="TimeSpan.Zero"/> reads the org on every request.
    /// </summary>
    public TimeSpan AnalyticsCacheDuration { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// The user an analytics route answers when the routes read the mirror (<see cref="SalesforceEndpointOptions.AnalyticsFromMirror"/>):
/// what <see cref="SalesforceEndpointOptions.AnalyticsVisibleOwners"/> decides on.
/// </summary>
public sealed class AnalyticsViewer
{
    /// <summary>The application's user id (the route's resolved user).</summary>
    public required string UserId { get; init; }

    /// <summary>The Salesforce username the request names; null for the user's only login.</summary>
    public string? Username { get; init; }

    /// <summary>The Salesforce user id (<c>005…</c>) of the login, from its stored identity URL; null when the token has none.</summary>
    public string? SalesforceUserId { get; init; }

    /// <summary>The org id (<c>00D…</c>) of the login, from its stored identity URL; null when the token has none.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>
    /// The default rule's owners: the Salesforce user and every user whose role is below theirs in the mirror's role hierarchy;
    /// empty when the Salesforce user is unknown or not in the mirror's User table.
    /// </summary>
    public required IReadOnlyCollection<string> HierarchyOwnerIds { get; init; }
}
