using System.Net;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;

namespace Atom.Salesforce.Client.ApexRest;

/// <summary>
/// Requests the caller builds (<see cref="SalesforceClient.SendAsync"/>, the Apex REST client): where their URL points, and
/// how they go through the user's pipeline (authentication and refresh, retries, usage, telemetry, error mapping) like every
/// other call.
/// </summary>
internal static class RawRequests
{
    /// <summary>
    /// The request URL on the placeholder base that <see cref="SalesforceAuthHandler"/> moves to the user's instance: a path
    /// without a leading slash is relative to the REST API of the client's version (<c>/services/data/vNN.0/</c>), one with a
    /// leading slash to the instance root; an absolute URL stays as it is when it may carry a token (the auth handler then
    /// checks that it is the user's instance) and is refused otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The URL is absolute and not on a host the SDK sends tokens to.</exception>
    public static Uri Resolve(Uri requestUri, SalesforceOptions options, string paramName)
    {
        if (requestUri.IsAbsoluteUri)
        {
            if (SalesforceHosts.Refusal(requestUri, options) is { } refusal)
            {
                throw new ArgumentException(
                    $"The request was refused before it was sent: {refusal}. The SDK sends the user's token only to the user's Salesforce instance; use a path relative to it.",
                    paramName);
            }

            return requestUri;
        }

        var relative = requestUri.OriginalString;
        if (relative.Length == 0 || relative.StartsWith("//", StringComparison.Ordinal) || relative.StartsWith('?') || relative.StartsWith('#'))
        {
            throw new ArgumentException($"'{relative}' is not a path on the Salesforce instance.", paramName);
        }

        var path = relative.StartsWith('/') ? relative : $"/services/data/{options.VersionSegment}/{relative}";
        return new Uri(SalesforceHttp.PlaceholderBaseAddress, path);
    }

    /// <summary>
    /// Sends the request through the user's pipeline and returns the response with its headers read and its body still to
    /// stream. The body is buffered first so that a 401 replay or a retry can send it again. An error status becomes the
    /// SDK's exception (a 304 Not Modified is returned as it is).
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(SalesforceConnection connection, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
#if NET9_0_OR_GREATER
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
            await content.LoadIntoBufferAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
#endif
        }

        var response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotModified)
        {
            await connection.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
