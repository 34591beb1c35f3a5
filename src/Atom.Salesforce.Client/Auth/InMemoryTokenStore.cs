using System.Collections.Concurrent;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Keeps tokens in this process's memory: the default store, fit for one instance and for tests. Tokens are lost when the
/// process ends; use the PostgreSQL store when they must survive restarts or be shared by several instances.
/// </summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<string, SalesforceToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<SalesforceToken?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Task.FromResult(_tokens.TryGetValue(userId, out var token) ? token : null);
    }

    /// <inheritdoc />
    public Task SaveAsync(string userId, SalesforceToken token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(token);
        _tokens[userId] = token;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Task.FromResult(_tokens.TryRemove(userId, out _));
    }

    /// <inheritdoc />
    public async Task<SalesforceToken> RefreshAsync(
        string userId,
        SalesforceToken expired,
        Func<SalesforceToken, CancellationToken, Task<SalesforceToken>> refresh,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(expired);
        ArgumentNullException.ThrowIfNull(refresh);

        var gate = _locks.GetOrAdd(userId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _tokens.TryGetValue(userId, out var stored) ? stored : expired;
            if (!string.Equals(current.AccessToken, expired.AccessToken, StringComparison.Ordinal))
            {
                return current;
            }

            var fresh = await refresh(current, cancellationToken).ConfigureAwait(false);
            _tokens[userId] = fresh;
            return fresh;
        }
        finally
        {
            gate.Release();
        }
    }
}
