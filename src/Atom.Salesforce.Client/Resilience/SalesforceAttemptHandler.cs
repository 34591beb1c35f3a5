using System.Diagnostics;

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
        var timed = request as TimedRequest;
        var shared = timed?.SharedTimeout is { } carried && carried.Token == cancellationToken ? carried : null;
        CancellationTokenSource source;
        CancellationTokenRegistration link = default;
        CancellationToken callerToken;
        bool attemptBound;
        if (shared is not null)
        {
            // The call's own source (a call sent once): its timer moves to this attempt's deadline when that comes first.
            source = shared;
            callerToken = timed!.CallerToken;
            attemptBound = attemptTimeout < Remaining(timed);
            if (attemptBound)
            {
                source.CancelAfter(attemptTimeout);
            }
        }
        else
        {
            source = TimeoutSources.Rent();
            link = TimeoutSources.Link(source, cancellationToken);
            source.CancelAfter(attemptTimeout);
            callerToken = cancellationToken;
            attemptBound = true;
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, source.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (attemptBound && source.IsCancellationRequested && !callerToken.IsCancellationRequested)
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
        finally
        {
            if (shared is null)
            {
                link.Dispose();
                TimeoutSources.Return(source);
            }
            else if (attemptBound && !source.IsCancellationRequested)
            {
                // Back to the call's total deadline, for what follows this attempt (a token refresh, the replay).
                var remaining = Remaining(timed!);
                source.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
        }

        if (breaker is not null)
        {
            resilience.Record(breaker, SalesforceResiliencePipeline.IsTransientFailure(null, response));
        }

        return response;
    }

    /// <summary>What is left of the call's total timeout.</summary>
    private static TimeSpan Remaining(TimedRequest request) => Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), request.TotalDeadline);

    /// <summary>Records a failed attempt from an exception filter (so the exception goes on untouched); always false.</summary>
    private bool Recorded(CircuitBreaker breaker, bool failed)
    {
        resilience.Record(breaker, failed);
        return false;
    }
}
