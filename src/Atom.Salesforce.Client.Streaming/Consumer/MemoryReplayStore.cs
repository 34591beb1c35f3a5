using System.Collections.Concurrent;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>The default replay store: replay ids in memory, lost when the process stops (a restarted consumer starts at the newest event).</summary>
internal sealed class MemoryReplayStore : IReplayStore
{
    private readonly ConcurrentDictionary<(string, string, string), byte[]> _replayIds = new();

    public Task<byte[]?> GetAsync(SubscriptionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Task.FromResult(_replayIds.TryGetValue(key.Tuple, out var id) ? (byte[])id.Clone() : null);
    }

    public Task SaveAsync(SubscriptionKey key, ReadOnlyMemory<byte> replayId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        _replayIds[key.Tuple] = replayId.ToArray();
        return Task.CompletedTask;
    }
}
