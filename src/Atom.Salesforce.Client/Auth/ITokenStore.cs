namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Where each user's <see cref="SalesforceToken"/> is kept. The SDK reads it for every request, so implementations should
/// answer <see cref="GetAsync"/> quickly (from memory where they can).
/// </summary>
public interface ITokenStore
{
    /// <summary>The user's token, or null when none is stored.</summary>
    Task<SalesforceToken?> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces) the user's token.</summary>
    Task SaveAsync(string userId, SalesforceToken token, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's token. Returns false when none was stored.</summary>
    Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a token that Salesforce refused. If the stored token still has the access token of <paramref name="expired"/>,
    /// calls <paramref name="refresh"/> with it, stores what it returns and returns that. If the stored token has moved on
    /// (someone else refreshed it), returns the stored token without calling <paramref name="refresh"/>. Calls for one user are
    /// serialised, across processes where the store is shared, so that one refresh serves everyone and a rotated refresh
    /// token is never overwritten by a stale one. When <paramref name="refresh"/> throws, nothing is stored. When no token is
    /// stored, or the token is deleted while <paramref name="refresh"/> runs, throws a <c>SalesforceAuthenticationException</c>
    /// with <c>no_token</c>: a deleted token is never brought back.
    /// </summary>
    Task<SalesforceToken> RefreshAsync(
        string userId,
        SalesforceToken expired,
        Func<SalesforceToken, CancellationToken, Task<SalesforceToken>> refresh,
        CancellationToken cancellationToken = default);
}
