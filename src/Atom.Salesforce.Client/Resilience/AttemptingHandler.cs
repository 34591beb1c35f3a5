using System.Runtime.CompilerServices;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// A handler that sends each attempt through <see cref="SendAttemptAsync"/>: the one place where an attempt's circuit
/// breaker and timeout (<see cref="SalesforceAttempt"/>) wrap the send to the next handler. The auth handler (a pipeline
/// without API governance: every attempt, the replay after a token refresh included) and <see cref="SalesforceAttemptHandler"/>
/// (with governance, further in) both derive from it.
/// </summary>
internal abstract class AttemptingHandler : DelegatingHandler
{
    /// <summary>
    /// Sends one attempt of <paramref name="request"/> (already on its instance URL) to the next handler: refused before
    /// anything is sent when the org host's breaker is open; the attempt timeout as a <see cref="ResilienceTimeoutException"/>;
    /// the outcome counted against the breaker. Null <paramref name="resilience"/>: the send alone (another handler further in
    /// times the attempt).
    /// </summary>
    protected ValueTask<HttpResponseMessage> SendAttemptAsync(SalesforceResilience? resilience, HttpRequestMessage request, CancellationToken cancellationToken) =>
        resilience is null ? new(base.SendAsync(request, cancellationToken)) : SendTimedAsync(resilience, request, cancellationToken);

    // A pooled state machine: awaited once by its caller, it costs no allocation of its own per attempt (issue 22).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> SendTimedAsync(SalesforceResilience resilience, HttpRequestMessage request, CancellationToken cancellationToken)
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
