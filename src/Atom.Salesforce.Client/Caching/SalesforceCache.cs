using System.Text.Json.Serialization.Metadata;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// Where the SDK keeps the answers it may reuse: describes, the global describe, the org's limits and the query results a call
/// opts into (<see cref="Query.QueryOptions.CacheDuration"/>). Every value is created once per key at a time (single flight):
/// concurrent callers of a missing key wait for the one call that fills it. The Atom.Salesforce.Client.Caching package
/// implements it on <c>HybridCache</c> (in memory, and shared through Redis or any distributed cache); register it with
/// <c>AddAtomSalesforce(...).AddCaching()</c>. Without a registration nothing is cached.
/// </summary>
/// <remarks>
/// Keys name the org, the API version and, for anything a user's permissions shape, a hash of the user; they never hold a
/// token or a secret, and neither do the values. Values are written and read with the source-generated metadata the SDK
/// passes (trimming and NativeAOT safe).
/// </remarks>
public abstract class SalesforceCache
{
    /// <summary>For implementations.</summary>
    protected SalesforceCache()
    {
    }

    /// <summary>
    /// The value of <paramref name="key"/>: from the cache, or made by <paramref name="factory"/> (once, whatever the number
    /// of concurrent callers) and kept for <see cref="SalesforceCacheEntryOptions.Expiration"/>.
    /// </summary>
    /// <typeparam name="TState">The state handed to <paramref name="factory"/>, so that it need not capture.</typeparam>
    /// <typeparam name="T">The value; treat a value read from the cache as read-only, it may be shared.</typeparam>
    /// <param name="key">The key, built by the SDK: no token or secret in it.</param>
    /// <param name="state">Passed to <paramref name="factory"/>.</param>
    /// <param name="factory">Makes the value on a miss (one API call, or a few for a query's pages).</param>
    /// <param name="options">Expiration, tags and the kind of value (for metrics).</param>
    /// <param name="typeInfo">How to write and read the value for a distributed cache; null only for a value kept in this process alone (<see cref="SalesforceCacheEntryOptions.LocalOnly"/>).</param>
    /// <param name="cancellationToken">Cancels this caller's wait; the shared call goes on while another caller waits.</param>
    public abstract ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        SalesforceCacheEntryOptions options,
        JsonTypeInfo<T>? typeInfo,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the value of <paramref name="key"/> (the SDK does so after revalidating an expired describe with
    /// If-Modified-Since). The default does nothing and answers false: a describe is then made again in full when it expires.
    /// </summary>
    /// <typeparam name="T">The value.</typeparam>
    /// <param name="key">The key, built by the SDK.</param>
    /// <param name="value">The new value.</param>
    /// <param name="options">Expiration and tags, as <see cref="GetOrCreateAsync{TState, T}"/> takes them.</param>
    /// <param name="typeInfo">How to write the value for a distributed cache; null only for a value kept in this process alone.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the value was stored.</returns>
    public virtual ValueTask<bool> TrySetAsync<T>(
        string key, T value, SalesforceCacheEntryOptions options, JsonTypeInfo<T>? typeInfo, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);

    /// <summary>Drops every value carrying <paramref name="tag"/>, in this process and, where the cache is shared, in every other.</summary>
    /// <param name="tag">A tag from <see cref="SalesforceCacheEntryOptions.Tags"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public abstract ValueTask InvalidateAsync(string tag, CancellationToken cancellationToken = default);
}
