using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.AspNetCore.Telemetry;

/// <summary>The endpoint pack's logs: event ids 5xxx. User ids appear; tokens, codes and secrets never do.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Salesforce refused {Route} for user {UserId}: {StatusCode} {ErrorCode}")]
    public static partial void SalesforceRefused(ILogger logger, string route, string userId, int statusCode, string errorCode);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "{Route} failed unexpectedly")]
    public static partial void UnexpectedFailure(ILogger logger, string route, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "{Route}: the body's user_id is not the signed-in user {UserId}; refused")]
    public static partial void UserMismatch(ILogger logger, string route, string userId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "{Route} refused: {StatusCode} {ErrorCode}")]
    public static partial void RequestRefused(ILogger logger, string route, int statusCode, string errorCode);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Analytics read from Salesforce, not the mirror: {Reason}")]
    public static partial void AnalyticsFromSalesforce(ILogger logger, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "{Route}: Salesforce could not be reached for user {UserId} ({ErrorCode})")]
    public static partial void SalesforceUnavailable(ILogger logger, string route, string userId, string errorCode);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Opportunity {OpportunityId} moved from {FromStage} to {ToStage} by user {UserId}")]
    public static partial void StageAdvanced(ILogger logger, string opportunityId, string fromStage, string toStage, string userId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Lead {LeadId} converted by user {UserId}")]
    public static partial void LeadConverted(ILogger logger, string leadId, string userId);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "User {UserId} connected to Salesforce")]
    public static partial void UserConnected(ILogger logger, string userId);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Information, Message = "User {UserId} disconnected from Salesforce")]
    public static partial void UserDisconnected(ILogger logger, string userId);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "OAuth callback refused: {Reason}")]
    public static partial void CallbackRefused(ILogger logger, string reason);
}
