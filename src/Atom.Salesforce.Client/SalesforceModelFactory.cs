using System.Text.Json;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client;

/// <summary>
/// Builds the SDK's results with any values, so code that uses the client can be tested with fakes or mocks
/// (the results themselves have no public constructor, so that they can gain properties without breaking callers).
/// Every parameter is optional: an omitted value is its type's default, an empty string or an empty collection.
/// </summary>
/// <example>
/// <code>
/// var result = SalesforceModelFactory.SaveResult(index: 0, id: "001000000000001AAA", success: true, created: true);
/// </code>
/// </example>
public static class SalesforceModelFactory
{
    /// <summary>Creates an <see cref="Governance.ApiGovernanceStatus"/> with the given values, for tests and mocks.</summary>
    /// <param name="org">Sets <see cref="Governance.ApiGovernanceStatus.Org"/>.</param>
    /// <param name="used">Sets <see cref="Governance.ApiGovernanceStatus.Used"/>.</param>
    /// <param name="max">Sets <see cref="Governance.ApiGovernanceStatus.Max"/>.</param>
    /// <param name="inFlight">Sets <see cref="Governance.ApiGovernanceStatus.InFlight"/>.</param>
    /// <param name="longRunning">Sets <see cref="Governance.ApiGovernanceStatus.LongRunning"/>.</param>
    /// <param name="queued">Sets <see cref="Governance.ApiGovernanceStatus.Queued"/>.</param>
    /// <param name="throttled">Sets <see cref="Governance.ApiGovernanceStatus.Throttled"/>.</param>
    /// <param name="refused">Sets <see cref="Governance.ApiGovernanceStatus.Refused"/>.</param>
    /// <returns>A new <see cref="Governance.ApiGovernanceStatus"/>.</returns>
    public static Governance.ApiGovernanceStatus ApiGovernanceStatus(
        string? org = null,
        long used = default,
        long max = default,
        int inFlight = default,
        int longRunning = default,
        int queued = default,
        long throttled = default,
        long refused = default) =>
        new(org ?? string.Empty, used, max, inFlight, longRunning, queued, throttled, refused);

    /// <summary>Creates an <see cref="ApiVersionInfo"/> with the given values, for tests and mocks.</summary>
    /// <param name="version">Sets <see cref="ApiVersionInfo.Version"/>.</param>
    /// <param name="label">Sets <see cref="ApiVersionInfo.Label"/>.</param>
    /// <param name="url">Sets <see cref="ApiVersionInfo.Url"/>.</param>
    /// <returns>A new <see cref="ApiVersionInfo"/>.</returns>
    public static ApiVersionInfo ApiVersionInfo(
        string? version = null,
        string? label = null,
        string? url = null) =>
        new()
        {
            Version = version ?? string.Empty,
            Label = label ?? string.Empty,
            Url = url ?? string.Empty,
        };

    /// <summary>Creates a <see cref="BulkIngestJobRows"/> with the given values, for tests and mocks.</summary>
    /// <param name="job">Sets <see cref="BulkIngestJobRows.Job"/>.</param>
    /// <param name="firstRow">Sets <see cref="BulkIngestJobRows.FirstRow"/>.</param>
    /// <param name="rowCount">Sets <see cref="BulkIngestJobRows.RowCount"/>.</param>
    /// <returns>A new <see cref="BulkIngestJobRows"/>.</returns>
    public static BulkIngestJobRows BulkIngestJobRows(
        BulkJobInfo? job = null,
        int firstRow = default,
        int rowCount = default) =>
        new()
        {
            Job = job ?? new BulkJobInfo(),
            FirstRow = firstRow,
            RowCount = rowCount,
        };

    /// <summary>Creates a <see cref="BulkIngestResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="jobs">Sets <see cref="BulkIngestResult.Jobs"/>.</param>
    /// <param name="results">Sets <see cref="BulkIngestResult.Results"/>.</param>
    /// <returns>A new <see cref="BulkIngestResult"/>.</returns>
    public static BulkIngestResult BulkIngestResult(IEnumerable<BulkJobInfo>? jobs = null, IEnumerable<SaveResult>? results = null) =>
        new(jobs?.ToList() ?? [], results?.ToList() ?? []);

