using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>The webhooks' logs: event ids 51xx. Endpoint ids and user ids appear; secrets, bodies and field values never do.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Change event {Object} {ChangeType}: {Queued} webhook deliveries queued, {Duplicates} already queued")]
    public static partial void Queued(ILogger logger, string @object, string changeType, int queued, int duplicates);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} of user {UserId} disabled: the owner's Salesforce connection failed ({ErrorCode})")]
    public static partial void OwnerDisconnected(ILogger logger, Guid endpointId, string userId, string errorCode);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Webhook endpoint {EndpointId}: user {UserId} cannot read {Object}; the event is not sent to it")]
    public static partial void ObjectNotReadable(ILogger logger, Guid endpointId, string userId, string @object);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "Webhook {MessageId} delivered to endpoint {EndpointId} ({Status})")]
    public static partial void Delivered(ILogger logger, string messageId, Guid endpointId, int status);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Webhook {MessageId} to endpoint {EndpointId} failed (attempt {Attempt}): {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string messageId, Guid endpointId, int attempt, string reason);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled after {Failures} failed deliveries in a row")]
    public static partial void EndpointDisabled(ILogger logger, Guid endpointId, int failures);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "The webhook delivery worker failed; it tries again in {Delay}")]
    public static partial void WorkerFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} created by user {UserId} for {Objects} objects")]
    public static partial void EndpointCreated(ILogger logger, Guid endpointId, string userId, int objects);
}
