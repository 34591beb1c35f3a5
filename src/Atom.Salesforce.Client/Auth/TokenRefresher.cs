using System.Collections.Concurrent;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Hands out each user's current token and replaces a refused one. Concurrent requests that meet the same expired token
/// share one refresh (single flight per user in this process; the token store serialises across processes). A refresh
/// token that Salesforce refuses marks the stored token unusable, so later calls fail at once instead of looping.
/// </summary>
internal sealed class TokenRefresher(
    ITokenStore store,
    SalesforceOAuthClient oauth,
    TimeProvider timeProvider,
    ILogger<TokenRefresher> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SalesforceToken>>> _inFlight = new(StringComparer.Ordinal);

    public async Task<SalesforceToken> GetTokenAsync(string userId, CancellationToken cancellationToken)
    {
        var token = await store.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        return Usable(userId, token);
    }

    public async Task<SalesforceToken> RefreshAsync(string userId, SalesforceToken refused, CancellationToken cancellationToken)
    {
        Log.AccessTokenRefused(logger, userId);
        var flight = _inFlight.GetOrAdd(userId, id => new Lazy<Task<SalesforceToken>>(() => RefreshOnceAsync(id, refused)));
        try
        {
            // One caller giving up must not cancel the refresh the others wait for.
            return Usable(userId, await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<SalesforceToken>>>(userId, flight));
        }
    }

    private async Task<SalesforceToken> RefreshOnceAsync(string userId, SalesforceToken refused)
    {
        try
        {
            return await store.RefreshAsync(userId, refused, RefreshOrInvalidateAsync, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SalesforceAuthenticationException)
        {
            Log.TokenRefreshFailed(logger, userId, e);
            throw;
        }

        async Task<SalesforceToken> RefreshOrInvalidateAsync(SalesforceToken current, CancellationToken cancellationToken)
        {
            if (!current.IsUsable)
            {
                // Another caller already learned that the grant is gone.
                return current;
            }

            try
            {
                var fresh = await oauth.RefreshAsync(userId, current, cancellationToken).ConfigureAwait(false);
                Log.TokenRefreshed(logger, userId, !string.Equals(fresh.RefreshToken, current.RefreshToken, StringComparison.Ordinal));
                return fresh;
            }
            catch (SalesforceAuthenticationException e) when (e.ErrorCode is "invalid_grant" or "no_refresh_token")
            {
                // The grant is gone for good: store that, so that nobody tries it again.
                Log.TokenInvalidated(logger, userId, e.ErrorCode);
                return current with { InvalidatedAt = timeProvider.GetUtcNow(), InvalidationReason = e.Message };
            }
        }
    }

    private static SalesforceToken Usable(string userId, SalesforceToken? token)
    {
        if (token is null)
        {
            throw new SalesforceAuthenticationException(
                userId, "no_token", $"No Salesforce token is stored for user '{userId}'; the user must connect first.");
        }

        if (!token.IsUsable)
        {
            throw new SalesforceAuthenticationException(
                userId, "invalid_grant", $"The Salesforce authorization of user '{userId}' is no longer valid ({token.InvalidationReason}); the user must connect again.");
        }

        return token;
    }
}
