using System.Net;
using System.Net.Http.Headers;
using Atom.Salesforce.Client.Http;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Puts the user's bearer token on each attempt and moves the request to the user's instance URL. On 401 it refreshes once
/// (shared with every concurrent request of that user) and replays the request; a second 401 goes back to the caller as an
/// authentication error. Runs inside the retry pipeline, so every retry carries the current token.
/// </summary>
internal sealed class SalesforceAuthHandler(TokenRefresher tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SalesforceHttp.UserIdOption, out var userId))
        {
            throw new InvalidOperationException("A Salesforce request was sent without a user; send requests through SalesforceClient.");
        }

        // Remember the instance-relative path once: a replay or a retry may meet a different instance URL.
        if (!request.Options.TryGetValue(InstancePathOption, out var path))
        {
            path = request.RequestUri!.PathAndQuery;
            request.Options.Set(InstancePathOption, path);
        }

        var username = request.Options.TryGetValue(SalesforceHttp.UsernameOption, out var named) ? named : null;
        var token = await tokens.GetTokenAsync(new SalesforceLogin(userId, username), cancellationToken).ConfigureAwait(false);
        Authorize(request, token, path);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        var fresh = await tokens.RefreshAsync(userId, token, cancellationToken).ConfigureAwait(false);
        Authorize(request, fresh, path);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static readonly HttpRequestOptionsKey<string> InstancePathOption = new("Atom.Salesforce.InstancePath");

    private static void Authorize(HttpRequestMessage request, SalesforceToken token, string path)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        request.RequestUri = OnInstance(path, token.InstanceUrl);
    }

    /// <summary>The path and query on the token's instance, keeping any path base the instance URL has.</summary>
    internal static Uri OnInstance(string pathAndQuery, Uri instanceUrl)
    {
        var instance = instanceUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(instance + pathAndQuery, UriKind.Absolute);
    }
}
