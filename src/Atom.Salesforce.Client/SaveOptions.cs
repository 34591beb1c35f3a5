using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client;

/// <summary>How <see cref="SObjectsClient.SaveAsync{T}(string, SaveOperation, IEnumerable{T}, SaveOptions?, CancellationToken)"/> saves rows.</summary>
public sealed class SaveOptions
{
    /// <summary>
    /// The default <see cref="BulkThreshold"/>, 2,000 rows: Salesforce recommends Bulk API 2.0 above 2,000 records and
    /// bulkified REST calls (sObject Collections) below; what the SDK measured of the two routes is in the remarks of
    /// <see cref="BulkThreshold"/>.
    /// </summary>
    /// <remarks>
    /// Salesforce's words: "Any data operation that includes more than 2,000 records is a good candidate for Bulk API 2.0 ...
    /// Jobs with fewer than 2,000 records should involve 'bulkified' synchronous calls in REST (for example, Composite) or
    /// SOAP" (Salesforce Developer Limits and Allocations Quick Reference, "Bulk API and Bulk API 2.0 Limits and Allocations").
    /// </remarks>
    public const int DefaultBulkThreshold = 2000;

    /// <summary>The external id field an upsert matches on. Required for <see cref="SaveOperation.Upsert"/>.</summary>
    public string? ExternalIdField { get; set; }

    /// <summary>Above this many rows the save runs as Bulk API 2.0 jobs; at or below it, as sObject Collections calls of 200. Default 2,000.</summary>
    /// <remarks>
    /// <para>
    /// The two routes' costs, measured (benchmarks/README.md, "Choosing the save route"): sObject Collections cost
    /// ceil(N / 200) API calls; a Bulk API 2.0 job costs 7 whatever N is when it is done by its first poll (create, upload,
    /// close, one poll, three result files) and one more per later poll (<see cref="Bulk.BulkJobOptions.PollInterval"/>).
    /// Below 1,400 rows collections therefore take fewer calls than any job; from 2,000 rows a job saves at least 3 calls
    /// (10 against 7) and 43 at 10,000 rows (50 against 7). In wall time a job is one request at a time (upload, processing,
    /// poll, results) where collections keep four requests in flight, so on the emulator a job took longer than collections
    /// at every size measured (1,000 to 10,000 rows), and on a real org a job also waits in Salesforce's queue. Raise the
    /// threshold when latency matters more than API calls; lower it (not below 1,400) when calls are scarce.
    /// </para>
    /// </remarks>
    public int BulkThreshold { get; set; } = DefaultBulkThreshold;

    /// <summary>Options for the collections route (allOrNone per 200 rows, concurrency); defaults when null.</summary>
    public Composite.CollectionOptions? Collections { get; set; }

    /// <summary>
    /// Options for the Bulk route (polling, timeout, upload size, <see cref="Bulk.BulkJobOptions.Progress"/>); defaults when null.
    /// Its external id field is taken from <see cref="ExternalIdField"/>.
    /// </summary>
    public Bulk.BulkIngestOptions? Bulk { get; set; }

    /// <summary>
    /// The priority of the save's calls when API governance is registered (<c>AddApiGovernance()</c>): null (the default) leaves it to
    /// the enclosing <see cref="Governance.RequestPriorityScope"/>, else interactive on the single-record and collections routes and background on the Bulk API 2.0 route.
    /// </summary>
    public Governance.RequestPriority? Priority { get; set; }

    internal static SaveOptions Default { get; } = new();
}
