using Atom.Salesforce.Client.Streaming.Consumer;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

/// <summary>A lease the test controls: it can refuse (another instance holds it) and take a held lease away (connection lost).</summary>
internal sealed class TestLeases : IChangeEventLeaseProvider
{
    private Lease? _current;

    /// <summary>While true, every request is refused.</summary>
    public volatile bool HeldElsewhere;

    public int Requests;

    public int Granted;

    public Task<IChangeEventLease?> TryAcquireAsync(SubscriptionKey key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        if (HeldElsewhere || _current is not null)
        {
            return Task.FromResult<IChangeEventLease?>(null);
        }

        Interlocked.Increment(ref Granted);
        _current = new Lease(this);
        return Task.FromResult<IChangeEventLease?>(_current);
    }

    /// <summary>The held lease is lost (as when the lock's connection drops).</summary>
    public void LoseCurrent() => _current?.Lose();

    private sealed class Lease(TestLeases owner) : IChangeEventLease
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public void Lose() => _lost.Cancel();

        public ValueTask DisposeAsync()
        {
            owner._current = null;
            _lost.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
