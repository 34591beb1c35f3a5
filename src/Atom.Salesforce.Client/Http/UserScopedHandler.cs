using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// The outermost handler of one <see cref="SalesforceClient"/>: stamps the client's user on each request and sends it through
/// the current pooled pipeline of <see cref="IHttpMessageHandlerFactory"/> (asked per request, so that a long-lived client
/// still follows handler rotation and DNS changes). Reads <c>Sforce-Limit-Info</c> from every response and counts the call
/// with the usage recorder (once per call: retries and a token refresh happen further in).
/// </summary>
internal sealed class UserScopedHandler(IHttpMessageHandlerFactory handlerFactory, SalesforceConnection connection) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(SalesforceHttp.UserIdOption, connection.UserId);
        if (connection.Username is { } username)
        {
            request.Options.Set(SalesforceHttp.UsernameOption, username);
        }
        using var invoker = new HttpMessageInvoker(handlerFactory.CreateHandler(connection.ApiClientName), disposeHandler: false);
        var sent = request.Content?.Headers.ContentLength ?? 0;
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ArgumentException
            && !(e is Errors.SalesforceException { ErrorCode: Models.SalesforceError.Codes.CircuitOpen }))
        {
            // An ArgumentException is a request refused before it was sent (a URL off the user's instance), an open circuit
            // breaker one refused before it left: no API call.
            connection.UsageRecorder.Record(connection.UserId, sent, failed: true);
            throw;
        }

        connection.UsageRecorder.Record(
            connection.UserId, sent + (response.Content.Headers.ContentLength ?? 0), failed: !response.IsSuccessStatusCode);
        if (response.Headers.TryGetValues("Sforce-Limit-Info", out var values)
            && ApiUsage.TryParse(string.Join(",", values), out var usage))
        {
            connection.RecordApiUsage(response.RequestMessage?.RequestUri?.Host ?? string.Empty, usage);
        }

        return response;
    }
}
