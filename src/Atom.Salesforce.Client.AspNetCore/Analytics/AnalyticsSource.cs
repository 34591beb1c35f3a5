using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Telemetry;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// Where an analytics route reads its records: the mirror restricted to what the user may see (<see cref="Mirror"/> set), or
/// the user's org with the user's token, cached per user (<see cref="Mirror"/> null).
/// </summary>
/// <param name="Data">The records the route may use.</param>
/// <param name="Mirror">The whole mirror, for names of records the user sees through <paramref name="Data"/>; null when reading Salesforce.</param>
internal sealed record AnalyticsSource(ISalesDataSource Data, ISalesDataSource? Mirror)
{
    /// <summary>
    /// The source of <paramref name="call"/>: the mirror when the app opted in (<see cref="SalesforceEndpointOptions.AnalyticsFromMirror"/>),
    /// the user's org (from the login's identity URL) is the org the mirror holds, and the visibility rule places the user;
    /// otherwise Salesforce with the user's own token (never the mirror org-wide, never another org's mirror).
    /// </summary>
    public static async Task<AnalyticsSource> ForAsync(EndpointCall call)
    {
        var services = call.Services;
        var options = services.Options;
        if (options.AnalyticsFromMirror && services.MirrorData is { } mirror)
        {
            if (await VisibleAsync(call, mirror).ConfigureAwait(false) is { } visible)
            {
                return new AnalyticsSource(visible, mirror);
            }
        }

        var org = new SalesforceSalesDataSource(call.Client);
        var duration = options.AnalyticsCacheDuration;
        return new AnalyticsSource(duration <= TimeSpan.Zero ? org : new CachedSalesDataSource(org, services.Cache, services.CacheKeyPrefix, call.Login, duration), null);
    }

    /// <summary>
    /// The mirror restricted to what the user of <paramref name="call"/> may see, or null (logged) when the user must be served
    /// from Salesforce: the login has no identity URL, its org is not the mirror's, or the rule does not place the user.
    /// </summary>
    public static async Task<ISalesDataSource?> VisibleAsync(EndpointCall call, ISalesDataSource mirror)
    {
        var services = call.Services;
        var options = services.Options;
        var login = call.Login;
        var token = await services.TokenStore.GetAsync(login, call.CancellationToken).ConfigureAwait(false);
        var (organizationId, salesforceUserId) = IdentityOf(token?.IdentityUrl);
        if (organizationId is null || salesforceUserId is null)
        {
            Log.AnalyticsFromSalesforce(services.Logger, "the stored login has no identity URL");
            return null;
        }

        // The mirror holds one org: a user of another org (another customer, a sandbox) is never served from it, whatever the rule says.
        var mirrorOrganizationId = await mirror.GetOrganizationIdAsync(call.CancellationToken).ConfigureAwait(false);
        if (mirrorOrganizationId is null || !SameId(mirrorOrganizationId, organizationId))
        {
            Log.AnalyticsFromSalesforce(services.Logger, mirrorOrganizationId is null ? "the mirror does not say which org it holds (its writer has not run)" : "the user's org is not the org the mirror holds");
            return null;
        }

        var people = await mirror.LoadAsync(SalesDataParts.Users | SalesDataParts.UserRoles, cancellationToken: call.CancellationToken).ConfigureAwait(false);
        var hierarchy = RoleHierarchy.VisibleOwners(people.Users, people.UserRoles, salesforceUserId);
        var owners = options.AnalyticsVisibleOwners is { } rule
            ? await rule(new AnalyticsViewer
            {
                UserId = login.UserId,
                Username = login.Username,
                SalesforceUserId = salesforceUserId,
                OrganizationId = organizationId,
                HierarchyOwnerIds = hierarchy,
            }, call.CancellationToken).ConfigureAwait(false)
            : hierarchy.Count == 0 ? null : hierarchy;
        if (owners is null)
        {
            Log.AnalyticsFromSalesforce(services.Logger, "the mirror does not place the user");
            return null;
        }

        return new VisibleSalesDataSource(mirror, owners);
    }

    /// <summary>The same Salesforce id, spelt with 15 or 18 characters.</summary>
    private static bool SameId(string a, string b) => a.Length >= 15 && b.Length >= 15 && string.Equals(a[..15], b[..15], StringComparison.Ordinal);

    /// <summary>The org and user ids of an identity URL, <c>https://login.salesforce.com/id/{orgId}/{userId}</c>; nulls for another shape.</summary>
    internal static (string? OrganizationId, string? UserId) IdentityOf(Uri? identityUrl)
    {
        if (identityUrl is null || !identityUrl.IsAbsoluteUri)
        {
            return (null, null);
        }

        var segments = identityUrl.AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 3 && segments[^3] == "id" && IsId(segments[^2]) && IsId(segments[^1]) ? (segments[^2], segments[^1]) : (null, null);
    }

    private static bool IsId(string value) => value.Length is 15 or 18 && value.All(char.IsAsciiLetterOrDigit);
}

/// <summary>
/// The default visibility rule: a user sees the records they own and those owned by users whose role is below theirs in the
/// role hierarchy (Salesforce's "Grant Access Using Hierarchies", on for standard objects). Users in the same role do not see
/// each other's records; a user without a role sees only their own.
/// </summary>
internal static class RoleHierarchy
{
    /// <summary>The owner ids <paramref name="userId"/> may see; empty when the user is not among <paramref name="users"/>.</summary>
    public static IReadOnlyCollection<string> VisibleOwners(IReadOnlyList<UserRecord> users, IReadOnlyList<UserRoleRecord> roles, string userId)
    {
        var user = users.FirstOrDefault(u => SameId(u.Id, userId));
        if (user is null)
        {
            return [];
        }

        var owners = new HashSet<string>(StringComparer.Ordinal) { user.Id };
        if (user.UserRoleId is not { } top)
        {
            return owners;
        }

        // Every role below the user's: children by parent, walked breadth first (a cycle in bad data stops at roles seen).
        var children = roles.Where(r => r.ParentRoleId is not null).ToLookup(r => Key(r.ParentRoleId!), r => Key(r.Id));
        var below = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([Key(top)]);
        while (queue.TryDequeue(out var role))
        {
            foreach (var child in children[role])
            {
                if (below.Add(child))
                {
                    queue.Enqueue(child);
                }
            }
        }

        foreach (var other in users)
        {
            if (other.UserRoleId is { } role && below.Contains(Key(role)))
            {
                owners.Add(other.Id);
            }
        }

        return owners;
    }

    /// <summary>The 15-character form of an id: the mirror and Salesforce may spell one id with 15 or 18 characters.</summary>
    private static string Key(string id) => id.Length == 18 ? id[..15] : id;

    private static bool SameId(string a, string b) => string.Equals(Key(a), Key(b), StringComparison.Ordinal);
}
