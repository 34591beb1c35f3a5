using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Atom.Salesforce.Emulator.Auth;

/// <summary>An access token the org issued: whose it is and when it stops working.</summary>
internal sealed record Session(string AccessToken, string UserId, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt);

/// <summary>The org's valid access tokens. The configured token never expires; issued ones expire after the session timeout.</summary>
internal sealed class Sessions(TimeProvider time, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>How long an issued token works (the org's session timeout).</summary>
    public TimeSpan Timeout => timeout;

    public Session AddPermanent(string accessToken, string userId) =>
        _sessions[accessToken] = new Session(accessToken, userId, time.GetUtcNow(), null);

    /// <summary>Issues a new access token for the user: the org id, '!' and random characters, like Salesforce's.</summary>
    public Session Issue(string userId)
    {
        var token = Data.Org.OrganizationId[..15] + "!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '.').Replace('/', '_').TrimEnd('=');
        var now = time.GetUtcNow();
        return _sessions[token] = new Session(token, userId, now, now + timeout);
    }

    /// <summary>The live session for a token, or null when it is unknown, revoked or expired.</summary>
    public Session? Find(string? accessToken)
    {
        if (accessToken is null || !_sessions.TryGetValue(accessToken, out var session))
        {
            return null;
        }

        return session.ExpiresAt is { } expires && time.GetUtcNow() >= expires ? null : session;
    }

    public bool Revoke(string accessToken) => _sessions.TryRemove(accessToken, out _);

    public void RevokeAllOf(string userId)
    {
        foreach (var session in _sessions.Values.Where(s => s.UserId == userId && s.ExpiresAt is not null))
        {
            _sessions.TryRemove(session.AccessToken, out _);
        }
    }
}
