using System.Collections.Concurrent;
using System.Collections.Immutable;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Keeps tokens in this process's memory: the default store, fit for one instance and for tests. Tokens are lost when the
/// process ends; use the PostgreSQL store when they must survive restarts or be shared by several instances. A user may hold
/// several logins (one per Salesforce username). Refreshes are serialised per login on a fixed set of lock stripes (memory
/// does not grow with the number of users), and a refresh never brings back a token deleted while it ran.
/// </summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    /// <summary>Per user, the logins by username ('' for a token without one), in the order they were first stored.</summary>
    private readonly ConcurrentDictionary<string, ImmutableList<SalesforceToken>> _tokens = new(StringComparer.Ordinal);
    private readonly UserStripes _locks = new();

    /// <inheritdoc />
    public Task<SalesforceToken?> GetAsync(SalesforceLogin login, CancellationToken cancellationToken = default)
    {
        login.Validate();
        if (!_tokens.TryGetValue(login.UserId, out var logins))
        {
            return Absent;
        }

        if (login.Username is not null)
        {
            return Found(logins.Find(t => SameLogin(t.Username, login.Username)));
        }

        return logins.Count switch
        {
            0 => Absent,
            1 => Found(logins[0]),
            _ => throw SeveralLogins(login.UserId, logins.Count),
        };
    }

    private static readonly Task<SalesforceToken?> Absent = Task.FromResult<SalesforceToken?>(null);

    /// <summary>One completed task per stored token, made on its first read: the SDK reads the token on every request.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SalesforceToken, Task<SalesforceToken?>> Completed = new();

    private static Task<SalesforceToken?> Found(SalesforceToken? token) =>
        token is null ? Absent : Completed.GetValue(token, static t => Task.FromResult<SalesforceToken?>(t));

    /// <inheritdoc />
    public Task<IReadOnlyList<SalesforceToken>> GetLoginsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Task.FromResult<IReadOnlyList<SalesforceToken>>(_tokens.TryGetValue(userId, out var logins) ? logins : []);
    }

    /// <inheritdoc />
    public Task SaveAsync(string userId, SalesforceToken token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(token);
        _tokens.AddOrUpdate(userId, static (_, t) => [t], static (_, logins, t) => Put(logins, t), token);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(SalesforceLogin login, CancellationToken cancellationToken = default)
    {
        login.Validate();
        if (login.Username is null)
        {
            return Task.FromResult(_tokens.TryRemove(login.UserId, out var all) && all.Count > 0);
        }

        while (_tokens.TryGetValue(login.UserId, out var logins))
        {
            var index = logins.FindIndex(t => SameLogin(t.Username, login.Username));
            if (index < 0)
            {
                return Task.FromResult(false);
            }

            var removed = logins.Count == 1
                ? _tokens.TryRemove(new KeyValuePair<string, ImmutableList<SalesforceToken>>(login.UserId, logins))
                : _tokens.TryUpdate(login.UserId, logins.RemoveAt(index), logins);
            if (removed)
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
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

        var gate = _locks.For(userId + "\n" + expired.Username);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Find(userId, expired.Username) ?? throw NoToken(userId);
            if (!string.Equals(current.AccessToken, expired.AccessToken, StringComparison.Ordinal))
            {
                return current;
            }

            var fresh = await refresh(current, cancellationToken).ConfigureAwait(false);
            if (!SameLogin(fresh.Username, current.Username))
            {
                // The login is its username: a renewal keeps it.
                fresh = fresh with { Username = current.Username };
            }

            // Store only over the token the refresh started from: a token deleted (or replaced) meanwhile is not brought back.
            while (_tokens.TryGetValue(userId, out var logins))
            {
                var index = logins.IndexOf(current);
                if (index < 0)
                {
                    break;
                }

                if (_tokens.TryUpdate(userId, logins.SetItem(index, fresh), logins))
                {
                    return fresh;
                }
            }

            return Find(userId, expired.Username) ?? throw NoToken(userId);
        }
        finally
        {
            gate.Release();
        }
    }

    private SalesforceToken? Find(string userId, string? username) =>
        _tokens.TryGetValue(userId, out var logins) ? logins.Find(t => SameLogin(t.Username, username)) : null;

    private static ImmutableList<SalesforceToken> Put(ImmutableList<SalesforceToken> logins, SalesforceToken token)
    {
        if (!string.IsNullOrEmpty(token.Username))
        {
            // A named login supersedes the user's unnamed one.
            logins = logins.RemoveAll(t => string.IsNullOrEmpty(t.Username));
        }

        var index = logins.FindIndex(t => SameLogin(t.Username, token.Username));
        return index < 0 ? logins.Add(token) : logins.SetItem(index, token);
    }

    /// <summary>Logins are told apart by username; a token without one is the login ''.</summary>
    private static bool SameLogin(string? a, string? b) => string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal);

    private static SalesforceAuthenticationException NoToken(string userId) =>
        new(userId, SalesforceAuthenticationException.Codes.NoToken, $"No Salesforce token is stored for user '{userId}'; the user must connect first.");

    /// <summary>The error of a single-login lookup of a user who has several.</summary>
    internal static SalesforceAuthenticationException SeveralLogins(string userId, int count) =>
        new(userId, SalesforceAuthenticationException.Codes.SeveralLogins,
            $"User '{userId}' has {count} Salesforce logins; say which one to use: pass its Salesforce username (ISalesforceClientFactory.ForUser(userId, username), a SalesforceLogin with Username), or list them with ITokenStore.GetLoginsAsync.");
}
