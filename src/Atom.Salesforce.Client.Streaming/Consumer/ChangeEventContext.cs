namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>Where an event a handler receives comes from, and which attempt this is.</summary>
/// <remarks>
/// Delivery is at least once: an event whose replay id was not committed yet when its subscriber stopped (crash, failover,
/// lost lease) is delivered again to the next subscriber. Handlers must tolerate seeing an event twice (make the change
/// idempotent, or remember the <see cref="ReplayId"/> of what was done).
/// </remarks>
public sealed class ChangeEventContext
{
    internal ChangeEventContext(SubscriptionKey subscription, ReplayId replayId, int attempt)
    {
        Subscription = subscription;
        ReplayId = replayId;
        Attempt = attempt;
    }

    /// <summary>The org, consumer and topic the event was read from.</summary>
    public SubscriptionKey Subscription { get; }

    /// <summary>The event's replay id (opaque bytes chosen by Salesforce).</summary>
    public ReplayId ReplayId { get; }

    /// <summary>1 for the first call of a handler with this event, 2 for the first retry, and so on.</summary>
    public int Attempt { get; }
}
