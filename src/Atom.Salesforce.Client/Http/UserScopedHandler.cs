namespace Atom.Salesforce.Client.Http;

/// <summary>
/// The outermost handler of one <see cref="SalesforceClient"/>: stamps the client's user on each request and sends it through
/// the app's current REST pipeline (<see cref="ApiPipeline"/>, asked per request, so that a long-lived client still follows
/// the container's handler rotation and DNS changes; the invoker over it is kept until another pipeline is handed out). Reads <c>Sforce-Limit-Info</c> from every response and counts the call
/// with the usage recorder (once per call: retries and a token refresh happen further in).
/// </summary>
internal sealed class UserScopedHandler(ApiPipeline pipeline, SalesforceConnection connection) : HttpMessageHandler
{
    // The invoker over the factory's current handler for this client's pipeline: a new one only when the factory rotates it.
    private PipelineInvoker? _invoker;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request is SalesforceRequest sdkRequest)
        {
            sdkRequest.UserId = connection.UserId;
            sdkRequest.Username = connection.Username;
        }
        else
        {
            request.Options.Set(SalesforceHttp.UserIdOption, connection.UserId);
            if (connection.Username is { } username)
            {
                request.Options.Set(SalesforceHttp.UsernameOption, username);
            }
        }

        var invoker = Invoker();
        var sent = request.Content?.Headers.ContentLength ?? 0;
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ArgumentException
            && !(e is Errors.SalesforceException
            {
                ErrorCode: Models.SalesforceError.Codes.CircuitOpen or Models.SalesforceError.Codes.ApiBudgetExhausted
                    or Models.SalesforceError.Codes.QueueTimeout or Models.SalesforceError.Codes.ApiBudgetUnavailable,
            }))
        {
            // An ArgumentException is a request refused before it was sent (a URL off the user's instance), an open circuit
            // breaker or the API governance one refused before it left: no API call.
            connection.UsageRecorder.Record(connection.UserId, sent, failed: true);
            throw;
        }

        connection.UsageRecorder.Record(
            connection.UserId, sent + (response.Content.Headers.ContentLength ?? 0), failed: !response.IsSuccessStatusCode);
        if (SforceLimitInfo.TryRead(response, out var usage))
        {
            connection.RecordApiUsage(response.RequestMessage?.RequestUri?.Host ?? string.Empty, usage);
        }

        return response;
    }

    /// <summary>
    /// An invoker over the pipeline's current handler. The container's factory hands out the same handler until it rotates
    /// it, so the invoker is made again only then.
    /// </summary>
    private HttpMessageInvoker Invoker()
    {
        var handler = pipeline.Current();
        var cached = Volatile.Read(ref _invoker);
        if (cached is not null && ReferenceEquals(cached.Handler, handler))
        {
            return cached.Invoker;
        }

        var fresh = new PipelineInvoker(handler, new HttpMessageInvoker(handler, disposeHandler: false));
        Volatile.Write(ref _invoker, fresh);
        return fresh.Invoker;
    }

    private sealed record PipelineInvoker(HttpMessageHandler Handler, HttpMessageInvoker Invoker);
}
