using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>The outcome of a Bulk API 2.0 ingest: the jobs it used and one result per input row, in input order.</summary>
public sealed class BulkIngestResult
{
    internal BulkIngestResult(IReadOnlyList<BulkJobInfo> jobs, IReadOnlyList<SaveResult> results)
    {
        Jobs = jobs;
        Results = results;
    }

    /// <summary>The jobs, in the order their rows were uploaded (one per 100 MB of CSV).</summary>
    public IReadOnlyList<BulkJobInfo> Jobs { get; }

    /// <summary>
    /// One result per input row, in input order (<see cref="SaveResult.Index"/> is the row's position). Rows Salesforce never
    /// processed (the job failed or was aborted first) carry <see cref="Errors.SalesforceError.Codes.NotProcessed"/>.
    /// </summary>
    public IReadOnlyList<SaveResult> Results { get; }

    /// <summary>How many rows were saved.</summary>
    public int SuccessCount => Results.Count(r => r.Success);

    /// <summary>How many rows were not saved.</summary>
    public int FailureCount => Results.Count(r => !r.Success);
}
