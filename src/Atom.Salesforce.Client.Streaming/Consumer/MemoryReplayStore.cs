using System.Collections.Concurrent;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>The default replay store: replay ids in memory, lost when the process stops (a restarted consumer starts at the newest event).</summary>
internal sealed class MemoryReplayStore : IReplayStore
{
    private readonly ConcurrentDictionary<(string, string, string), ReplayId> _replayIds = new();

    public Task<ReplayId?> GetAsync(SubscriptionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Task.FromResult(_replayIds.TryGetValue(key.Tuple, out var id) ? id : (ReplayId?)null);
    }

    public Task SaveAsync(SubscriptionKey key, ReplayId replayId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (replayId.IsEmpty)
        {
            throw new ArgumentException("A replay id has at least one byte.", nameof(replayId));
        }

        _replayIds[key.Tuple] = replayId;
        return Task.CompletedTask;
    }
}
