using Atom.Salesforce.Client.Http;

namespace Atom.Salesforce.Client.Limits;

/// <summary>The org's limits. Get one from <see cref="SalesforceClient.Limits"/>.</summary>
public class LimitsClient
{
    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only.</summary>
    protected LimitsClient()
    {
    }

    internal LimitsClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>
    /// Every limit of the org (<c>DailyApiRequests</c>, <c>DataStorageMB</c>, ...) with its allocation and what is left. With
    /// caching registered, the limits come from the cache (per user, <see cref="Caching.SalesforceCacheOptions.LimitsDuration"/>:
    /// a user whose session Salesforce refuses never gets another user's answer); concurrent callers share one call.
    /// </summary>
    public virtual Task<IReadOnlyDictionary<string, OrganizationLimit>> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_connection.Cache is { } cache)
        {
            return CachedAsync(cache, cancellationToken);
        }

        return GetUncachedAsync(cancellationToken);

        async Task<IReadOnlyDictionary<string, OrganizationLimit>> CachedAsync(Caching.ConnectionCache cache, CancellationToken cancellationToken) =>
            await cache.GetOrCreateAsync(
                Caching.SalesforceCacheKinds.Limits, "limits", perUser: true, cache.Options.LimitsDuration, static _ => [], this,
                static async (self, ct) => (Dictionary<string, OrganizationLimit>)await self.GetUncachedAsync(ct).ConfigureAwait(false),
                _connection.Serializer.ReadInfo<Dictionary<string, OrganizationLimit>>(), cancellationToken).ConfigureAwait(false);
    }

    private Task<IReadOnlyDictionary<string, OrganizationLimit>> GetUncachedAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync<IReadOnlyDictionary<string, OrganizationLimit>>("LimitsClient.Get", async ct =>
        {
            var response = await _connection.Limits.Get(_connection.Version, ct).ConfigureAwait(false);
            return await _connection.ReadAsync(response, _connection.Serializer.ReadInfo<Dictionary<string, OrganizationLimit>>(), ct)
                .ConfigureAwait(false);
        }, cancellationToken);
}
