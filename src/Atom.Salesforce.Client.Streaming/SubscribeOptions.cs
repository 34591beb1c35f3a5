namespace Atom.Salesforce.Client.Streaming;

/// <summary>How one subscription runs; null properties take <see cref="PubSubOptions"/>' values.</summary>
public sealed class SubscribeOptions
{
    /// <summary>
    /// How many events may be outstanding (requested and not yet consumed), 1 to 100 (Salesforce's maximum per request). The
    /// client requests this many at first and tops up as the caller consumes, so that never more than this are in flight.
    /// </summary>
    public int? BatchSize { get; set; }

    /// <summary>
    /// Called with the latest replay id of the topic whenever Salesforce sends a keepalive (an empty batch, at least every
    /// 270 seconds while no event arrives). Every event before it has been consumed, so a consumer may store it as its
    /// position: a later restart then does not replay from an old position on a quiet topic.
    /// </summary>
    public Func<ReplayId, CancellationToken, ValueTask>? KeepaliveReceived { get; set; }
}
