using System.Collections.Concurrent;
using System.Text;

namespace Atom.Salesforce.Emulator.Bulk;

/// <summary>A Bulk API 2.0 ingest job: its settings, state, uploaded CSV and, once processed, its result rows.</summary>
internal sealed class IngestJob
{
    public required string Id { get; init; }

    public required string Object { get; init; }

    public required string Operation { get; init; }

    public string? ExternalIdFieldName { get; init; }

    public required string ColumnDelimiter { get; init; }

    public required string LineEnding { get; init; }

    public required decimal ApiVersion { get; init; }

    public required string CreatedById { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    public DateTimeOffset SystemModstamp { get; set; }

    /// <summary>Open, UploadComplete, InProgress, JobComplete, Failed or Aborted.</summary>
    public string State { get; set; } = "Open";

    public string? ErrorMessage { get; set; }

    public StringBuilder Data { get; } = new();

    public string[] Header { get; set; } = [];

    public List<(string Id, bool Created, string[] Row)> Successful { get; } = [];

    public List<(string? Id, string Error, string[] Row)> Failed { get; } = [];

    public List<string[]> Unprocessed { get; } = [];

    public long ProcessingMilliseconds { get; set; }

    public int Processed => Successful.Count + Failed.Count;

    public bool IsTerminal => State is "JobComplete" or "Failed" or "Aborted";
}

/// <summary>The org's Bulk API 2.0 jobs, by id.</summary>
internal sealed class BulkJobs
{
    private long _next = 1;

    public ConcurrentDictionary<string, IngestJob> Ingest { get; } = new(StringComparer.Ordinal);

    public string NextId() => Data.RecordIds.Create("750", Interlocked.Increment(ref _next));
}
