namespace Atom.Salesforce.Client.AspNetCore.Envelope;

/// <summary>
/// A request the pack refuses on its own (validation, identity, a stage that cannot be reached): becomes the error envelope
/// with this status, category and code. The message is shown to the caller, so it never holds a token or a secret.
/// </summary>
internal sealed class EndpointError : Exception
{
    public EndpointError(int statusCode, string errorCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public int StatusCode { get; }

    public string ErrorCode { get; }

    public static EndpointError Validation(string errorCode, string message) => new(400, errorCode, message);
}

/// <summary>The error codes the pack itself reports; Salesforce's own codes (MALFORMED_QUERY, INVALID_FIELD, ...) pass through.</summary>
internal static class EndpointErrorCodes
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string MalformedJson = "MALFORMED_JSON";
    public const string BodyTooLarge = "REQUEST_TOO_LARGE";
    public const string MissingField = "REQUIRED_FIELD_MISSING";
    public const string InvalidField = "INVALID_FIELD";
    public const string InvalidId = "INVALID_ID";
    public const string InvalidLimit = "INVALID_LIMIT";
    public const string InvalidDateRange = "INVALID_DATE_RANGE";
    public const string MalformedQuery = "MALFORMED_QUERY";
    public const string NotAuthenticated = "NOT_AUTHENTICATED";
    public const string UserMismatch = "USER_MISMATCH";
    public const string UnknownStage = "UNKNOWN_STAGE";
    public const string ClosedStage = "CLOSED_STAGE";
    public const string OpportunityClosed = "OPPORTUNITY_CLOSED";
    public const string NoNextStage = "NO_NEXT_STAGE";
    public const string LeadAlreadyConverted = "LEAD_ALREADY_CONVERTED";
    public const string InvalidState = "INVALID_STATE";
    public const string SalesforceUnavailable = "SALESFORCE_UNAVAILABLE";
    public const string SalesforceError = "SALESFORCE_ERROR";
    public const string InternalError = "INTERNAL_ERROR";
}
