using System.Diagnostics;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Where the hosted consumer reads events from: the Pub/Sub API client in production, a fake in tests. Reading starts right
/// after <c>afterReplayId</c> (or at the newest / earliest retained event when it is null) and goes on until the token is
/// cancelled or the stream fails; the consumer subscribes again after a failure.
/// </summary>
internal interface IChangeEventSource
{
    /// <summary>The org the source reads from (its id), part of every <see cref="SubscriptionKey"/>.</summary>
    Task<string> GetOrgAsync(ChangeEventsOptions options, string topic, CancellationToken cancellationToken);

    /// <summary>The events of <paramref name="topic"/> after <paramref name="afterReplayId"/>, decoded as <typeparamref name="TEvent"/>.</summary>
    IAsyncEnumerable<SourceEvent<TEvent>> ReadAsync<TEvent>(
        ChangeEventsOptions options, string topic, ReplayId? afterReplayId, CancellationToken cancellationToken);
}

/// <summary>
/// An event, its replay id, and the context of the span that received it (the Subscribe call's; default when the source has
/// none), which the event's process span links to.
/// </summary>
internal readonly record struct SourceEvent<TEvent>(ReplayId ReplayId, TEvent Event, ActivityContext ReceiveContext = default);
