using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client;

/// <summary>How <see cref="SObjectsClient.SaveAsync{T}(string, SaveOperation, IEnumerable{T}, SaveOptions?, CancellationToken)"/> saves rows.</summary>
public sealed class SaveOptions
{
    /// <summary>The default <see cref="BulkThreshold"/>: Salesforce recommends Bulk API 2.0 above 2,000 records.</summary>
    public const int DefaultBulkThreshold = 2000;

    /// <summary>The external id field an upsert matches on. Required for <see cref="SaveOperation.Upsert"/>.</summary>
    public string? ExternalIdField { get; set; }

    /// <summary>Above this many rows the save runs as Bulk API 2.0 jobs; at or below it, as sObject Collections calls of 200. Default 2,000.</summary>
    public int BulkThreshold { get; set; } = DefaultBulkThreshold;

    /// <summary>Options for the collections route (allOrNone per 200 rows, concurrency); defaults when null.</summary>
    public Composite.CollectionOptions? Collections { get; set; }

    /// <summary>
    /// Options for the Bulk route (polling, timeout, upload size, <see cref="Bulk.BulkJobOptions.Progress"/>); defaults when null.
    /// Its external id field is taken from <see cref="ExternalIdField"/>.
    /// </summary>
    public Bulk.BulkIngestOptions? Bulk { get; set; }

    internal static SaveOptions Default { get; } = new();
}
