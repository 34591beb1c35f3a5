using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Telemetry;

/// <summary>
/// Every log line the core package writes. Event ids: 1xxx authentication, 2xxx HTTP. Messages name users and
/// status codes, never tokens.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "Salesforce refused the access token of user {UserId}; refreshing it.")]
    public static partial void AccessTokenRefused(ILogger logger, string userId);

    [LoggerMessage(1002, LogLevel.Information, "Refreshed the Salesforce access token of user {UserId} (refresh token rotated: {Rotated}).")]
    public static partial void TokenRefreshed(ILogger logger, string userId, bool rotated);

    [LoggerMessage(1003, LogLevel.Warning, "Salesforce refused to refresh the token of user {UserId} ({ErrorCode}); the user must connect again.")]
    public static partial void TokenInvalidated(ILogger logger, string userId, string errorCode);

    [LoggerMessage(1004, LogLevel.Warning, "Refreshing the Salesforce token of user {UserId} failed and may succeed later.")]
    public static partial void TokenRefreshFailed(ILogger logger, string userId, Exception exception);

    [LoggerMessage(1005, LogLevel.Information, "Connected user {UserId} to Salesforce with the {GrantType} flow.")]
    public static partial void TokenObtained(ILogger logger, string userId, string grantType);

    [LoggerMessage(1006, LogLevel.Information, "Issued a new Salesforce access token for user {UserId} with the {GrantType} flow.")]
    public static partial void TokenReissued(ILogger logger, string userId, string grantType);

    [LoggerMessage(1007, LogLevel.Debug, "The Salesforce token of user {UserId} is older than the configured session timeout; renewing it before use.")]
    public static partial void SessionTimeoutReached(ILogger logger, string userId);

    [LoggerMessage(1008, LogLevel.Information, "Revoked the Salesforce authorization of user {UserId} and removed its token.")]
    public static partial void TokenRevoked(ILogger logger, string userId);

    [LoggerMessage(1009, LogLevel.Debug, "Salesforce did not revoke the token of user {UserId} ({ErrorCode}): it was no longer valid.")]
    public static partial void RevokedTokenWasInvalid(ILogger logger, string userId, string errorCode);

    [LoggerMessage(1010, LogLevel.Debug, "Could not read the userinfo of a new Salesforce token ({Failure}); it is stored without username and email.")]
    public static partial void UserInfoAtConnectFailed(ILogger logger, string failure);

    [LoggerMessage(1011, LogLevel.Debug, "Could not read the profile of a new Salesforce token ({Failure}); it is stored without profile id.")]
    public static partial void ProfileAtConnectFailed(ILogger logger, string failure);

    /// <summary>An attempt of a call that may be retried failed and is retried: worth a line at the default level, never a warning.</summary>
    [LoggerMessage(2001, LogLevel.Information, "Retrying {Method} {Path}: attempt {Attempt} ended with {Outcome}; waiting {Delay}.")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, string outcome, TimeSpan delay);

    /// <summary>The last attempt of a call that may be retried (GET, HEAD, OPTIONS, DELETE): one line per call, at Debug.</summary>
    [LoggerMessage(2006, LogLevel.Debug, "{Method} {Path}: attempt {Attempt} ended with {Outcome} after {DurationMs} ms.")]
    public static partial void Attempt(ILogger logger, string method, string path, int attempt, string outcome, double durationMs);

    [LoggerMessage(2002, LogLevel.Debug, "Salesforce answered {Method} {Path} with {Status} ({ErrorCode}).")]
    public static partial void ApiError(ILogger logger, string method, string path, int status, string errorCode);

    [LoggerMessage(2003, LogLevel.Debug, "Reading a query page failed ({Outcome}); fetching it again from {Locator} (attempt {Attempt}) in {Delay}.")]
    public static partial void QueryPageResumed(ILogger logger, string locator, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(2102, LogLevel.Debug, "Reading the {What} failed after {Bytes} bytes ({Outcome}); fetching it again (attempt {Attempt}) in {Delay}.")]
    public static partial void ResultPageResumed(ILogger logger, string what, long bytes, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(2101, LogLevel.Debug, "Bulk API 2.0 job {JobId} is {State}: {Processed} rows processed, {Failed} failed.")]
    public static partial void BulkJobPolled(ILogger logger, string jobId, string state, long processed, long failed);

    [LoggerMessage(2004, LogLevel.Warning, "The circuit breaker of Salesforce host {Host} (app '{App}') opened after transient failures; calls to it fail at once for {BreakDuration}.")]
    public static partial void CircuitOpened(ILogger logger, string host, string app, TimeSpan breakDuration);

    [LoggerMessage(2005, LogLevel.Information, "The circuit breaker of Salesforce host {Host} (app '{App}') closed; calls go through again.")]
    public static partial void CircuitClosed(ILogger logger, string host, string app);

    [LoggerMessage(2201, LogLevel.Warning, "Cached queries of {SObject} could not be invalidated after a write; they expire on their own.")]
    public static partial void CacheInvalidationFailed(ILogger logger, string sObject, Exception exception);
}
