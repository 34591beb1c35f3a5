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

    internal string? HeaderValue => BatchSize is { } size ? $"batchSize={size}" : null;

    internal void Validate()
    {
        if (BatchSize is < 200 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Salesforce accepts a query batch size from 200 to 2000.");
        }
    }
}
