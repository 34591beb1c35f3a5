using System.Collections.Concurrent;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Keeps tokens in this process's memory: the default store, fit for one instance and for tests. Tokens are lost when the
/// process ends; use the PostgreSQL store when they must survive restarts or be shared by several instances. Refreshes are
/// serialised on a fixed set of lock stripes (memory does not grow with the number of users), and a refresh never brings back
/// a token deleted while it ran.
/// </summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<string, SalesforceToken> _tokens = new(StringComparer.Ordinal);
    private readonly UserStripes _locks = new();

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

        var gate = _locks.For(userId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_tokens.TryGetValue(userId, out var current))
            {
                throw NoToken(userId);
            }

            if (!string.Equals(current.AccessToken, expired.AccessToken, StringComparison.Ordinal))
            {
                return current;
            }

            var fresh = await refresh(current, cancellationToken).ConfigureAwait(false);

            // Store only over the token the refresh started from: a token deleted (or replaced) meanwhile is not brought back.
            if (_tokens.TryUpdate(userId, fresh, current))
            {
                return fresh;
            }

            return _tokens.TryGetValue(userId, out var replaced) ? replaced : throw NoToken(userId);
        }
        finally
        {
            gate.Release();
        }
    }

    private static SalesforceAuthenticationException NoToken(string userId) =>
        new(userId, SalesforceAuthenticationException.Codes.NoToken, $"No Salesforce token is stored for user '{userId}'; the user must connect first.");
}
