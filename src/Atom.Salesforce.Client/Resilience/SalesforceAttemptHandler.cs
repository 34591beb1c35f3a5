namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The resilience of one attempt as a handler of its own (<see cref="AttemptingHandler.SendAttemptAsync"/>), for a pipeline
/// where another handler sits between the auth handler and the attempt: the API governance (a wait in its queue is not an
/// attempt that timed out). Without governance the auth handler runs the attempt itself, one handler fewer.
/// </summary>
internal sealed class SalesforceAttemptHandler(SalesforceResilience resilience) : AttemptingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await SendAttemptAsync(resilience, request, cancellationToken).ConfigureAwait(false);
}
