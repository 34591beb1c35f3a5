using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Caching;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// The records an analytics route read from the user's org, reused for <see cref="SalesforceEndpointOptions.AnalyticsCacheDuration"/>
/// for the same login, the same parts and the same filter, in the SDK's cache (<see cref="SalesforceCache"/>): in this process's
/// memory only (<see cref="SalesforceCacheEntryOptions.LocalOnly"/>, the records are not written out). Per login, because what a
/// user's token reads is what that user may see; the key holds a hash of the login and of the filter, never the user id.
/// Concurrent requests of one key share one read (the cache's single flight).
/// </summary>
internal sealed class CachedSalesDataSource(ISalesDataSource inner, SalesforceCache cache, string prefix, SalesforceLogin login, TimeSpan duration) : ISalesDataSource
{
    public async Task<SalesData> LoadAsync(SalesDataParts parts, SalesDataFilter? filter = null, CancellationToken cancellationToken = default) =>
        await cache.GetOrCreateAsync(
            Key("data:" + ((int)parts).ToString(CultureInfo.InvariantCulture), filter), (Inner: inner, Parts: parts, Filter: filter),
            static async (s, ct) => await s.Inner.LoadAsync(s.Parts, s.Filter, ct).ConfigureAwait(false), Entry(), typeInfo: null, cancellationToken).ConfigureAwait(false);

    public Task<string?> GetOrganizationIdAsync(CancellationToken cancellationToken = default) => inner.GetOrganizationIdAsync(cancellationToken);

    public async Task<OpportunitySet> LoadOpportunitiesAsync(SalesDataFilter? filter = null, CancellationToken cancellationToken = default) =>
        await cache.GetOrCreateAsync(
            Key("opportunities", filter), (Inner: inner, Filter: filter),
            static async (s, ct) => await s.Inner.LoadOpportunitiesAsync(s.Filter, ct).ConfigureAwait(false), Entry(), typeInfo: null, cancellationToken).ConfigureAwait(false);

    /// <summary>The tag of every cached analytics read of the application (<c>SalesforceCache.InvalidateAsync</c> of it reads the orgs again).</summary>
    public static string Tag(string prefix) => $"{prefix}:pack:analytics";

    private SalesforceCacheEntryOptions Entry() => new()
    {
        Expiration = duration,
        LocalOnly = true,
        Kind = SalesforceCacheKinds.Other,
        Tags = [Tag(prefix)],
    };

    private string Key(string what, SalesDataFilter? filter)
    {
        var text = new StringBuilder()
            .Append(login.UserId).Append('\n').Append(login.Username).Append('\n').Append(what).Append('\n');
        if (filter is not null)
        {
            static string List(IReadOnlyCollection<string>? values) =>
                values is null ? "-" : values.Count.ToString(CultureInfo.InvariantCulture) + ":" + string.Join("\u001f", values.Order(StringComparer.Ordinal));
            text.Append(List(filter.OwnerIds)).Append('\n')
                .Append(filter.CreatedFrom?.UtcTicks).Append('\n')
                .Append(filter.CreatedBefore?.UtcTicks).Append('\n')
                .Append(filter.CloseDateFrom?.DayNumber).Append('\n')
                .Append(filter.CloseDateTo?.DayNumber).Append('\n')
                .Append(List(filter.StageNames)).Append('\n')
                .Append(List(filter.LeadIds));
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16)).ToLowerInvariant();
        return $"{prefix}:pack:analytics:{hash}";
    }
}
