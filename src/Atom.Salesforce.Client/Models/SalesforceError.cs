using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Models;

/// <summary>One error reported by Salesforce: its code, its message and the fields it concerns.</summary>
/// <remarks>
/// Unlike other results, an error can be built with an object initializer, because the public exception constructors
/// (<see cref="Atom.Salesforce.Client.Errors.SalesforceApiException"/>) take errors.
/// </remarks>
public sealed record SalesforceError
{
    /// <summary>The Salesforce code, for example <c>INVALID_FIELD</c> or <c>REQUIRED_FIELD_MISSING</c>.</summary>
    [JsonPropertyName("errorCode")]
    public string ErrorCode { get; init; } = string.Empty;

    /// <summary>The message as Salesforce wrote it.</summary>
    [JsonPropertyName("message")]
    public string Message { get; init; } = string.Empty;

    /// <summary>The fields the error concerns; empty when Salesforce named none.</summary>
    [JsonPropertyName("fields")]
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>The codes of Salesforce errors the SDK treats specially. More codes exist; compare with these constants.</summary>
    public static class Codes
    {
        /// <summary>The session (access token) expired or is invalid.</summary>
        public const string InvalidSessionId = "INVALID_SESSION_ID";
        /// <summary>The org's API request allocation is exhausted.</summary>
        public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";
        /// <summary>Another transaction holds a lock on the record; trying again later may succeed.</summary>
        public const string UnableToLockRow = "UNABLE_TO_LOCK_ROW";
        /// <summary>Salesforce is unavailable or overloaded.</summary>
        public const string ServerUnavailable = "SERVER_UNAVAILABLE";
        /// <summary>The SOQL statement could not be parsed.</summary>
        public const string MalformedQuery = "MALFORMED_QUERY";
        /// <summary>A field in the request or the query does not exist.</summary>
        public const string InvalidField = "INVALID_FIELD";
        /// <summary>The resource or record does not exist.</summary>
        public const string NotFound = "NOT_FOUND";
        /// <summary>The record was deleted.</summary>
        public const string EntityIsDeleted = "ENTITY_IS_DELETED";
        /// <summary>The query locator expired or is unknown.</summary>
        public const string InvalidQueryLocator = "INVALID_QUERY_LOCATOR";
        /// <summary>sObject Collections with allOrNone: this record was valid but rolled back because another one failed.</summary>
        public const string AllOrNoneOperationRolledBack = "ALL_OR_NONE_OPERATION_ROLLED_BACK";
        /// <summary>Composite: the subrequest was not run or was rolled back because another one failed.</summary>
        public const string ProcessingHalted = "PROCESSING_HALTED";
        /// <summary>Composite batch with haltOnError: the subrequest was not run because an earlier one failed.</summary>
        public const string BatchProcessingHalted = "BATCH_PROCESSING_HALTED";
        /// <summary>Bulk API 2.0: the row was uploaded but never processed (the job failed or was aborted first).</summary>
        public const string NotProcessed = "NOT_PROCESSED";
        /// <summary>The response body was not a Salesforce error document (for example an HTML error page), or the SDK has no more specific code.</summary>
        public const string UnexpectedResponse = "UNEXPECTED_RESPONSE";
        /// <summary>The SDK's code: Salesforce (or the token store's database) could not be reached, or did not answer in time.</summary>
        public const string ConnectionFailed = "CONNECTION_FAILED";
        /// <summary>The SDK's code: a Bulk API 2.0 job failed after it was created (<see cref="Atom.Salesforce.Client.Errors.BulkJobException"/>).</summary>
        public const string BulkJobFailed = "BULK_JOB_FAILED";
        /// <summary>The SDK's code: a Bulk API 2.0 job did not finish in time (<see cref="Atom.Salesforce.Client.Errors.BulkJobTimeoutException"/>).</summary>
        public const string BulkJobTimedOut = "BULK_JOB_TIMED_OUT";
        /// <summary>The SDK's code: a query stopped part-way (<see cref="Atom.Salesforce.Client.Errors.QueryInterruptedException"/>).</summary>
        public const string QueryInterrupted = "QUERY_INTERRUPTED";
        /// <summary>The SDK's code: a save stopped part-way after some rows may have been written (<see cref="Atom.Salesforce.Client.Errors.SalesforcePartialSaveException"/>).</summary>
        public const string PartialSave = "PARTIAL_SAVE";
        /// <summary>The SDK's code: the token store failed (its database refused or lost the operation).</summary>
        public const string TokenStoreFailed = "TOKEN_STORE_FAILED";
        /// <summary>The SDK's code: a stored token could not be decrypted (the PostgreSQL store's <c>TokenDecryptionException</c>).</summary>
        public const string TokenDecryptionFailed = "TOKEN_DECRYPTION_FAILED";
        /// <summary>
        /// The SDK's code: nothing was sent because the circuit breaker of the org's host is open after transient failures
        /// (see <c>SalesforceResilienceOptions.CircuitBreaker</c>); the exception is transient: try again after the break.
        /// </summary>
        public const string CircuitOpen = "CIRCUIT_OPEN";

        /// <summary>
        /// The SDK's code: nothing was sent because the org's API budget (<c>AddApiGovernance()</c>) keeps what is left of the
        /// daily allocation for others: background calls stop at <c>ApiGovernanceOptions.BackgroundStopThreshold</c>, interactive
        /// calls at the hard reserve (<c>ApiGovernanceOptions.InteractiveReserve</c>). Transient: the allocation is a rolling
        /// 24-hour window; back off and try again later.
        /// </summary>
        public const string ApiBudgetExhausted = "API_BUDGET_EXHAUSTED";

        /// <summary>
        /// The SDK's code: nothing was sent because the call waited <c>ApiGovernanceOptions.QueueTimeout</c> for a free slot of the
        /// org's concurrency caps (<c>AddApiGovernance()</c>) or for its background turn. Transient: try again.
        /// </summary>
        public const string QueueTimeout = "QUEUE_TIMEOUT";

        /// <summary>
        /// The SDK's code: nothing was sent because the shared API budget's store (Redis or PostgreSQL) failed; transient.
        /// </summary>
        public const string ApiBudgetUnavailable = "API_BUDGET_UNAVAILABLE";
    }
}
