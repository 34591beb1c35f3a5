namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Receives an event whose handler kept failing (<see cref="ChangeEventsOptions.MaxAttempts"/> attempts), so that the stream can
/// move on instead of blocking behind it. Register implementations in the container; they are resolved in a scope of their
/// own. When a dead letter itself fails, it is tried again (with the handler's longest retry delay) until it succeeds or the
/// consumer stops: an event is never dropped silently.
/// </summary>
public interface IChangeEventDeadLetter
{
    /// <summary>Keeps (or reports) a poisoned event.</summary>
    Task HandleAsync(ChangeEventDeadLetter deadLetter, CancellationToken cancellationToken = default);
}

/// <summary>An event whose handler failed every attempt.</summary>
public sealed class ChangeEventDeadLetter
{
    internal ChangeEventDeadLetter(SubscriptionKey subscription, ReplayId replayId, object @event, int attempts, Exception exception)
    {
        Subscription = subscription;
        ReplayId = replayId;
        Event = @event;
        Attempts = attempts;
        Exception = exception;
    }

    /// <summary>The org, consumer and topic the event was read from.</summary>
    public SubscriptionKey Subscription { get; }

    /// <summary>The event's replay id.</summary>
    public ReplayId ReplayId { get; }

    /// <summary>
    /// The event as it was read: the Pub/Sub API's <see cref="ReceivedEvent"/> (its schema and Avro payload, so it can be kept
    /// and decoded again even when decoding it was what failed).
    /// </summary>
    public object Event { get; }

    /// <summary>How many times the handler was called.</summary>
    public int Attempts { get; }

    /// <summary>What the last attempt threw.</summary>
    public Exception Exception { get; }
}
