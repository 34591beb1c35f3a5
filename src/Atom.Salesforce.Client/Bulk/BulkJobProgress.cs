using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>Where a Bulk API 2.0 job stands, as reported to an <see cref="IProgress{T}"/> at every poll.</summary>
/// <param name="JobId">The job id.</param>
/// <param name="State">The job's state; see <see cref="BulkJobState"/>.</param>
/// <param name="RecordsProcessed">Rows processed (ingest) or records found (query) so far.</param>
/// <param name="RecordsFailed">Rows that failed so far.</param>
public sealed record BulkJobProgress(string JobId, string State, long RecordsProcessed, long RecordsFailed);
