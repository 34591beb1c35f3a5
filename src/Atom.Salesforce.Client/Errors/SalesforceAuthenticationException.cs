namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// The user's Salesforce authorization cannot be used: no token is stored, the refresh token was refused
/// (<c>invalid_grant</c>), or Salesforce still answered 401 after a refresh. The user has to connect again;
/// retrying does not help.
/// </summary>
public sealed class SalesforceAuthenticationException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string userId, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        UserId = userId;
        ErrorCode = errorCode;
    }

    /// <summary>The SDK user id whose authorization failed.</summary>
    public string UserId { get; }

    /// <summary>
    /// What failed: an OAuth error (<c>invalid_grant</c>, <c>invalid_client_id</c>, ...), <c>INVALID_SESSION_ID</c>,
    /// or one of the SDK's own codes <c>no_token</c> and <c>no_refresh_token</c>.
    /// </summary>
    public string ErrorCode { get; }
}
