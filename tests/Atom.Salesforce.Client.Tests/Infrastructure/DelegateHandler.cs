namespace Atom.Salesforce.Client.Tests.Infrastructure;

/// <summary>A response computed per request, with the request's cancellation token (for slow or hanging servers).</summary>
internal sealed class DelegateHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        respond(request, cancellationToken);
}
