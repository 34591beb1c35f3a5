using System.Globalization;
using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Models;
using Microsoft.Extensions.Options;
using Codes = Atom.Salesforce.Client.Errors.SalesforceAuthenticationException.Codes;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Calls Salesforce's OAuth endpoints: the token endpoint for every grant, revoke, and userinfo. An OAuth error becomes a
/// <see cref="SalesforceAuthenticationException"/>; a transport failure, a 429 or a 5xx a transient
/// <see cref="SalesforceException"/>. No message it builds holds a token, a code, an assertion or the client secret.
/// </summary>
internal sealed class SalesforceOAuthClient(
    Func<HttpClient> createHttpClient,
    SalesforceJwtSigner jwt,
    IOptionsMonitor<SalesforceOptions> options,
    TimeProvider timeProvider)
{
    internal const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>
    /// Replaces an expired token by the means its grant allows: the refresh token for the web server flow, a new assertion
    /// for the JWT bearer flow, the client credentials again for the client-credentials flow.
    /// </summary>
    public Task<SalesforceToken> RenewAsync(string userId, SalesforceToken current, CancellationToken cancellationToken) => current.GrantType switch
    {
        SalesforceGrantType.JwtBearer when string.IsNullOrEmpty(current.Username) => throw new SalesforceAuthenticationException(
            userId, Codes.NoUsername, $"The Salesforce session of user '{userId}' expired and its JWT bearer token names no username to sign a new assertion for; authenticate the user again."),
        SalesforceGrantType.JwtBearer => JwtBearerAsync(userId, current.Username!, current, cancellationToken),
        SalesforceGrantType.ClientCredentials => ClientCredentialsAsync(userId, current, cancellationToken),
        _ => RefreshAsync(userId, current, cancellationToken),
    };

    /// <summary>
    /// Trades the refresh token for a new access token (<c>grant_type=refresh_token</c>). Keeps the old refresh token unless
    /// Salesforce rotated it.
    /// </summary>
    public async Task<SalesforceToken> RefreshAsync(string userId, SalesforceToken current, CancellationToken cancellationToken)
    {
        if (current.RefreshToken is null)
        {
            throw new SalesforceAuthenticationException(
                userId, Codes.NoRefreshToken, $"The Salesforce session of user '{userId}' expired and its token has no refresh token; the user must connect again.");
        }

        var settings = options.CurrentValue;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = current.RefreshToken,
            ["client_id"] = settings.ClientId,
        };
        AddClientSecret(form, settings);
        var response = await PostTokenAsync(userId, "refresh the token", settings, form, cancellationToken).ConfigureAwait(false);
        return ToToken(userId, response, SalesforceGrantType.AuthorizationCode, current.Username, current);
    }

    /// <summary>The web server flow's second step: the authorization code and the PKCE verifier for tokens.</summary>
    public async Task<SalesforceToken> ExchangeCodeAsync(
        string userId, string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = redirectUri.OriginalString,
            ["code_verifier"] = codeVerifier,
        };
        AddClientSecret(form, settings);
        var response = await PostTokenAsync(userId, "exchange the authorization code", settings, form, cancellationToken).ConfigureAwait(false);
        return ToToken(userId, response, SalesforceGrantType.AuthorizationCode, username: null, previous: null);
    }

    /// <summary>The JWT bearer flow: a freshly signed assertion for <paramref name="username"/>. No refresh token comes back.</summary>
    public async Task<SalesforceToken> JwtBearerAsync(
        string userId, string username, SalesforceToken? previous, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = JwtBearerGrant,
            ["assertion"] = jwt.CreateAssertion(username),
        };
        var response = await PostTokenAsync(userId, "issue a token for the JWT assertion", settings, form, cancellationToken).ConfigureAwait(false);
        return ToToken(userId, response, SalesforceGrantType.JwtBearer, username, previous) with { RefreshToken = null };
    }

    /// <summary>The client-credentials flow (My Domain token endpoint only). No refresh token comes back.</summary>
    public async Task<SalesforceToken> ClientCredentialsAsync(string userId, SalesforceToken? previous, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.ClientSecret))
        {
            throw new InvalidOperationException("The client-credentials flow needs Salesforce:ClientSecret.");
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret,
        };
        var response = await PostTokenAsync(userId, "issue a client-credentials token", settings, form, cancellationToken).ConfigureAwait(false);
        return ToToken(userId, response, SalesforceGrantType.ClientCredentials, username: null, previous) with { RefreshToken = null };
    }

    /// <summary>
    /// Revokes <paramref name="token"/> (a refresh token, which also ends its access tokens, or an access token). Returns null
    /// when Salesforce revoked it, or the OAuth error code when Salesforce answered 400: the token was already unusable, which
    /// is what revocation wants.
    /// </summary>
    public async Task<string?> RevokeAsync(string userId, string token, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var form = new Dictionary<string, string> { ["token"] = token };
        using var http = CreateHttpClient(settings.LoginUrl);
        var api = new OAuthApi(RestChannel.Over(http));
        using var response = await SendAsync(() => api.Revoke(form, cancellationToken), "revoke", cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = Redact(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), [token]);
        var error = ParseOAuthError(body, response.Content.Headers.ContentType?.MediaType, response.StatusCode);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return error.ErrorCode;
        }

        throw ToException(userId, "revoke the token", response.StatusCode, error);
    }

    /// <summary>GET userinfo on the token's instance with the access token: the status, the body and its media type.</summary>
    public async Task<(HttpStatusCode Status, string Body, string? MediaType)> UserInfoAsync(SalesforceToken token, CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient(token.InstanceUrl);
        var api = new OAuthApi(RestChannel.Over(http));
        using var response = await SendAsync(() => api.UserInfo("Bearer " + token.AccessToken, cancellationToken), "userinfo", cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// GET the <c>ProfileId</c> of Salesforce user <paramref name="salesforceUserId"/> on the token's instance with the access
    /// token: the status and the body.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> UserProfileAsync(
        SalesforceToken token, string salesforceUserId, string versionSegment, CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient(token.InstanceUrl);
        var api = new OAuthApi(RestChannel.Over(http));
        using var response = await SendAsync(
            () => api.UserProfile(versionSegment, salesforceUserId, "Bearer " + token.AccessToken, cancellationToken), "sObject User", cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, body);
    }

    /// <summary>The URL of an OAuth endpoint under a login URL, keeping its scheme, host, port and any path base.</summary>
    internal static Uri Endpoint(Uri baseUrl, string name) => new(BaseOf(baseUrl) + "/services/oauth2/" + name, UriKind.Absolute);

    private static string BaseOf(Uri url) => url.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private HttpClient CreateHttpClient(Uri baseUrl)
    {
        var http = createHttpClient();
        http.BaseAddress = new Uri(BaseOf(baseUrl), UriKind.Absolute);
        return http;
    }

    private static void AddClientSecret(Dictionary<string, string> form, SalesforceOptions settings)
    {
        if (!string.IsNullOrEmpty(settings.ClientSecret))
        {
            form["client_secret"] = settings.ClientSecret;
        }
    }

    private async Task<OAuthTokenResponse> PostTokenAsync(
        string userId, string action, SalesforceOptions settings, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient(settings.LoginUrl);
        var api = new OAuthApi(RestChannel.Over(http));
        using var response = await SendAsync(() => api.Token(form, cancellationToken), "token", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Salesforce never echoes what it was sent, but a proxy's error page might: strip every secret of the request
            // before any of the body reaches a message.
            var error = ParseOAuthError(Redact(body, form.Values), response.Content.Headers.ContentType?.MediaType, response.StatusCode);
            throw ToException(userId, action, response.StatusCode, error);
        }

        OAuthTokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, AuthJsonContext.Default.OAuthTokenResponse);
        }
        catch (JsonException e)
        {
            // The JSON exception's message may quote the body, which may hold a token: keep only its position.
            throw new SalesforceException($"The Salesforce token endpoint returned a body that is not a token response (at byte {e.BytePositionInLine} of line {e.LineNumber}).");
        }

        if (string.IsNullOrEmpty(token?.AccessToken))
        {
            throw new SalesforceException("The Salesforce token endpoint returned no access token.");
        }

        return token;
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A transport failure or a timeout becomes the SDK's exception; the caller's own cancellation stays as it is.
            var reason = e is OperationCanceledException ? "the call timed out" : e.Message;
            throw new SalesforceException($"Could not reach the Salesforce {endpoint} endpoint: {reason}", e, isTransient: true)
            {
                ErrorCode = SalesforceError.Codes.ConnectionFailed,
            };
        }
    }

    /// <summary>The OAuth error of a body: JSON <c>{"error","error_description"}</c>, the form-encoded variant, or anything else.</summary>
    internal static SalesforceError ParseOAuthError(string body, string? mediaType, HttpStatusCode status)
    {
        var trimmed = body.Trim();
        if (trimmed.StartsWith("error=", StringComparison.Ordinal) || string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            string? code = null;
            var description = string.Empty;
            foreach (var pair in trimmed.Split('&'))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                var name = at < 0 ? pair : pair[..at];
                var value = at < 0 ? string.Empty : Uri.UnescapeDataString(pair[(at + 1)..].Replace('+', ' '));
                if (name == "error")
                {
                    code = value;
                }
                else if (name == "error_description")
                {
                    description = value;
                }
            }

            if (!string.IsNullOrEmpty(code))
            {
                return new SalesforceError { ErrorCode = code, Message = description };
            }
        }

        // Salesforce's identity endpoints answer some errors with a bare code such as Bad_OAuth_Token.
        if (trimmed.Length is > 2 and <= 64 && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && char.IsAsciiLetter(trimmed[0]))
        {
            return new SalesforceError { ErrorCode = trimmed, Message = string.Empty };
        }

        return ErrorResponseMapper.ParseErrors(body, mediaType, status)[0];
    }

    private static SalesforceException ToException(string userId, string action, HttpStatusCode status, SalesforceError error)
    {
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests)
        {
            return new SalesforceApiException(status, [error]);
        }

        var description = string.IsNullOrEmpty(error.Message) ? string.Empty : ": " + error.Message;
        return new SalesforceAuthenticationException(
            userId, error.ErrorCode, $"Salesforce refused to {action} for user '{userId}' ({(int)status}): {error.ErrorCode}{description}")
        {
            ErrorDescription = string.IsNullOrEmpty(error.Message) ? null : error.Message,
        };
    }

    /// <summary>
    /// <paramref name="text"/> with every secret, as sent and URL-encoded (as a form or a query echoes it), replaced by
    /// <c>***</c>.
    /// </summary>
    internal static string Redact(string text, IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret is not { Length: >= 4 })
            {
                continue;
            }

            foreach (var form in new[] { secret, Uri.EscapeDataString(secret), WebUtility.UrlEncode(secret) })
            {
                text = text.Replace(form, "***", StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    private SalesforceToken ToToken(
        string userId, OAuthTokenResponse response, SalesforceGrantType grantType, string? username, SalesforceToken? previous)
    {
        var settings = options.CurrentValue;
        var instance = Uri.TryCreate(response.InstanceUrl, UriKind.Absolute, out var parsed)
            ? parsed
            : previous?.InstanceUrl ?? throw new SalesforceException("The Salesforce token endpoint returned no usable instance_url.");
        if (SalesforceHosts.Refusal(instance, settings) is { } refusal)
        {
            throw Untrusted(userId, $"instance_url of the token response was refused: {refusal}");
        }

        if (previous is not null && !SalesforceHosts.SameHost(instance, previous.InstanceUrl) && !SalesforceHosts.IsTrusted(instance.IdnHost, settings))
        {
            // With My Domain the instance_url stays the same when Salesforce moves an org to another instance; a different
            // host on a renewal is refused unless the application allowed it.
            throw Untrusted(userId,
                $"the token renewal moved the instance from '{SalesforceHosts.Normalize(previous.InstanceUrl.IdnHost)}' to '{SalesforceHosts.Normalize(instance.IdnHost)}'; add the new host to Salesforce:TrustedInstanceHosts or connect the user again");
        }

        Uri? identityUrl = previous?.IdentityUrl;
        if (Uri.TryCreate(response.Id, UriKind.Absolute, out var identity))
        {
            if (SalesforceHosts.Refusal(identity, settings) is { } identityRefusal)
            {
                throw Untrusted(userId, $"the identity URL (id) of the token response was refused: {identityRefusal}");
            }

            identityUrl = identity;
        }

        return new SalesforceToken(response.AccessToken!, instance, ParseIssuedAt(response.IssuedAt) ?? timeProvider.GetUtcNow())
        {
            RefreshToken = response.RefreshToken ?? previous?.RefreshToken,
            Scope = response.Scope ?? previous?.Scope,
            IdentityUrl = identityUrl,
            Username = username ?? previous?.Username,
            Email = previous?.Email,
            ProfileId = previous?.ProfileId,
            GrantType = grantType,
        };
    }

    private static SalesforceAuthenticationException Untrusted(string userId, string reason) =>
        new(userId, Codes.UntrustedInstanceUrl, $"The Salesforce token response for user '{userId}' was not accepted and nothing was stored: {reason}.");

    /// <summary><c>issued_at</c> is a string of epoch milliseconds.</summary>
    internal static DateTimeOffset? ParseIssuedAt(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
