using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Models;

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
    /// processed (the job failed or was aborted first) carry <see cref="Models.SalesforceError.Codes.NotProcessed"/>.
    /// </summary>
    public IReadOnlyList<SaveResult> Results { get; }

    /// <summary>How many rows were saved.</summary>
    public int SuccessCount => Results.Count(r => r.Success);

    /// <summary>How many rows were not saved.</summary>
    public int FailureCount => Results.Count(r => !r.Success);
}

/// <summary>
/// The result files of one Bulk API 2.0 ingest job, read by its id (<see cref="BulkClient.GetIngestJobResultsAsync"/>):
/// every row Salesforce saved, refused or left unprocessed, each with the columns it was uploaded with.
/// </summary>
public sealed class BulkIngestJobResult
{
    /// <summary>Creates a result: for tests and mocks.</summary>
    public BulkIngestJobResult(BulkJobInfo job, IReadOnlyList<BulkIngestRowResult> rows)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(rows);
        Job = job;
        Rows = rows;
    }

    /// <summary>The job, in its final state.</summary>
    public BulkJobInfo Job { get; }

    /// <summary>Saved rows (<c>successfulResults</c>), then refused rows (<c>failedResults</c>), then rows never processed
    /// (<c>unprocessedrecords</c>); within each, in Salesforce's order, which need not be upload order.</summary>
    public IReadOnlyList<BulkIngestRowResult> Rows { get; }

    /// <summary>How many rows were saved.</summary>
    public int SuccessCount => Rows.Count(r => r.Success);

    /// <summary>How many rows Salesforce processed and refused.</summary>
    public int FailureCount => Rows.Count(r => r.Processed && !r.Success);

    /// <summary>How many rows Salesforce never processed (the job failed or was aborted first).</summary>
    public int UnprocessedCount => Rows.Count(r => !r.Processed);
}

/// <summary>One row of an ingest job's result files.</summary>
public sealed record BulkIngestRowResult
{
    [JsonConstructor]
    internal BulkIngestRowResult()
    {
    }

    /// <summary>
    /// The record id (<c>sf__Id</c>): of the saved record, or of a refused one when Salesforce reports it; null otherwise.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>True when the row was saved.</summary>
    public bool Success { get; init; }

    /// <summary>False for a row Salesforce never processed (<c>unprocessedrecords</c>).</summary>
    public bool Processed { get; init; }

    /// <summary>
    /// For a saved row of an insert or upsert, whether a record was created (<c>sf__Created</c>); null otherwise.
    /// </summary>
    public bool? Created { get; init; }

    /// <summary>Why the row was refused (<c>sf__Error</c>); empty otherwise.</summary>
    public IReadOnlyList<Models.SalesforceError> Errors { get; init; } = [];

    /// <summary>The row's columns as uploaded, by column name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
