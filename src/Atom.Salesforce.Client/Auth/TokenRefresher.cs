using System.Collections.Concurrent;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Codes = Atom.Salesforce.Client.Errors.SalesforceAuthenticationException.Codes;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Hands out each user's current token and replaces a refused one: with the refresh token (web server flow), or by minting a
/// new one (JWT bearer and client-credentials flows, which have no refresh token). Concurrent requests that meet the same
/// expired token share one renewal (single flight per login in this process; the token store serialises across processes).
/// A grant that Salesforce refuses marks the stored token unusable, so later calls fail at once instead of looping. When
/// <see cref="SalesforceOptions.SessionTimeout"/> is set, a token older than that is renewed before it is used.
/// </summary>
internal sealed class TokenRefresher(
    ITokenStore store,
    SalesforceOAuthClient oauth,
    IOptionsMonitor<SalesforceOptions> options,
    TimeProvider timeProvider,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SalesforceToken>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="GetTokenAsync(SalesforceLogin, CancellationToken)"/> for the auth handler, on every request: when the store answers at once (a cached token) and
    /// the session needs no renewal, the token comes back without a task of its own.
    /// </summary>
    public ValueTask<SalesforceToken> GetCurrentTokenAsync(SalesforceLogin login, CancellationToken cancellationToken)
    {
        var stored = store.GetAsync(login, cancellationToken);
        if (stored.IsCompletedSuccessfully)
        {
            var token = Usable(login.UserId, stored.Result);
            if (!SessionTimedOut(token))
            {
                return new ValueTask<SalesforceToken>(token);
            }
        }

        return new ValueTask<SalesforceToken>(GetTokenAsync(login, stored, cancellationToken));
    }

    public Task<SalesforceToken> GetTokenAsync(SalesforceLogin login, CancellationToken cancellationToken) =>
        GetTokenAsync(login, store.GetAsync(login, cancellationToken), cancellationToken);

    private bool SessionTimedOut(SalesforceToken token) =>
        options.CurrentValue.SessionTimeout is { } timeout && timeProvider.GetUtcNow() >= token.IssuedAt + timeout;

    private async Task<SalesforceToken> GetTokenAsync(SalesforceLogin login, Task<SalesforceToken?> stored, CancellationToken cancellationToken)
    {
        var userId = login.UserId;
        var token = Usable(userId, await stored.ConfigureAwait(false));
        if (SessionTimedOut(token))
        {
            Log.SessionTimeoutReached(logger, userId);
            try
            {
                return await RenewAsync(userId, token, cancellationToken).ConfigureAwait(false);
            }
            catch (SalesforceException e) when (e.IsTransient)
            {
                // The old session may well still be alive (the timeout counts from inactivity); a 401 renews it later.
                return token;
            }
        }

        return token;
    }

    public Task<SalesforceToken> RefreshAsync(string userId, SalesforceToken refused, CancellationToken cancellationToken)
    {
        Log.AccessTokenRefused(logger, userId);
        return RenewAsync(userId, refused, cancellationToken);
    }

    private async Task<SalesforceToken> RenewAsync(string userId, SalesforceToken expired, CancellationToken cancellationToken)
    {
        // One flight per login: the user and the Salesforce username of the refused token.
        var key = userId + "\n" + expired.Username;
        var flight = _inFlight.GetOrAdd(key, _ => new Lazy<Task<SalesforceToken>>(() => RenewOnceAsync(userId, expired)));
        try
        {
            // One caller giving up must not cancel the renewal the others wait for.
            return Usable(userId, await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<SalesforceToken>>>(key, flight));
        }
    }

    private async Task<SalesforceToken> RenewOnceAsync(string userId, SalesforceToken expired)
    {
        try
        {
            return await store.RefreshAsync(userId, expired, RenewOrInvalidateAsync, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SalesforceAuthenticationException)
        {
            Log.TokenRefreshFailed(logger, userId, e);
            throw;
        }

        async Task<SalesforceToken> RenewOrInvalidateAsync(SalesforceToken current, CancellationToken cancellationToken)
        {
            if (!current.IsUsable)
            {
                // Another caller already learned that the grant is gone.
                return current;
            }

            try
            {
                var fresh = await oauth.RenewAsync(userId, current, cancellationToken).ConfigureAwait(false);
                if (current.GrantType == SalesforceGrantType.AuthorizationCode)
                {
                    Log.TokenRefreshed(logger, userId, !string.Equals(fresh.RefreshToken, current.RefreshToken, StringComparison.Ordinal));
                }
                else
                {
                    Log.TokenReissued(logger, userId, current.GrantType.ToString());
                }

                return fresh;
            }
            catch (SalesforceAuthenticationException e) when (e.ErrorCode is Codes.InvalidGrant or Codes.NoRefreshToken or Codes.NoUsername)
            {
                // The grant is gone for good: store that, so that nobody tries it again.
                Log.TokenInvalidated(logger, userId, e.ErrorCode);
                return current with { InvalidatedAt = timeProvider.GetUtcNow(), InvalidationReason = Reason(e) };
            }
        }
    }

    private static string Reason(SalesforceAuthenticationException e) =>
        e.ErrorDescription is null ? e.ErrorCode : $"{e.ErrorCode}: {e.ErrorDescription}";

    private static SalesforceToken Usable(string userId, SalesforceToken? token)
    {
        if (token is null)
        {
            throw new SalesforceAuthenticationException(
                userId, Codes.NoToken, $"No Salesforce token is stored for user '{userId}'; the user must connect first.");
        }

        if (!token.IsUsable)
        {
            throw new SalesforceAuthenticationException(
                userId, Codes.InvalidGrant, $"The Salesforce authorization of user '{userId}' is no longer valid ({token.InvalidationReason}); the user must connect again.");
        }

        return token;
    }
}
