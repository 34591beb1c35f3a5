using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>Where a Bulk API 2.0 job stands, as reported to an <see cref="IProgress{T}"/> at every poll.</summary>
public sealed record BulkJobProgress
{
    [JsonConstructor]
    internal BulkJobProgress()
    {
    }

    /// <summary>The job id.</summary>
    public string JobId { get; init; } = string.Empty;

    /// <summary>The job's state; see <see cref="BulkJobState"/>.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary>Rows processed (ingest) or records found (query) so far.</summary>
    public long RecordsProcessed { get; init; }

    /// <summary>Rows that failed so far.</summary>
    public long RecordsFailed { get; init; }
}
