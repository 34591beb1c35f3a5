using System.Net;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Auth;

/// <summary>The <see cref="ISalesforceOAuth"/> registered by <c>AddAtomSalesforce</c>.</summary>
internal sealed class SalesforceOAuthService(
    SalesforceOAuthClient oauth,
    TokenRefresher tokens,
    ITokenStore store,
    SalesforceTelemetry telemetry,
    IOptionsMonitor<SalesforceOptions> options,
    ILogger<SalesforceOAuthService> logger) : ISalesforceOAuth
{
    public SalesforceAuthorizationRequest CreateAuthorizationRequest(Uri redirectUri, string? scope = null)
    {
        CheckRedirectUri(redirectUri);
        if (scope is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        }

        var settings = options.CurrentValue;
        var verifier = Pkce.CreateCodeVerifier();
        var state = Pkce.CreateState();
        var query = new StringBuilder()
            .Append("response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(settings.ClientId))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(redirectUri.OriginalString))
            .Append("&code_challenge=").Append(Pkce.CodeChallenge(verifier))
            .Append("&code_challenge_method=S256")
            .Append("&state=").Append(state);
        if (scope is not null)
        {
            query.Append("&scope=").Append(Uri.EscapeDataString(scope));
        }

        var url = new Uri(SalesforceOAuthClient.Endpoint(settings.LoginUrl, "authorize") + "?" + query, UriKind.Absolute);
        return new SalesforceAuthorizationRequest(url, state, verifier, redirectUri);
    }

    public Task<SalesforceToken> ExchangeCodeAsync(
        string userId, string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        if (!Pkce.IsValidCodeVerifier(codeVerifier))
        {
            throw new ArgumentException("The code verifier must be 43 to 128 letters, digits, '-', '.', '_' or '~' (RFC 7636).", nameof(codeVerifier));
        }

        CheckRedirectUri(redirectUri);
        return ConnectAsync(
            "SalesforceOAuth.ExchangeCode", userId, ct => oauth.ExchangeCodeAsync(userId, code, codeVerifier, redirectUri, ct), cancellationToken);
    }

    public Task<SalesforceToken> AuthenticateWithJwtAsync(string userId, string username, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        if (!SalesforceJwtSigner.IsConfigured(options.CurrentValue))
        {
            throw new InvalidOperationException(
                "The JWT bearer flow needs a signing key: set Salesforce:JwtPrivateKeyPem, Salesforce:JwtPrivateKeyPath or SalesforceOptions.JwtCertificate.");
        }

        return ConnectAsync(
            "SalesforceOAuth.AuthenticateWithJwt", userId, ct => oauth.JwtBearerAsync(userId, username, previous: null, ct), cancellationToken);
    }

    public Task<SalesforceToken> AuthenticateWithClientCredentialsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (string.IsNullOrEmpty(options.CurrentValue.ClientSecret))
        {
            throw new InvalidOperationException("The client-credentials flow needs Salesforce:ClientSecret.");
        }

        return ConnectAsync(
            "SalesforceOAuth.AuthenticateWithClientCredentials", userId, ct => oauth.ClientCredentialsAsync(userId, previous: null, ct), cancellationToken);
    }

    public Task RevokeAsync(SalesforceLogin login, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(login.UserId, nameof(login));
        var userId = login.UserId;
        return RunAsync("SalesforceOAuth.Revoke", async ct =>
        {
            IReadOnlyList<SalesforceToken> logins = login.Username is null
                ? await store.GetLoginsAsync(userId, ct).ConfigureAwait(false)
                : await store.GetAsync(login, ct).ConfigureAwait(false) is { } one ? [one] : [];
            foreach (var token in logins)
            {
                var refused = await oauth.RevokeAsync(userId, token.RefreshToken ?? token.AccessToken, ct).ConfigureAwait(false);
                if (refused is not null)
                {
                    Log.RevokedTokenWasInvalid(logger, userId, refused);
                }

                await store.DeleteAsync(new SalesforceLogin(userId, token.Username ?? string.Empty), ct).ConfigureAwait(false);
                Log.TokenRevoked(logger, userId);
            }

            return true;
        }, cancellationToken);
    }

    public Task<SalesforceUserInfo> GetUserInfoAsync(SalesforceLogin login, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(login.UserId, nameof(login));
        var userId = login.UserId;
        return RunAsync("SalesforceOAuth.GetUserInfo", async ct =>
        {
            var token = await tokens.GetTokenAsync(login, ct).ConfigureAwait(false);
            var (status, body, mediaType) = await oauth.UserInfoAsync(token, ct).ConfigureAwait(false);
            if (IsRefusedToken(status, body))
            {
                token = await tokens.RefreshAsync(userId, token, ct).ConfigureAwait(false);
                (status, body, mediaType) = await oauth.UserInfoAsync(token, ct).ConfigureAwait(false);
            }

            if ((int)status is < 200 or > 299)
            {
                throw UserInfoError(userId, status, SalesforceOAuthClient.Redact(body, [token.AccessToken, token.RefreshToken]), mediaType);
            }

            try
            {
                return SalesforceUserInfo.Parse(body);
            }
            catch (JsonException)
            {
                throw new SalesforceException("The Salesforce userinfo endpoint returned a body that is not a JSON object.");
            }
        }, cancellationToken);
    }

    /// <summary>
    /// An expired or revoked access token: 401, or the 403 <c>Bad_OAuth_Token</c> of Salesforce's identity endpoints. Any other
    /// 403 (a missing scope) is not fixed by a new token.
    /// </summary>
    private static bool IsRefusedToken(HttpStatusCode status, string body) =>
        status == HttpStatusCode.Unauthorized
        || (status == HttpStatusCode.Forbidden && body.Contains("Bad_OAuth_Token", StringComparison.OrdinalIgnoreCase));

    private static SalesforceException UserInfoError(string userId, HttpStatusCode status, string body, string? mediaType)
    {
        var error = SalesforceOAuthClient.ParseOAuthError(body, mediaType, status);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new SalesforceAuthenticationException(
                userId, error.ErrorCode, $"Salesforce refused the userinfo of user '{userId}' ({(int)status}): {error.ErrorCode}: {error.Message}")
            {
                ErrorDescription = string.IsNullOrEmpty(error.Message) ? null : error.Message,
            };
        }

        return new SalesforceApiException(status, [error]);
    }

    private static void CheckRedirectUri(Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (!redirectUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The redirect URI must be absolute, exactly as registered on the connected app.", nameof(redirectUri));
        }
    }

    private Task<SalesforceToken> ConnectAsync(
        string operation, string userId, Func<CancellationToken, Task<SalesforceToken>> obtain, CancellationToken cancellationToken) =>
        RunAsync(operation, async ct =>
        {
            var token = await WithIdentityAsync(await obtain(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            await store.SaveAsync(userId, token, ct).ConfigureAwait(false);
            Log.TokenObtained(logger, userId, token.GrantType.ToString());
            return token;
        }, cancellationToken);

    /// <summary>
    /// Adds the Salesforce username (when the flow did not name it) and email from the userinfo endpoint, and the user's
    /// profile id from the User record, so that the stored login says who it is. Best effort: a token without the scope for
    /// userinfo, or whose user may not read its User record, is stored without them.
    /// </summary>
    private async Task<SalesforceToken> WithIdentityAsync(SalesforceToken token, CancellationToken cancellationToken)
    {
        var salesforceUserId = SalesforceUserIdOf(token.IdentityUrl);
        try
        {
            var (status, body, _) = await oauth.UserInfoAsync(token, cancellationToken).ConfigureAwait(false);
            if ((int)status is >= 200 and <= 299)
            {
                var info = SalesforceUserInfo.Parse(body);
                token = token with
                {
                    Username = token.Username ?? info.PreferredUsername,
                    Email = info.Email ?? token.Email,
                };
                salesforceUserId ??= IsRecordId(info.UserId) ? info.UserId : null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The token is good; who it belongs to is a nicety the store can do without.
            Log.UserInfoAtConnectFailed(logger, e.GetType().Name);
        }

        return salesforceUserId is null ? token : await WithProfileAsync(token, salesforceUserId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the <c>ProfileId</c> of the token's user (<c>GET /sobjects/User/{id}?fields=ProfileId</c> with the new token).
    /// Best effort: a refusal, an outage or an unexpected body leaves the token as it is, and nothing of a body is logged.
    /// </summary>
    private async Task<SalesforceToken> WithProfileAsync(SalesforceToken token, string salesforceUserId, CancellationToken cancellationToken)
    {
        try
        {
            var (status, body) = await oauth.UserProfileAsync(token, salesforceUserId, options.CurrentValue.VersionSegment, cancellationToken)
                .ConfigureAwait(false);
            if ((int)status is < 200 or > 299)
            {
                Log.ProfileAtConnectFailed(logger, "HTTP " + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return token;
            }

            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("ProfileId", out var profile)
                && profile.ValueKind == JsonValueKind.String
                && IsRecordId(profile.GetString()))
            {
                return token with { ProfileId = profile.GetString() };
            }

            Log.ProfileAtConnectFailed(logger, "no ProfileId in the User record");
            return token;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ProfileAtConnectFailed(logger, e.GetType().Name);
            return token;
        }
    }

    /// <summary>The user id of an identity URL, <c>https://login.salesforce.com/id/{orgId}/{userId}</c>; null for another shape.</summary>
    private static string? SalesforceUserIdOf(Uri? identityUrl)
    {
        if (identityUrl is null || !identityUrl.IsAbsoluteUri)
        {
            return null;
        }

        var segments = identityUrl.AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 3 && segments[^3] == "id" && IsRecordId(segments[^1]) ? segments[^1] : null;
    }

    /// <summary>A 15- or 18-character Salesforce record id (letters and digits only).</summary>
    private static bool IsRecordId(string? value) =>
        value is { Length: 15 or 18 } && value.All(char.IsAsciiLetterOrDigit);

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var scope = telemetry.StartOperation(operation);
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            scope.Fail(e);
            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }
}
