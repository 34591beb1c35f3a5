using System.Collections.Concurrent;
using Atom.Salesforce.Emulator.Bulk;
using Atom.Salesforce.Emulator.Query;

namespace Atom.Salesforce.Emulator.BulkV1;

/// <summary>A Bulk API 1.0 job (BULK <c>asynch_api_reference_jobinfo.htm</c>): its settings, state and batches.</summary>
internal sealed class BulkV1Job
{
    public required string Id { get; init; }

    /// <summary>insert, update, upsert, delete, hardDelete, query or queryAll.</summary>
    public required string Operation { get; init; }

    public required string Object { get; init; }

    public string? ExternalIdFieldName { get; init; }

    /// <summary>
    /// CSV, XML, JSON, ZIP_CSV, ZIP_XML or ZIP_JSON: the format of the batches, their results and (for JSON) the job's own
    /// answers.
    /// </summary>
    public required string ContentType { get; init; }

    /// <summary>The batches come as zips holding request.txt (ZIP_CSV, ZIP_XML, ZIP_JSON).</summary>
    public bool IsZip => ContentType.StartsWith("ZIP_", StringComparison.Ordinal);

    /// <summary>CSV, XML or JSON: the format of the records (a zip's request.txt) and of the results.</summary>
    public string DataFormat => IsZip ? ContentType[4..] : ContentType;

    public required string ConcurrencyMode { get; init; }

    public required decimal ApiVersion { get; init; }

    public required string CreatedById { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    public DateTimeOffset SystemModstamp { get; set; }

    /// <summary>Open, Closed, Aborted or Failed.</summary>
    public string State { get; set; } = "Open";

    /// <summary>The chunk size of <c>Sforce-Enable-PKChunking</c>, or null when the job does not chunk.</summary>
    public int? PkChunkSize { get; init; }

    /// <summary>Whether the job was created with a JSON request: its job and batch answers are JSON.</summary>
    public bool JsonApi { get; init; }

    public List<BulkV1Batch> Batches { get; } = [];

    public bool IsQuery => Operation is "query" or "queryAll";
}

/// <summary>A Bulk API 1.0 batch (BULK <c>asynch_api_reference_batchinfo.htm</c>).</summary>
internal sealed class BulkV1Batch
{
    public required string Id { get; init; }

    public required string JobId { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    public DateTimeOffset SystemModstamp { get; set; }

    /// <summary>What a poll reports: Queued when added, then <see cref="FinalState"/>.</summary>
    public string State { get; set; } = "Queued";

    /// <summary>Completed, Failed or NotProcessed, reached once the batch has been reported Queued.</summary>
    public string FinalState { get; set; } = "Completed";

    public string? StateMessage { get; set; }

    /// <summary>The uploaded data, as it came (the <c>/request</c> download).</summary>
    public required byte[] Request { get; init; }

    /// <summary>The records: the upload, or a zip batch's request.txt.</summary>
    public byte[] Data
    {
        get => field ?? Request;
        init;
    }

    public List<IngestRowResult> Results { get; } = [];

    /// <summary>A query batch's result sets, by result id.</summary>
    public List<(string Id, QueryResultSet Result, string[] Columns, string Object)> QueryResults { get; } = [];

    public long ProcessingMilliseconds { get; set; }

    public int Processed => IsQuery ? QueryResults.Sum(r => r.Result.Rows.Length) : Results.Count;

    public int Failed => Results.Count(r => r.Error is not null);

    public bool IsQuery { get; init; }
}

/// <summary>The org's Bulk API 1.0 jobs and the ids of their batches and query results.</summary>
internal sealed class BulkV1Jobs
{
    private long _nextBatch;
    private long _nextResult;

    public ConcurrentDictionary<string, BulkV1Job> Jobs { get; } = new(StringComparer.Ordinal);

    public string NextBatchId() => Data.RecordIds.Create("751", Interlocked.Increment(ref _nextBatch));

    public string NextResultId() => Data.RecordIds.Create("752", Interlocked.Increment(ref _nextResult));
}
