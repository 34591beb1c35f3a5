namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The resilience of one attempt as a handler of its own (<see cref="SalesforceAttempt"/>), for a pipeline where another
/// handler sits between the auth handler and the attempt: the API governance (a wait in its queue is not an attempt that
/// timed out). Without governance the auth handler runs the attempt itself, one asynchronous layer fewer.
/// </summary>
internal sealed class SalesforceAttemptHandler(SalesforceResilience resilience) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = SalesforceAttempt.Begin(resilience, request, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (attempt.Failed(e) is { } timeout)
        {
            throw timeout;
        }
        finally
        {
            attempt.End();
        }

        attempt.Answered(response);
        return response;
    }
}
