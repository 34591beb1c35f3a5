namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Keeps the replay id of the last event a consumer has finished with, per <see cref="SubscriptionKey"/>. The hosted consumer
/// reads it when it (re)subscribes and writes it after each event's handler succeeded (or the event went to the dead letter),
/// so a restarted or failed-over subscriber resumes right after it. The default keeps it in memory (lost when the process
/// stops); <c>UsePostgres()</c> of Atom.Salesforce.Client.Postgres keeps it in PostgreSQL.
/// </summary>
/// <remarks>Replay ids are opaque bytes chosen by Salesforce (<see cref="ReplayId.Bytes"/>): store them as they are.</remarks>
public interface IReplayStore
{
    /// <summary>The stored replay id of <paramref name="key"/>, or null when none was stored yet.</summary>
    Task<ReplayId?> GetAsync(SubscriptionKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="replayId"/> as the last finished event of <paramref name="key"/>, replacing the previous one.</summary>
    Task SaveAsync(SubscriptionKey key, ReplayId replayId, CancellationToken cancellationToken = default);
}
