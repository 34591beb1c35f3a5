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

    [LoggerMessage(2001, LogLevel.Debug, "Retrying {Method} {Path} (attempt {Attempt}) after {Outcome}; waiting {Delay}.")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(2002, LogLevel.Debug, "Salesforce answered {Method} {Path} with {Status} ({ErrorCode}).")]
    public static partial void ApiError(ILogger logger, string method, string path, int status, string errorCode);
}
