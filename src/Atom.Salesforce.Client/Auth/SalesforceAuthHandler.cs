using System.Net;
using System.Net.Http.Headers;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Resilience;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Puts the user's bearer token on each attempt and moves the request to the user's instance URL. On 401 it refreshes once
/// (shared with every concurrent request of that user) and replays the request; a second 401 goes back to the caller as an
/// authentication error. Runs inside the retries, so every retry carries the current token.
/// Before the token is put on a request, its instance URL must pass the same rule as a token response's
/// (<see cref="SalesforceHosts"/>): a token the application saved itself through <see cref="ITokenStore.SaveAsync"/>, or a
/// stored row edited since, never sends the bearer token to a host that is not Salesforce's or allowed.
/// With <paramref name="attempts"/> (a pipeline without API governance) it also runs each attempt's circuit breaker and
/// timeout around the send, the replay included (<see cref="AttemptingHandler.SendAttemptAsync"/>, the step
/// <see cref="SalesforceAttemptHandler"/> runs further in otherwise).
/// </summary>
internal sealed class SalesforceAuthHandler(TokenRefresher tokens, IOptionsMonitor<SalesforceOptions> options, SalesforceResilience? attempts = null)
    : AttemptingHandler
{
    // The last instance URL found trustworthy, by reference: a token read from the store's cache is checked once.
    private Uri? _trusted;

    // The last token's Authorization header and the last instance URL's prefix, by reference: a cached token costs neither
    // a new header value nor a new prefix string on each request.
    private BearerHeader? _bearer;
    private InstancePrefix? _prefix;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var connection = SalesforceHttp.ConnectionOf(request) ?? throw NoUser();
        var userId = connection.UserId;
        var token = await tokens.GetCurrentTokenAsync(new SalesforceLogin(userId, connection.Username), cancellationToken).ConfigureAwait(false);
        ThrowIfUntrusted(userId, token);

        // Remember the instance-relative path once: a replay or a retry may meet a different instance URL. The SDK's own
        // requests carry it from the start.
        string? path = (request as SalesforceRequest)?.InstancePath;
        if (path is null && !request.Options.TryGetValue(InstancePathOption, out path))
        {
            path = InstancePath(request.RequestUri!, token.InstanceUrl);
            request.Options.Set(InstancePathOption, path);
        }

        Authorize(request, token, path);
        for (var replay = false; ; replay = true)
        {
            // The attempt's breaker and timeout, when this handler runs them (the same step SalesforceAttemptHandler runs).
            var response = await SendAttemptAsync(attempts, request, cancellationToken).ConfigureAwait(false);
            if (replay || response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            response.Dispose();
            token = await tokens.RefreshAsync(userId, token, cancellationToken).ConfigureAwait(false);
            ThrowIfUntrusted(userId, token);
            Authorize(request, token, path);
        }
    }

    private static InvalidOperationException NoUser() =>
        new("A Salesforce request was sent without a user; send requests through SalesforceClient.");

    /// <summary>
    /// Refuses a token whose instance URL may not receive it (not https on a Salesforce host nor on
    /// <see cref="SalesforceOptions.TrustedInstanceHosts"/>, loopback without a loopback login URL), before anything is sent.
    /// </summary>
    private void ThrowIfUntrusted(string userId, SalesforceToken token)
    {
        var instance = token.InstanceUrl;
        if (ReferenceEquals(instance, Volatile.Read(ref _trusted)))
        {
            return;
        }

        if (SalesforceHosts.Refusal(instance, options.CurrentValue) is { } refusal)
        {
            throw new SalesforceAuthenticationException(
                userId, SalesforceAuthenticationException.Codes.UntrustedInstanceUrl,
                $"The stored Salesforce token of user '{userId}' was not used and nothing was sent: its instance URL was refused: {refusal}. "
                + "Save tokens whose instance_url came from Salesforce, add the host to Salesforce:TrustedInstanceHosts, or connect the user again.");
        }

        Volatile.Write(ref _trusted, instance);
    }

    private static readonly HttpRequestOptionsKey<string> InstancePathOption = new("Atom.Salesforce.InstancePath");

    private void Authorize(HttpRequestMessage request, SalesforceToken token, string path)
    {
        var bearer = Volatile.Read(ref _bearer);
        if (bearer is null || !ReferenceEquals(bearer.AccessToken, token.AccessToken))
        {
            bearer = new BearerHeader(token.AccessToken, new AuthenticationHeaderValue("Bearer", token.AccessToken));
            Volatile.Write(ref _bearer, bearer);
        }

        var prefix = Volatile.Read(ref _prefix);
        if (prefix is null || !ReferenceEquals(prefix.InstanceUrl, token.InstanceUrl))
        {
            prefix = new InstancePrefix(token.InstanceUrl, Prefix(token.InstanceUrl));
            Volatile.Write(ref _prefix, prefix);
        }

        request.Headers.Authorization = bearer.Header;
        request.RequestUri = new Uri(prefix.Prefix + path, UriKind.Absolute);
    }

    /// <summary>An access token and its <c>Authorization</c> value (immutable, so shared by every request that carries it).</summary>
    private sealed record BearerHeader(string AccessToken, AuthenticationHeaderValue Header);

    /// <summary>An instance URL and its scheme, host, port and path base without the trailing slash.</summary>
    private sealed record InstancePrefix(Uri InstanceUrl, string Prefix);

    private static string Prefix(Uri instanceUrl) => instanceUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>
    /// The path and query of a request relative to the instance. Requests the SDK builds sit on
    /// <see cref="SalesforceHttp.PlaceholderBaseAddress"/>; an absolute URL (a raw request) must already be on the token's
    /// instance (scheme, host, port and path base), or it is refused before anything is sent, so the token never leaves it.
    /// </summary>
    internal static string InstancePath(Uri requestUri, Uri instanceUrl)
    {
        var placeholder = SalesforceHttp.PlaceholderBaseAddress;
        if (Uri.Compare(requestUri, placeholder, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return requestUri.PathAndQuery;
        }

        var pathBase = instanceUrl.AbsolutePath.TrimEnd('/');
        var sameServer = Uri.Compare(requestUri, instanceUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
        var path = requestUri.PathAndQuery;
        if (!sameServer || !(pathBase.Length == 0 || path.StartsWith(pathBase + "/", StringComparison.Ordinal)))
        {
            throw CallerArgument.Invalid(
                $"The request URL's host '{requestUri.IdnHost}' is not the user's Salesforce instance; the SDK sends the user's token only to its instance. Use a path relative to the instance instead.",
                "request");
        }

        return path[pathBase.Length..];
    }
}