    /// <summary>Creates a <see cref="BulkIngestRowResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="id">Sets <see cref="BulkIngestRowResult.Id"/>.</param>
    /// <param name="success">Sets <see cref="BulkIngestRowResult.Success"/>.</param>
    /// <param name="processed">Sets <see cref="BulkIngestRowResult.Processed"/>.</param>
    /// <param name="created">Sets <see cref="BulkIngestRowResult.Created"/>.</param>
    /// <param name="errors">Sets <see cref="BulkIngestRowResult.Errors"/>.</param>
    /// <param name="fields">Sets <see cref="BulkIngestRowResult.Fields"/>.</param>
    /// <returns>A new <see cref="BulkIngestRowResult"/>.</returns>
    public static BulkIngestRowResult BulkIngestRowResult(
        string? id = null,
        bool success = default,
        bool processed = default,
        bool? created = null,
        IEnumerable<SalesforceError>? errors = null,
        IDictionary<string, string>? fields = null) =>
        new()
        {
            Id = id,
            Success = success,
            Processed = processed,
            Created = created,
            Errors = errors?.ToList() ?? [],
            Fields = fields is null
                ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase),
        };

    /// <summary>Creates a <see cref="BulkJobProgress"/> with the given values, for tests and mocks.</summary>
    /// <param name="jobId">Sets <see cref="BulkJobProgress.JobId"/>.</param>
    /// <param name="state">Sets <see cref="BulkJobProgress.State"/>.</param>
    /// <param name="recordsProcessed">Sets <see cref="BulkJobProgress.RecordsProcessed"/>.</param>
    /// <param name="recordsFailed">Sets <see cref="BulkJobProgress.RecordsFailed"/>.</param>
    /// <returns>A new <see cref="BulkJobProgress"/>.</returns>
    public static BulkJobProgress BulkJobProgress(
        string? jobId = null,
        string? state = null,
        long recordsProcessed = default,
        long recordsFailed = default) =>
        new()
        {
            JobId = jobId ?? string.Empty,
            State = state ?? string.Empty,
            RecordsProcessed = recordsProcessed,
            RecordsFailed = recordsFailed,
        };

    /// <summary>Creates a <see cref="CompositeGraphResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="graphId">Sets <see cref="CompositeGraphResult.GraphId"/>.</param>
    /// <param name="isSuccessful">Sets <see cref="CompositeGraphResult.IsSuccessful"/>.</param>
    /// <param name="result">Sets <see cref="CompositeGraphResult.Result"/>.</param>
    /// <returns>A new <see cref="CompositeGraphResult"/>.</returns>
    public static CompositeGraphResult CompositeGraphResult(string? graphId = null, bool isSuccessful = default, CompositeResult? result = null) =>
        new(graphId ?? string.Empty, isSuccessful, result ?? CompositeResult());

    /// <summary>Creates a <see cref="CompositeResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="responses">Sets <see cref="CompositeResult.Responses"/>.</param>
    /// <param name="hasErrors">Sets <see cref="CompositeResult.HasErrors"/>.</param>
    /// <returns>A new <see cref="CompositeResult"/>.</returns>
    public static CompositeResult CompositeResult(IEnumerable<CompositeSubresponse>? responses = null, bool hasErrors = default) =>
        new(responses?.ToList() ?? [], hasErrors);

    /// <summary>Creates a <see cref="CompositeSubresponse"/> with the given values, for tests and mocks.</summary>
    /// <param name="referenceId">Sets <see cref="CompositeSubresponse.ReferenceId"/>.</param>
    /// <param name="statusCode">Sets <see cref="CompositeSubresponse.StatusCode"/>.</param>
    /// <param name="body">Sets <see cref="CompositeSubresponse.Body"/>; <see cref="CompositeSubresponse.Read{T}"/> reads it with the SDK's default JSON options.</param>
    /// <param name="headers">Sets <see cref="CompositeSubresponse.Headers"/> (case-insensitive).</param>
    /// <param name="errors">Sets <see cref="CompositeSubresponse.Errors"/>.</param>
    /// <returns>A new <see cref="CompositeSubresponse"/>.</returns>
    public static CompositeSubresponse CompositeSubresponse(
        string? referenceId = null,
        int statusCode = default,
        JsonElement? body = null,
        IDictionary<string, string>? headers = null,
        IEnumerable<SalesforceError>? errors = null) =>
        new(
            referenceId ?? string.Empty,
            statusCode,
            body,
            headers is null
                ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
            errors?.ToList() ?? [],
            SalesforceSerializer.Default.ReadOptions);

    /// <summary>Creates a <see cref="DeletedRecord"/> with the given values, for tests and mocks.</summary>
    /// <param name="id">Sets <see cref="DeletedRecord.Id"/>.</param>
    /// <param name="deletedDate">Sets <see cref="DeletedRecord.DeletedDate"/>.</param>
    /// <returns>A new <see cref="DeletedRecord"/>.</returns>
    public static DeletedRecord DeletedRecord(string? id = null, DateTimeOffset deletedDate = default) =>
        new()
        {
            Id = id ?? string.Empty,
            DeletedDate = deletedDate,
        };

    /// <summary>Creates a <see cref="SalesforceError"/> with the given values, for tests and mocks.</summary>
    /// <param name="errorCode">Sets <see cref="SalesforceError.ErrorCode"/>.</param>
    /// <param name="message">Sets <see cref="SalesforceError.Message"/>.</param>
    /// <param name="fields">Sets <see cref="SalesforceError.Fields"/>.</param>
    /// <returns>A new <see cref="SalesforceError"/>.</returns>
    public static SalesforceError SalesforceError(
        string? errorCode = null,
        string? message = null,
        IEnumerable<string>? fields = null) =>
        new()
        {
            ErrorCode = errorCode ?? string.Empty,
            Message = message ?? string.Empty,
            Fields = fields?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="SaveResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="index">Sets <see cref="SaveResult.Index"/>.</param>
    /// <param name="id">Sets <see cref="SaveResult.Id"/>.</param>
    /// <param name="success">Sets <see cref="SaveResult.Success"/>.</param>
    /// <param name="created">Sets <see cref="SaveResult.Created"/>.</param>
    /// <param name="errors">Sets <see cref="SaveResult.Errors"/>.</param>
    /// <param name="outcome">Sets <see cref="SaveResult.Outcome"/>; null for the outcome <paramref name="success"/> implies.</param>
    /// <returns>A new <see cref="SaveResult"/>.</returns>
    public static SaveResult SaveResult(
        int index = default,
        string? id = null,
        bool success = default,
        bool? created = null,
        IEnumerable<SalesforceError>? errors = null,
        SaveRowOutcome? outcome = null) =>
        new()
        {
            Index = index,
            Id = id,
            Success = success,
            Created = created,
            Errors = errors?.ToList() ?? [],
            Outcome = outcome ?? (success ? SaveRowOutcome.Saved : SaveRowOutcome.Refused),
        };

    /// <summary>Creates a <see cref="TreeRecord"/> as Salesforce answered it, with its id or its errors, for tests and mocks.</summary>
    /// <param name="sObjectType">Sets <see cref="TreeRecord.SObjectType"/>; <c>Account</c> when null.</param>
    /// <param name="record">Sets <see cref="TreeRecord.Record"/>; an empty record when null.</param>
    /// <param name="referenceId">Sets <see cref="TreeRecord.ReferenceId"/>.</param>
    /// <param name="id">Sets <see cref="TreeRecord.Id"/>.</param>
    /// <param name="errors">Sets <see cref="TreeRecord.Errors"/>.</param>
    /// <returns>A new <see cref="TreeRecord"/>.</returns>
    public static TreeRecord TreeRecord(
        string? sObjectType = null,
        object? record = null,
        string? referenceId = null,
        string? id = null,
        IEnumerable<SalesforceError>? errors = null) =>
        new(sObjectType ?? "Account", record ?? new Dictionary<string, object?>(), referenceId)
        {
            Id = id,
            Errors = errors?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="TreeResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="hasErrors">Sets <see cref="TreeResult.HasErrors"/>.</param>
    /// <param name="records">Sets <see cref="TreeResult.Records"/>; build them with this class's <c>TreeRecord</c> method.</param>
    /// <returns>A new <see cref="TreeResult"/>.</returns>
    public static TreeResult TreeResult(bool hasErrors = default, IEnumerable<TreeRecord>? records = null) =>
        new(hasErrors, records?.ToList() ?? []);

    /// <summary>Creates an <see cref="UpsertResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="id">Sets <see cref="UpsertResult.Id"/>.</param>
    /// <param name="created">Sets <see cref="UpsertResult.Created"/>.</param>
    /// <returns>A new <see cref="UpsertResult"/>.</returns>
    public static UpsertResult UpsertResult(string? id = null, bool created = default) =>
        new()
        {
            Id = id,
            Created = created,
        };
}
