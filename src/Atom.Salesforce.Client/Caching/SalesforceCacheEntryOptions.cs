namespace Atom.Salesforce.Client.Caching;

/// <summary>How one value is kept in a <see cref="SalesforceCache"/>.</summary>
public sealed class SalesforceCacheEntryOptions
{
    /// <summary>How long the value is kept.</summary>
    public required TimeSpan Expiration { get; init; }

    /// <summary>
    /// The tags a write invalidates the value by: <c>{prefix}:{orgId}:obj:{sobject}</c> for a query of that object,
    /// <c>{prefix}:{orgId}:queries</c> for every cached query of the org, <c>{prefix}:{orgId}:describe</c> for describes.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// What the value is, for metrics (<c>salesforce.client.cache.requests</c>' <c>salesforce.cache.kind</c> tag):
    /// <see cref="SalesforceCacheKinds.Describe"/>, <see cref="SalesforceCacheKinds.DescribeGlobal"/>,
    /// <see cref="SalesforceCacheKinds.Limits"/>, <see cref="SalesforceCacheKinds.Query"/> or <see cref="SalesforceCacheKinds.Other"/>.
    /// </summary>
    public string Kind { get; init; } = SalesforceCacheKinds.Other;

    /// <summary>
    /// Where the cache is shared (a distributed second level): how long this process may answer from its own memory without
    /// asking the shared level, which is where another instance's invalidation shows. Zero: always ask the shared level.
    /// Null (the default): <see cref="Expiration"/>. Without a shared level the value is kept in memory for <see cref="Expiration"/>.
    /// </summary>
    public TimeSpan? LocalExpiration { get; init; }

    /// <summary>Keep the value in this process only (for values that cannot be written out, such as a trained model).</summary>
    public bool LocalOnly { get; init; }
}

/// <summary>The kinds of cached values (<see cref="SalesforceCacheEntryOptions.Kind"/>).</summary>
public static class SalesforceCacheKinds
{
    /// <summary>One sObject type's describe.</summary>
    public const string Describe = "describe";

    /// <summary>The list of the org's sObject types.</summary>
    public const string DescribeGlobal = "describe_global";

    /// <summary>The org's limits.</summary>
    public const string Limits = "limits";

    /// <summary>A query's result, opted into per call.</summary>
    public const string Query = "query";

    /// <summary>Anything else (a trained model of the analytics endpoints, for instance).</summary>
    public const string Other = "other";
}
