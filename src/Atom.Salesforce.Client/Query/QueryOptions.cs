namespace Atom.Salesforce.Client.Query;

/// <summary>How a SOQL query runs.</summary>
public sealed class QueryOptions
{
    /// <summary>
    /// Include deleted and archived records (Salesforce's <c>queryAll</c> resource; every later page stays on it).
    /// </summary>
    public bool IncludeDeleted { get; init; }

    /// <summary>
    /// The records per page, 200 to 2000 (Salesforce's default is 2000), sent as <c>Sforce-Query-Options: batchSize=N</c>.
    /// Salesforce may return fewer. Null leaves the choice to Salesforce.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Keep this query's result for this long and answer the same query from the cache meanwhile (opt-in; needs caching
    /// registered with <c>AddAtomSalesforce(...).AddCaching()</c>, else it is ignored). The key is the org, the user, the API
    /// version and the exact SOQL text, so a user never sees another user's cached result; a write of the queried object
    /// through this SDK (in any process sharing the cache) drops it. The result is buffered (at most
    /// <see cref="Caching.SalesforceCacheOptions.MaxQueryResultBytes"/>; a larger one streams on uncached), and a cached page's
    /// <see cref="QueryResult{T}.NextRecordsUrl"/> may name a query locator that has expired. Null (the default): not cached.
    /// </summary>
    public TimeSpan? CacheDuration { get; init; }

    /// <summary>
    /// The priority of this query's calls when API governance is registered (<c>AddApiGovernance()</c>): null (the default) leaves it to
    /// the enclosing <see cref="Governance.RequestPriorityScope"/>, else interactive (a user waits for it); set <see cref="Governance.RequestPriority.Background"/> for loads nobody waits on.
    /// </summary>
    public Governance.RequestPriority? Priority { get; init; }

    internal string? HeaderValue => BatchSize is { } size ? $"batchSize={size}" : null;

    internal void Validate()
    {
        if (BatchSize is < 200 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Salesforce accepts a query batch size from 200 to 2000.");
        }

        if (Priority is { } priority && !Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(Priority), priority, "A request priority is Interactive or Background.");
        }

        if (CacheDuration is { } duration && duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CacheDuration), duration, "A query's cache duration must be positive (null: not cached).");
        }
    }
}
