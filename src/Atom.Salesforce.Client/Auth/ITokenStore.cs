namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Where each user's Salesforce logins (<see cref="SalesforceToken"/>s) are kept. A user may hold several logins, one per
/// Salesforce username (the documented key is <c>(user_id, username)</c>); a <see cref="SalesforceLogin"/> without username
/// means the user's only login. The SDK reads it for every request, so implementations should answer <see cref="GetAsync"/>
/// quickly (from memory where they can).
/// </summary>
public interface ITokenStore
{
    /// <summary>
    /// The login's token, or null when none is stored. With <see cref="SalesforceLogin.Username"/> null: the user's only
    /// login; a user with several gets a <c>SalesforceAuthenticationException</c> with
    /// <c>SalesforceAuthenticationException.Codes.SeveralLogins</c>.
    /// </summary>
    Task<SalesforceToken?> GetAsync(SalesforceLogin login, CancellationToken cancellationToken = default);

    /// <summary>Every login of the user (an empty list when none), oldest first.</summary>
    Task<IReadOnlyList<SalesforceToken>> GetLoginsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the token as the user's login of <see cref="SalesforceToken.Username"/>: replaces that login, and adds it
    /// beside the user's other logins when it is new. A token without username is the user's login without username; a token
    /// with one also replaces that unnamed login (it was the same connection, whose username was not known).
    /// </summary>
    Task SaveAsync(string userId, SalesforceToken token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the login; with <see cref="SalesforceLogin.Username"/> null, every login of the user. Returns false when none
    /// was stored.
    /// </summary>
    Task<bool> DeleteAsync(SalesforceLogin login, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a token that Salesforce refused, for the login of <paramref name="expired"/> (its user and
    /// <see cref="SalesforceToken.Username"/>). If the stored token still has the access token of <paramref name="expired"/>,
    /// calls <paramref name="refresh"/> with it, stores what it returns and returns that. If the stored token has moved on
    /// (someone else refreshed it), returns the stored token without calling <paramref name="refresh"/>. Calls for one login
    /// are serialised, across processes where the store is shared, so that one refresh serves everyone and a rotated refresh
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
