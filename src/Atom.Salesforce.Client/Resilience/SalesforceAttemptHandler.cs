namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The resilience of one attempt, inside the auth handler (the request is on the org's instance URL by then, and a replay
/// after a token refresh is an attempt of its own): the circuit breaker of the org host around the attempt timeout
/// (<see cref="SalesforceResilienceOptions.AttemptTimeout"/>, up to the response headers). An open breaker refuses the
/// attempt before anything is sent (<see cref="SalesforceResilience.Rejected"/>); only transient failures count against it
/// (<see cref="SalesforceResiliencePipeline.IsTransientFailure(Exception?, HttpResponseMessage?)"/>).
/// </summary>
internal sealed class SalesforceAttemptHandler(SalesforceResilience resilience) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = resilience.Current;
        var breaker = settings.BreakerFor(request.RequestUri!);
        if (breaker is not null && !breaker.TryEnter())
        {
            throw resilience.Rejected(breaker);
        }

        var attemptTimeout = settings.Options.AttemptTimeout;
        HttpResponseMessage response;
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            attempt.CancelAfter(attemptTimeout);
            try
            {
                response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                if (breaker is not null)
                {
                    resilience.Record(breaker, failed: true);
                }

                throw new ResilienceTimeoutException(attemptTimeout, e);
            }
            catch (Exception e) when (breaker is not null && Recorded(breaker, SalesforceResiliencePipeline.IsTransientFailure(e, null)))
            {
                throw;
            }
        }

        if (breaker is not null)
        {
            resilience.Record(breaker, SalesforceResiliencePipeline.IsTransientFailure(null, response));
        }

        return response;
    }

    /// <summary>Records a failed attempt from an exception filter (so the exception goes on untouched); always false.</summary>
    private bool Recorded(CircuitBreaker breaker, bool failed)
    {
        resilience.Record(breaker, failed);
        return false;
    }
}
