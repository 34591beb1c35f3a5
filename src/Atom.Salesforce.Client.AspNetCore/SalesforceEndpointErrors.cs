namespace Atom.Salesforce.Client.AspNetCore;

/// <summary>
/// Every value the error envelope's <c>error</c> takes: <c>{"ok": false, "error", "message", "status_code", "error_code",
/// "service": "salesforce_enhanced"}</c>. <c>error</c> says who refused and what the caller can do; <c>error_code</c> says
/// why, in Salesforce's words where Salesforce answered (<c>MALFORMED_QUERY</c>, <c>INVALID_FIELD</c>, ...) and in the same
/// style where the pack did. This list is the whole vocabulary: the pack emits no other value.
/// </summary>
public static class SalesforceEndpointErrors
{
    /// <summary>
    /// <c>validation_error</c>, status 400 (413 for a body over the size limit, <c>REQUEST_TOO_LARGE</c>; 415 for a body
    /// that is not declared as JSON, <c>text/plain</c> or a form for example, <c>UNSUPPORTED_MEDIA_TYPE</c>): the pack refused
    /// the request itself, and Salesforce was not asked to do the operation. Malformed JSON (<c>MALFORMED_JSON</c>), an
    /// unknown property, a wrong kind of value, a number out of range, text that is not valid UTF-8 or holds a lone surrogate
    /// (<c>INVALID_REQUEST</c>), two spellings of one value that disagree (<c>INVALID_REQUEST</c>), a missing
    /// property (<c>REQUIRED_FIELD_MISSING</c>), a malformed id (<c>INVALID_ID</c>), a limit out of range
    /// (<c>INVALID_LIMIT</c>), a bad date range, such as a relative literal reaching
    /// more than 1,000 years or a date outside 1700-01-01 to 4000-12-31 (<c>INVALID_DATE_RANGE</c>), a <c>query</c> the filter guard refuses
    /// (<c>MALFORMED_QUERY</c>), a field the object's describe lacks or that cannot be written (<c>INVALID_FIELD</c>), a stage
    /// or lead state that rules the operation out (<c>UNKNOWN_STAGE</c>, <c>CLOSED_STAGE</c>, <c>OPPORTUNITY_CLOSED</c>,
    /// <c>NO_NEXT_STAGE</c>, <c>LEAD_ALREADY_CONVERTED</c>), a bad OAuth callback (<c>INVALID_STATE</c>), a webhook target that is not an https URL (<c>INVALID_URL</c>) or
    /// resolves to an address webhooks may not reach (<c>TARGET_NOT_ALLOWED</c>), an object the user cannot read
    /// (<c>INVALID_TYPE</c>), one webhook endpoint too many (<c>LIMIT_EXCEEDED</c>). The checks against
    /// the org's metadata or the record's state read them first; nothing is written.
    /// </summary>
    public const string ValidationError = "validation_error";

    /// <summary>
    /// <c>unauthorized</c>, status 401: nobody is signed in (<c>NOT_AUTHENTICATED</c>), the user has no Salesforce connection
    /// stored, or Salesforce no longer accepts the user's authorization (the refresh was refused, <c>INVALID_SESSION_ID</c>):
    /// sign in or connect to Salesforce again.
    /// </summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>
    /// <c>forbidden</c>, status 403: the body's <c>user_id</c> is not the signed-in user, or the OAuth flow was started by
    /// another user (<c>USER_MISMATCH</c>). Salesforce's own 403 answers are <see cref="ApiError"/>.
    /// </summary>
    public const string Forbidden = "forbidden";

    /// <summary>
    /// <c>not_found</c>, status 404: no such route under the prefix, or the wrong method (<c>ROUTE_NOT_FOUND</c>); the webhook
    /// routes on a host that did not enable them (<c>WEBHOOKS_NOT_ENABLED</c>), or a webhook endpoint the user does not have
    /// (<c>WEBHOOK_NOT_FOUND</c>). A record
    /// Salesforce does not have is <see cref="ApiError"/> with status 404.
    /// </summary>
    public const string NotFound = "not_found";

    /// <summary>
    /// <c>api_error</c>: Salesforce refused the request, with its status passed through (400, 403, 404, ...) and its own
    /// <c>error_code</c> (<c>MALFORMED_QUERY</c>, <c>INVALID_FIELD</c>, <c>REQUIRED_FIELD_MISSING</c>,
    /// <c>INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST</c>, <c>NOT_FOUND</c>, <c>ENTITY_IS_DELETED</c>, an OAuth error such as
    /// <c>invalid_grant</c>, ...) and message; or Salesforce failed (a 5xx other than 503/504) or answered something the pack
    /// cannot use, which is status 502.
    /// </summary>
    public const string ApiError = "api_error";

    /// <summary>
    /// <c>rate_limited</c>, status 429: Salesforce's API limit was reached (<c>REQUEST_LIMIT_EXCEEDED</c>), or the caller sent
    /// more requests than the pack's per-user rate limit allows (<c>TOO_MANY_REQUESTS</c>,
    /// <see cref="SalesforceEndpointOptions.RateLimitEnabled"/>); the <c>Retry-After</c> header says when to try again (always for the
    /// pack's own limit, when Salesforce said so for Salesforce's).
    /// </summary>
    public const string RateLimited = "rate_limited";

    /// <summary>
    /// <c>salesforce_unavailable</c>, status 503: Salesforce could not be reached, timed out or answered 503/504
    /// (<c>SALESFORCE_UNAVAILABLE</c>, <c>SERVER_UNAVAILABLE</c>, ...); try again later.
    /// </summary>
    public const string SalesforceUnavailable = "salesforce_unavailable";

    /// <summary><c>internal_error</c>, status 500: an unexpected failure in the pack (<c>INTERNAL_ERROR</c>); nothing about it is described.</summary>
    public const string InternalError = "internal_error";

    /// <summary>Every value, in the order above.</summary>
    internal static IReadOnlyList<string> All { get; } =
        [ValidationError, Unauthorized, Forbidden, NotFound, ApiError, RateLimited, SalesforceUnavailable, InternalError];
}
