namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Where one <see cref="SalesforceClient"/>'s requests enter the app's current REST pipeline (<see cref="ApiPipeline"/>, asked
/// per request, so that a long-lived client still follows the container's handler rotation and DNS changes; the invoker over
/// it is kept until another pipeline is handed out). It only tells each request which connection (user, login, usage) it is
/// sent for and passes it on, adding no asynchronous layer: counting the call and reading <c>Sforce-Limit-Info</c> happen
/// once per call in the pipeline's outermost handler (<c>SalesforceResilienceHandler</c>), retries and a token refresh
/// further in.
/// </summary>
/// <remarks>
/// The SDK's own requests (<see cref="SalesforceRequest"/>) come through <see cref="SendAsync(SalesforceRequest, CancellationToken)"/>
/// without an <see cref="HttpClient"/> (no client state machine, no default headers copied: the two headers the client
/// would add are set here as they are). Requests a caller builds come through the connection's <see cref="HttpClient"/>,
/// whose handler this is.
/// </remarks>
internal sealed class UserScopedHandler(ApiPipeline pipeline, SalesforceConnection connection, string userAgent) : HttpMessageHandler
{
    // The invoker over the factory's current handler for this client's pipeline: a new one only when the factory rotates it.
    private PipelineInvoker? _invoker;

    /// <summary>A request a caller built, from the connection's <see cref="HttpClient"/>.</summary>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request is SalesforceRequest sdkRequest)
        {
            sdkRequest.Connection = connection;
        }
        else
        {
            request.Options.Set(SalesforceHttp.ConnectionOption, connection);
            request.Options.Set(Resilience.TimedRequest.UsageOption, connection);
        }

        return Invoker().SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// One of the SDK's own requests: the user agent and <c>Accept: application/json</c> (unless the request asks for
    /// another type) as the connection's <see cref="HttpClient"/> would add them, then the pipeline. Returns as soon as the
    /// response headers are read.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(SalesforceRequest request, CancellationToken cancellationToken)
    {
        request.Connection = connection;
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (!headers.Contains("Accept"))
        {
            headers.TryAddWithoutValidation("Accept", "application/json");
        }

        return Invoker().SendAsync(request, cancellationToken);
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
