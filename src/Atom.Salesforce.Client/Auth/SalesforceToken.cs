namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// One user's Salesforce authorization: the access token, the refresh token when the flow grants one, and the instance the
/// tokens belong to. <see cref="ToString"/> never shows a token.
/// </summary>
public sealed record SalesforceToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="accessToken">The OAuth access token (session id).</param>
    /// <param name="instanceUrl">The org's instance, for example <c>https://acme.my.salesforce.com</c>.</param>
    /// <param name="issuedAt">When Salesforce issued the access token.</param>
    public SalesforceToken(string accessToken, Uri instanceUrl, DateTimeOffset issuedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentNullException.ThrowIfNull(instanceUrl);
        if (!instanceUrl.IsAbsoluteUri || (instanceUrl.Scheme != Uri.UriSchemeHttps && instanceUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The instance URL must be an absolute http or https URL.", nameof(instanceUrl));
        }

        AccessToken = accessToken;
        InstanceUrl = instanceUrl;
        IssuedAt = issuedAt;
    }

    /// <summary>The OAuth access token.</summary>
    public string AccessToken { get; init; }

    /// <summary>The refresh token, when the flow granted one.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The org's instance URL; every REST call for this user goes there.</summary>
    public Uri InstanceUrl { get; init; }

    /// <summary>When the access token was issued.</summary>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The granted scopes, space-separated, as Salesforce returned them.</summary>
    public string? Scope { get; init; }

    /// <summary>The Salesforce username the token belongs to, when known (the JWT bearer flow needs it to mint a new token).</summary>
    public string? Username { get; init; }

    /// <summary>
    /// The Salesforce user's email address, when known: the connect flows of <see cref="ISalesforceOAuth"/> read it (with the
    /// username) from Salesforce's userinfo endpoint.
    /// </summary>
    public string? Email { get; init; }

    /// <summary>
    /// The id (<c>00e…</c>) of the Salesforce user's profile, when known: the connect flows of <see cref="ISalesforceOAuth"/>
    /// read it from the user's <c>ProfileId</c> field, best effort; a renewal keeps it.
    /// </summary>
    public string? ProfileId { get; init; }

    /// <summary>How the token was obtained, which decides how a new one is got when it expires.</summary>
    public SalesforceGrantType GrantType { get; init; } = SalesforceGrantType.AuthorizationCode;

    /// <summary>The identity URL (<c>https://login.salesforce.com/id/{orgId}/{userId}</c>).</summary>
    public Uri? IdentityUrl { get; init; }

    /// <summary>
    /// When the authorization stopped being usable (the refresh token was refused); null while it is usable.
    /// A token with this set is never sent again: the user must connect anew.
    /// </summary>
    public DateTimeOffset? InvalidatedAt { get; init; }

    /// <summary>Why the authorization stopped being usable, for example <c>invalid_grant: expired access/refresh token</c>.</summary>
    public string? InvalidationReason { get; init; }

    /// <summary>True while the token may be used.</summary>
    public bool IsUsable => InvalidatedAt is null;

    /// <summary>Describes the token without its secrets.</summary>
    public override string ToString() =>
        $"SalesforceToken {{ InstanceUrl = {InstanceUrl}, IssuedAt = {IssuedAt:O}, GrantType = {GrantType}, HasRefreshToken = {RefreshToken is not null}, Scope = {Scope}, IsUsable = {IsUsable} }}";
}
