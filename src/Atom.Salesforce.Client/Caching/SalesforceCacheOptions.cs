namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// What the SDK caches and for how long, once caching is registered (<c>AddAtomSalesforce(...).AddCaching(o =&gt; ...)</c>, from
/// the Atom.Salesforce.Client.Caching package). Query results are cached only where a call asks for it
/// (<see cref="Query.QueryOptions.CacheDuration"/>).
/// </summary>
public sealed class SalesforceCacheOptions
{
    /// <summary>How long one sObject type's describe is kept, per user (field-level security shapes it). Zero turns it off. Default 15 minutes.</summary>
    public TimeSpan DescribeDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the list of the org's sObject types is kept, per user. Zero turns it off. Default 15 minutes.</summary>
    public TimeSpan DescribeGlobalDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a describe and the global describe stay in the cache in all, to be revalidated once their duration
    /// (<see cref="DescribeDuration"/>, <see cref="DescribeGlobalDuration"/>) has passed: the next read sends If-Modified-Since
    /// with the time the value was read, and when Salesforce answers 304 Not Modified (no body) the cached value is kept for
    /// another duration; otherwise the new one replaces it. Concurrent readers of an expired value share one conditional call.
    /// Not longer than the duration: no revalidation, the value is read again in full. Default 1 day (the most allowed).
    /// </summary>
    public TimeSpan DescribeRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the org's limits are kept, per user (the answer is the org's, but a user whose session Salesforce refuses must
    /// not get it from another user's call). Zero turns it off. Default 15 seconds.
    /// </summary>
    public TimeSpan LimitsDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest <see cref="Query.QueryOptions.CacheDuration"/> honoured; a longer one is cut to this. Default 1 hour.</summary>
    public TimeSpan MaxQueryDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The largest query result kept, in bytes of Salesforce's JSON (all pages). A larger result streams on uncached, and
    /// the key remembers for the duration that it is too large. Default 512 KiB: kept as base64 in a distributed cache, that
    /// stays under HybridCache's default payload limit of 1 MiB.
    /// </summary>
    public int MaxQueryResultBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// With a shared cache (Redis): how long one instance answers a cached query from its own memory instead of asking the
    /// shared cache. Default zero: every hit of a cached query asks the shared cache (a read and an invalidation check), so a
    /// write of the object in another instance shows at once. Above zero, hits cost no round trip, but another instance's
    /// write may show only when the entry expires; a write in this instance always shows at once.
    /// </summary>
    public TimeSpan QueryLocalDuration { get; set; } = TimeSpan.Zero;

    /// <summary>The first part of every key and tag, so that several applications can share one Redis. Default <c>atomsf</c>.</summary>
    public string KeyPrefix { get; set; } = "atomsf";
}
