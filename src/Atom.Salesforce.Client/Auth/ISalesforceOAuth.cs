using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Connects users to Salesforce and disconnects them: the web server flow with PKCE, the JWT bearer flow, the
/// client-credentials flow, revocation and userinfo. Every token obtained is saved in the <see cref="ITokenStore"/> under
/// your user id, where <c>ISalesforceClientFactory.ForUser</c> finds it; renewing it later is automatic. Registered by
/// <c>AddAtomSalesforce</c>. OAuth errors throw <see cref="SalesforceAuthenticationException"/> with Salesforce's error code.
/// </summary>
public interface ISalesforceOAuth
{
    /// <summary>
    /// Starts the web server flow: the URL to send the user's browser to, with a fresh PKCE code verifier (S256) and state.
    /// Keep <see cref="SalesforceAuthorizationRequest.State"/> and <see cref="SalesforceAuthorizationRequest.CodeVerifier"/>
    /// for the callback (for example in an encrypted, HTTP-only cookie). Nothing is sent.
    /// </summary>
    /// <param name="redirectUri">Your callback URL, exactly as registered on the connected app.</param>
    /// <param name="scope">Space-separated scopes, for example <c>api refresh_token</c>; the app's defaults when null.</param>
    SalesforceAuthorizationRequest CreateAuthorizationRequest(Uri redirectUri, string? scope = null);

    /// <summary>
    /// Finishes the web server flow: trades the <c>code</c> of the callback for tokens and saves them for
    /// <paramref name="userId"/>. Check the callback's <c>state</c> with <see cref="SalesforceAuthorizationRequest.IsExpectedState"/>
    /// first.
    /// </summary>
    /// <param name="userId">Your application's id for the user.</param>
    /// <param name="code">The <c>code</c> query parameter of the callback.</param>
    /// <param name="codeVerifier">The <see cref="SalesforceAuthorizationRequest.CodeVerifier"/> kept from the request.</param>
    /// <param name="redirectUri">The same redirect URI as in the authorization request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SalesforceToken> ExchangeCodeAsync(
        string userId, string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken = default);

    /// <summary>
    /// The JWT bearer flow: signs an assertion for <paramref name="username"/> with the configured key
    /// (<see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.JwtPrivateKeyPem"/>, <see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.JwtPrivateKeyPath"/> or
    /// <see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.JwtCertificate"/>) and saves the token. There is no refresh token: an expired token is
    /// replaced by signing a new assertion. The user must be pre-authorised on the connected app.
    /// </summary>
    /// <param name="userId">Your application's id for the user.</param>
    /// <param name="username">The Salesforce username, for example <c>integration@acme.com</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SalesforceToken> AuthenticateWithJwtAsync(string userId, string username, CancellationToken cancellationToken = default);

    /// <summary>
    /// The client-credentials flow: the connected app's id and secret for a token of its "Run As" user, saved for
    /// <paramref name="userId"/>. Needs <see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.ClientSecret"/> and a My Domain
    /// <see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.LoginUrl"/>. An expired token is replaced by asking again.
    /// </summary>
    /// <param name="userId">Your application's id for the integration user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SalesforceToken> AuthenticateWithClientCredentialsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Disconnects a login: revokes the refresh token (which ends its access tokens too) or, without one, the access token,
    /// then deletes the stored token. A user id alone (no <see cref="SalesforceLogin.Username"/>) disconnects every login of
    /// the user. A token Salesforce no longer knows counts as revoked; nothing stored is not an error. When Salesforce cannot
    /// be reached the token stays stored, so that revocation can be tried again.
    /// </summary>
    /// <param name="login">The user, and the Salesforce username of one login (null: all of them). A user id converts to it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RevokeAsync(SalesforceLogin login, CancellationToken cancellationToken = default);

    /// <summary>
    /// The OpenID Connect userinfo of the user's token (<c>/services/oauth2/userinfo</c> on the token's instance): who the
    /// user is, in which org, and the org's API URLs. The token is renewed once if Salesforce refuses it.
    /// </summary>
    /// <param name="login">The user's login (a user id converts to it: the user's only login).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SalesforceUserInfo> GetUserInfoAsync(SalesforceLogin login, CancellationToken cancellationToken = default);
}
