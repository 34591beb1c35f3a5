namespace Atom.Salesforce.Client.Auth;

/// <summary>The OAuth flow a <see cref="SalesforceToken"/> came from; it decides how an expired access token is replaced.</summary>
public enum SalesforceGrantType
{
    /// <summary>Web server flow (authorization code, with PKCE): replaced with the refresh token.</summary>
    AuthorizationCode,

    /// <summary>JWT bearer flow: no refresh token; a new assertion is signed for <see cref="SalesforceToken.Username"/>.</summary>
    JwtBearer,

    /// <summary>Client-credentials flow: no refresh token; the client credentials are exchanged again.</summary>
    ClientCredentials,
}
