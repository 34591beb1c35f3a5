using System.Globalization;
using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Json;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Auth;

/// <summary>Calls the OAuth token endpoint at the configured login URL.</summary>
internal sealed class SalesforceOAuthClient(
    IHttpClientFactory httpClientFactory,
    SalesforceRefitApis apis,
    IOptionsMonitor<SalesforceOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Trades the refresh token for a new access token (<c>grant_type=refresh_token</c>). Keeps the old refresh token unless
    /// Salesforce rotated it. An OAuth error becomes a <see cref="SalesforceAuthenticationException"/>; a transport failure or
    /// a 5xx a transient <see cref="SalesforceException"/>.
    /// </summary>
    public async Task<SalesforceToken> RefreshAsync(string userId, SalesforceToken current, CancellationToken cancellationToken)
    {
        if (current.RefreshToken is null)
        {
            throw new SalesforceAuthenticationException(
                userId, "no_refresh_token", $"The Salesforce session of user '{userId}' expired and its token has no refresh token; the user must connect again.");
        }

        var settings = options.CurrentValue;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = current.RefreshToken,
            ["client_id"] = settings.ClientId,
        };
        if (!string.IsNullOrEmpty(settings.ClientSecret))
        {
            form["client_secret"] = settings.ClientSecret;
        }

        using var http = httpClientFactory.CreateClient(SalesforceHttp.OAuthClientName);
        http.BaseAddress = settings.LoginUrl;
        var api = apis.CreateOAuth(http);

        HttpResponseMessage response;
        try
        {
            response = await api.Token(form, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SalesforceException($"Could not reach the Salesforce token endpoint: {e.Message}", e, isTransient: true);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ToException(userId, response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
            }

            OAuthTokenResponse? token;
            try
            {
                token = JsonSerializer.Deserialize(body, SalesforceJsonContext.Default.OAuthTokenResponse);
            }
            catch (JsonException e)
            {
                throw new SalesforceException("The Salesforce token endpoint returned a body that is not a token response.", e);
            }

            if (string.IsNullOrEmpty(token?.AccessToken))
            {
                throw new SalesforceException("The Salesforce token endpoint returned no access token.");
            }

            return current with
            {
                AccessToken = token.AccessToken,
                RefreshToken = token.RefreshToken ?? current.RefreshToken,
                InstanceUrl = Uri.TryCreate(token.InstanceUrl, UriKind.Absolute, out var instance) ? instance : current.InstanceUrl,
                IssuedAt = ParseIssuedAt(token.IssuedAt) ?? timeProvider.GetUtcNow(),
                Scope = token.Scope ?? current.Scope,
                IdentityUrl = Uri.TryCreate(token.Id, UriKind.Absolute, out var identity) ? identity : current.IdentityUrl,
            };
        }
    }

    private static SalesforceException ToException(string userId, HttpStatusCode status, string body, string? mediaType)
    {
        var errors = ErrorResponseMapper.ParseErrors(body, mediaType, status);
        var error = errors[0];
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests)
        {
            return new SalesforceApiException(status, errors);
        }

        return new SalesforceAuthenticationException(
            userId, error.ErrorCode, $"Salesforce refused to refresh the token of user '{userId}': {error.ErrorCode}: {error.Message}");
    }

    /// <summary><c>issued_at</c> is a string of epoch milliseconds.</summary>
    internal static DateTimeOffset? ParseIssuedAt(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
