namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// The user's Salesforce authorization cannot be obtained or used: Salesforce's OAuth endpoints refused a request
/// (<c>invalid_grant</c>, <c>invalid_client_id</c>, <c>redirect_uri_mismatch</c>, ...), no token is stored, the refresh token
/// was refused, or Salesforce still answered 401 after a refresh. Retrying the same call does not help: the user has to
/// connect again, or the connected app's settings need fixing. The message never holds a token, a code, a key or a secret.
/// </summary>
public sealed class SalesforceAuthenticationException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string userId, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        UserId = userId;
        ErrorCode = errorCode;
    }

    /// <summary>The SDK user id whose authorization failed.</summary>
    public string UserId { get; }

    /// <summary>Salesforce's <c>error_description</c>, for example <c>expired access/refresh token</c>, when it gave one.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>The OAuth error codes Salesforce reports, and the SDK's own. More exist; compare with these constants.</summary>
    public static class Codes
    {
        /// <summary>The grant was refused: bad or expired code, refresh token revoked or rotated, JWT user not pre-authorised.</summary>
        public const string InvalidGrant = "invalid_grant";
        /// <summary>The client id is unknown.</summary>
        public const string InvalidClientId = "invalid_client_id";
        /// <summary>The client credentials (consumer secret) are wrong, or the app may not use this flow.</summary>
        public const string InvalidClient = "invalid_client";
        /// <summary>The connected app does not allow this grant type.</summary>
        public const string UnsupportedGrantType = "unsupported_grant_type";
        /// <summary>The redirect URI does not match the connected app's callback URL.</summary>
        public const string RedirectUriMismatch = "redirect_uri_mismatch";
        /// <summary>The request was malformed, for example a missing or wrong PKCE code verifier.</summary>
        public const string InvalidRequest = "invalid_request";
        /// <summary>The requested scope is not allowed.</summary>
        public const string InvalidScope = "invalid_scope";
        /// <summary>The user denied access (reported on the authorize redirect).</summary>
        public const string AccessDenied = "access_denied";
        /// <summary>
        /// The SDK's code: the user has several Salesforce logins and the call did not say which one (pass the Salesforce
        /// username: <c>ForUser(userId, username)</c>, <c>SalesforceLogin</c>). The message lists none of their tokens.
        /// </summary>
        public const string SeveralLogins = "several_logins";
        /// <summary>The SDK's code: no token is stored for the user.</summary>
        public const string NoToken = "no_token";
        /// <summary>The SDK's code: the session expired and the token has no refresh token.</summary>
        public const string NoRefreshToken = "no_refresh_token";
        /// <summary>The SDK's code: a JWT bearer token expired and carries no username to sign a new assertion for.</summary>
        public const string NoUsername = "no_username";
        /// <summary>
        /// The SDK's code: a token response named an <c>instance_url</c> or identity URL the SDK does not send tokens to (not
        /// https on a Salesforce host nor on <c>SalesforceOptions.TrustedInstanceHosts</c>, or a renewal moving the user to
        /// another host). Nothing was stored; the message names the host.
        /// </summary>
        public const string UntrustedInstanceUrl = "untrusted_instance_url";
    }
}
