using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Models;

/// <summary>A Bulk API 2.0 job as Salesforce describes it (JobInfo).</summary>
public sealed class BulkJobInfo
{
    /// <summary>The job id, for example <c>7506g00000DhRA2AAN</c>.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary><c>insert</c>, <c>update</c>, <c>upsert</c>, <c>delete</c>, <c>hardDelete</c>, <c>query</c> or <c>queryAll</c>.</summary>
    [JsonPropertyName("operation")]
    public string? Operation { get; init; }

    /// <summary>The sObject type.</summary>
    [JsonPropertyName("object")]
    public string? Object { get; init; }

    /// <summary>The job's state; see <see cref="BulkJobState"/>.</summary>
    [JsonPropertyName("state")]
    public string State { get; init; } = string.Empty;

    /// <summary>The external id field of an upsert job.</summary>
    [JsonPropertyName("externalIdFieldName")]
    public string? ExternalIdFieldName { get; init; }

    /// <summary>The API version that created the job; query results must be read with it.</summary>
    [JsonPropertyName("apiVersion")]
    public decimal ApiVersion { get; init; }

    /// <summary><c>V2Ingest</c> or <c>V2Query</c>.</summary>
    [JsonPropertyName("jobType")]
    public string? JobType { get; init; }

    /// <summary>When the job was created.</summary>
    [JsonPropertyName("createdDate")]
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>Rows processed so far (ingest) or records found (query).</summary>
    [JsonPropertyName("numberRecordsProcessed")]
    public long NumberRecordsProcessed { get; init; }

    /// <summary>Rows that failed so far (ingest).</summary>
    [JsonPropertyName("numberRecordsFailed")]
    public long NumberRecordsFailed { get; init; }

    /// <summary>The column delimiter of the job's CSV: <c>COMMA</c>, <c>BACKQUOTE</c>, <c>CARET</c>, <c>PIPE</c>, <c>SEMICOLON</c> or <c>TAB</c>.</summary>
    [JsonPropertyName("columnDelimiter")]
    public string? ColumnDelimiter { get; init; }

    /// <summary>Why the job failed, when it did.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }

    /// <summary>True once the job reached <see cref="BulkJobState.JobComplete"/>, <see cref="BulkJobState.Failed"/> or <see cref="BulkJobState.Aborted"/>.</summary>
    [JsonIgnore]
    public bool IsFinal => State is BulkJobState.JobComplete or BulkJobState.Failed or BulkJobState.Aborted;
}

/// <summary>The states of a Bulk API 2.0 job.</summary>
public static class BulkJobState
{
    /// <summary>Created; accepting data (ingest).</summary>
    public const string Open = "Open";
    /// <summary>Data uploaded; waiting to be processed.</summary>
    public const string UploadComplete = "UploadComplete";
    /// <summary>Being processed.</summary>
    public const string InProgress = "InProgress";
    /// <summary>Processed; results are available.</summary>
    public const string JobComplete = "JobComplete";
    /// <summary>Failed; see <see cref="BulkJobInfo.ErrorMessage"/>.</summary>
    public const string Failed = "Failed";
    /// <summary>Aborted by a user.</summary>
    public const string Aborted = "Aborted";
}
