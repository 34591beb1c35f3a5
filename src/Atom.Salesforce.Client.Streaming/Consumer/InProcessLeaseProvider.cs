using System.Collections.Concurrent;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// The default lease: one holder per key inside this process, never lost. Right for a single instance; several instances of
/// an application each take it and all subscribe (use the PostgreSQL lease there).
/// </summary>
internal sealed class InProcessLeaseProvider : IChangeEventLeaseProvider
{
    private readonly ConcurrentDictionary<(string, string, string), Lease> _held = new();

    public Task<IChangeEventLease?> TryAcquireAsync(SubscriptionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var lease = new Lease(this, key.Tuple);
        return Task.FromResult<IChangeEventLease?>(_held.TryAdd(key.Tuple, lease) ? lease : null);
    }

    private sealed class Lease(InProcessLeaseProvider owner, (string, string, string) key) : IChangeEventLease
    {
        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            owner._held.TryRemove(new KeyValuePair<(string, string, string), Lease>(key, this));
            return ValueTask.CompletedTask;
        }
    }
}
