namespace Atom.Salesforce.Client.AspNetCore.Envelope;

/// <summary>
/// A failure the pack reports itself (validation, identity, a stage that cannot be reached): becomes the error envelope
/// with this category (<see cref="SalesforceEndpointErrors"/>), status and code. The message is shown to the caller, so it
/// never holds a token or a secret.
/// </summary>
internal sealed class EndpointError : Exception
{
    public EndpointError(string error, int statusCode, string errorCode, string message)
        : base(message)
    {
        Error = error;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The envelope's <c>error</c>, one of <see cref="SalesforceEndpointErrors"/>.</summary>
    public string Error { get; }

    public int StatusCode { get; }

    public string ErrorCode { get; }

    /// <summary>400 <c>validation_error</c>: the pack refuses the request before Salesforce is asked to do it.</summary>
    public static EndpointError Validation(string errorCode, string message) => new(SalesforceEndpointErrors.ValidationError, 400, errorCode, message);

    /// <summary>401 <c>unauthorized</c>: nobody is signed in.</summary>
    public static EndpointError NotAuthenticated(string message) => new(SalesforceEndpointErrors.Unauthorized, 401, EndpointErrorCodes.NotAuthenticated, message);

    /// <summary>403 <c>forbidden</c>: the request names another user than the signed-in one.</summary>
    public static EndpointError UserMismatch(string message) => new(SalesforceEndpointErrors.Forbidden, 403, EndpointErrorCodes.UserMismatch, message);
}

/// <summary>The error codes the pack itself reports; Salesforce's own codes (MALFORMED_QUERY, INVALID_FIELD, ...) pass through.</summary>
internal static class EndpointErrorCodes
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string MalformedJson = "MALFORMED_JSON";
    public const string BodyTooLarge = "REQUEST_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimited = "TOO_MANY_REQUESTS";
    public const string MissingField = "REQUIRED_FIELD_MISSING";
    public const string InvalidField = "INVALID_FIELD";
    public const string InvalidId = "INVALID_ID";
    public const string InvalidLimit = "INVALID_LIMIT";
    public const string InvalidDateRange = "INVALID_DATE_RANGE";
    public const string MalformedQuery = "MALFORMED_QUERY";
    public const string NotAuthenticated = "NOT_AUTHENTICATED";
    public const string UserMismatch = "USER_MISMATCH";
    public const string LoginRequired = "LOGIN_REQUIRED";
    public const string UnknownStage = "UNKNOWN_STAGE";
    public const string ClosedStage = "CLOSED_STAGE";
    public const string OpportunityClosed = "OPPORTUNITY_CLOSED";
    public const string NoNextStage = "NO_NEXT_STAGE";
    public const string LeadAlreadyConverted = "LEAD_ALREADY_CONVERTED";
    public const string InvalidState = "INVALID_STATE";
    public const string RouteNotFound = "ROUTE_NOT_FOUND";
    public const string SalesforceUnavailable = "SALESFORCE_UNAVAILABLE";
    public const string SalesforceError = "SALESFORCE_ERROR";
    public const string InternalError = "INTERNAL_ERROR";
    public const string InvalidUrl = "INVALID_URL";
    public const string InvalidType = "INVALID_TYPE";
    public const string TargetNotAllowed = "TARGET_NOT_ALLOWED";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string WebhooksNotEnabled = "WEBHOOKS_NOT_ENABLED";
    public const string WebhookNotFound = "WEBHOOK_NOT_FOUND";
}
