using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>Every log line of the hosted consumer (event ids 61xx). Messages name topics, keys and counts, never record values or tokens.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(6101, LogLevel.Information, "Became the active subscriber of {Subscription}; resuming after the committed replay id ({HasReplayId}).")]
    public static partial void LeaseAcquired(ILogger logger, string subscription, bool hasReplayId);

    [LoggerMessage(6102, LogLevel.Debug, "Another instance is the active subscriber of {Subscription}; asking again in {Interval}.")]
    public static partial void Standby(ILogger logger, string subscription, TimeSpan interval);

    [LoggerMessage(6103, LogLevel.Warning, "Lost the subscriber lease of {Subscription}; stopped reading. Another instance takes over from the committed replay id.")]
    public static partial void LeaseLost(ILogger logger, string subscription);

    [LoggerMessage(6104, LogLevel.Warning, "Could not ask for the subscriber lease of {Subscription}; asking again in {Interval}.")]
    public static partial void LeaseFailed(ILogger logger, string subscription, TimeSpan interval, Exception exception);

    [LoggerMessage(6105, LogLevel.Warning, "The event stream of {Subscription} failed ({Failures} in a row); subscribing again in {Delay}.")]
    public static partial void StreamFailed(ILogger logger, string subscription, int failures, TimeSpan delay, Exception exception);

    [LoggerMessage(6106, LogLevel.Debug, "The handler of {Subscription} failed attempt {Attempt} of {MaxAttempts}; trying again in {Delay}.")]
    public static partial void HandlerRetrying(ILogger logger, string subscription, int attempt, int maxAttempts, TimeSpan delay, Exception exception);

    [LoggerMessage(6107, LogLevel.Error, "The handler of {Subscription} failed all {Attempts} attempts; the event goes to the dead letter and the stream moves on.")]
    public static partial void DeadLettered(ILogger logger, string subscription, int attempts, Exception exception);

    [LoggerMessage(6108, LogLevel.Error, "The dead letter of {Subscription} failed; trying again in {Delay} (the stream waits for it).")]
    public static partial void DeadLetterFailed(ILogger logger, string subscription, TimeSpan delay, Exception exception);

    [LoggerMessage(6109, LogLevel.Debug, "The event stream of {Subscription} ended; subscribing again in {Delay}.")]
    public static partial void StreamEnded(ILogger logger, string subscription, TimeSpan delay);

    [LoggerMessage(6110, LogLevel.Information, "Gave up the subscriber lease of {Subscription}.")]
    public static partial void LeaseReleased(ILogger logger, string subscription);

    [LoggerMessage(6111, LogLevel.Error, "Salesforce no longer keeps the committed replay id of {Topic}; subscribing from the {Start} event. Events between the two were lost.")]
    public static partial void ReplayIdRejected(ILogger logger, string topic, string start, Exception exception);

    [LoggerMessage(6112, LogLevel.Warning, "A change event of {Entity} could not drop the object's cached queries; they expire on their own.")]
    public static partial void CacheInvalidationFailed(ILogger logger, string entity, Exception exception);
}
