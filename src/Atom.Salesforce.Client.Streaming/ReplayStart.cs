namespace Atom.Salesforce.Client.Streaming;

/// <summary>Where a subscription starts: <see cref="Latest"/>, <see cref="Earliest"/> or <see cref="ReplayStart.After(ReplayId)"/> a stored replay id.</summary>
public enum ReplayStartKind
{
    /// <summary>Only events published after the subscription starts (Salesforce's <c>LATEST</c>).</summary>
    Latest,

    /// <summary>The oldest event the event bus still keeps, 72 hours back at most (Salesforce's <c>EARLIEST</c>).</summary>
    Earliest,

    /// <summary>The events after a stored replay id (Salesforce's <c>CUSTOM</c> preset).</summary>
    AfterReplayId,
}

/// <summary>Where a subscription starts reading its topic.</summary>
public sealed class ReplayStart
{
    private ReplayStart(ReplayStartKind kind, ReplayId replayId)
    {
        Kind = kind;
        ReplayId = replayId;
    }

    /// <summary>Only new events: those published after the subscription starts.</summary>
    public static ReplayStart Latest { get; } = new(ReplayStartKind.Latest, default);

    /// <summary>Every event the event bus still keeps (72 hours for high-volume events and change events).</summary>
    public static ReplayStart Earliest { get; } = new(ReplayStartKind.Earliest, default);

    /// <summary>The events after <paramref name="replayId"/>, typically the last one processed: nothing is read twice.</summary>
    /// <param name="replayId">A replay id received from this topic and stored.</param>
    /// <exception cref="ArgumentException">The replay id is empty.</exception>
    public static ReplayStart After(ReplayId replayId)
    {
        if (replayId.IsEmpty)
        {
            throw new ArgumentException("An empty replay id names no position; start at ReplayStart.Latest or Earliest instead.", nameof(replayId));
        }

        return new ReplayStart(ReplayStartKind.AfterReplayId, replayId);
    }

    /// <summary>Which of the three starts this is.</summary>
    public ReplayStartKind Kind { get; }

    /// <summary>With <see cref="ReplayStartKind.AfterReplayId"/>, the replay id; empty otherwise.</summary>
    public ReplayId ReplayId { get; }

    /// <summary><c>Latest</c>, <c>Earliest</c> or <c>After(base64)</c>.</summary>
    public override string ToString() => Kind switch
    {
        ReplayStartKind.Latest => "Latest",
        ReplayStartKind.Earliest => "Earliest",
        _ => $"After({ReplayId})",
    };
}
