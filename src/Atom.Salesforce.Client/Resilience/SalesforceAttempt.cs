using System.Diagnostics;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The resilience of one attempt, on the org's instance URL (a replay after a token refresh is an attempt of its own): the
/// circuit breaker of the org host around the attempt timeout (<see cref="SalesforceResilienceOptions.AttemptTimeout"/>, up to
/// the response headers). An open breaker refuses the attempt before anything is sent (<see cref="SalesforceResilience.Rejected"/>);
/// only transient failures count against it (<see cref="SalesforceRetry.IsTransientFailure"/>).
/// </summary>
/// <remarks>
/// A struct kept in the state machine of <see cref="AttemptingHandler.SendAttemptAsync"/>, its only user (the auth handler and
/// <see cref="SalesforceAttemptHandler"/> both send through it), so that an attempt allocates nothing of its own.
/// </remarks>
internal struct SalesforceAttempt
{
    private SalesforceResilience? _resilience;
    private CircuitBreaker? _breaker;
    private TimedRequest? _shared;
    private CancellationTokenSource? _source;
    private CancellationTokenRegistration _link;
    private CancellationToken _callerToken;
    private TimeSpan _attemptTimeout;
    private bool _attemptBound;

    /// <summary>The token to send the attempt with: cancelled by the attempt timeout, the call's total timeout or the caller.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>
    /// Starts an attempt of <paramref name="request"/> (already on its instance URL). Null <paramref name="resilience"/>: an
    /// attempt with nothing around it (another handler further in times it). Throws the breaker's refusal when it is open.
    /// </summary>
    public static SalesforceAttempt Begin(SalesforceResilience? resilience, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (resilience is null)
        {
            return new SalesforceAttempt { Token = cancellationToken };
        }

        var settings = resilience.Current;
        var breaker = settings.BreakerFor(request.RequestUri!);
        if (breaker is not null && !breaker.TryEnter())
        {
            throw resilience.Rejected(breaker);
        }

        var attempt = new SalesforceAttempt { _resilience = resilience, _breaker = breaker, _attemptTimeout = settings.Options.AttemptTimeout };
        if (request is TimedRequest { SharedTimeout: { } carried } timed && carried.Token == cancellationToken)
        {
            // The call's own source (a call sent once): its timer moves to this attempt's deadline when that comes first.
            attempt._shared = timed;
            attempt._source = carried;
            attempt._callerToken = timed.CallerToken;
            attempt._attemptBound = attempt._attemptTimeout < Remaining(timed);
            if (attempt._attemptBound)
            {
                carried.CancelAfter(attempt._attemptTimeout);
            }
        }
        else
        {
            var source = TimeoutSources.Rent();
            attempt._source = source;
            attempt._link = TimeoutSources.Link(source, cancellationToken);
            source.CancelAfter(attempt._attemptTimeout);
            attempt._callerToken = cancellationToken;
            attempt._attemptBound = true;
        }

        attempt.Token = attempt._source.Token;
        return attempt;
    }

    /// <summary>
    /// For an exception filter around the send: the attempt's timeout as a <see cref="ResilienceTimeoutException"/> (counted
    /// against the breaker) to throw instead, or null to let <paramref name="exception"/> go on (counted against the breaker
    /// when it is transient).
    /// </summary>
    public readonly Exception? Failed(Exception exception)
    {
        if (_resilience is null)
        {
            return null;
        }

        if (exception is OperationCanceledException && _attemptBound && _source!.IsCancellationRequested && !_callerToken.IsCancellationRequested)
        {
            if (_breaker is not null)
            {
                _resilience.Record(_breaker, failed: true);
            }

            return new ResilienceTimeoutException(_attemptTimeout, exception);
        }

        if (_breaker is not null)
        {
            _resilience.Record(_breaker, SalesforceRetry.IsTransientFailure(exception, null));
        }

        return null;
    }

    /// <summary>Counts an answer against the breaker (only 429, 500, 502, 503 and 504 are failures).</summary>
    public readonly void Answered(HttpResponseMessage response)
    {
        if (_breaker is not null)
        {
            _resilience!.Record(_breaker, SalesforceRetry.IsTransientFailure(null, response));
        }
    }

    /// <summary>Ends the attempt's timeout (in a <c>finally</c>): gives its own source back, or moves the call's back to the call's deadline.</summary>
    public void End()
    {
        if (_source is null)
        {
            return;
        }

        if (_shared is null)
        {
            _link.Dispose();
            TimeoutSources.Return(_source);
        }
        else if (_attemptBound && !_source.IsCancellationRequested)
        {
            // Back to the call's total deadline, for what follows this attempt (a token refresh, the replay).
            var remaining = Remaining(_shared);
            _source.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        _source = null;
    }

    /// <summary>What is left of the call's total timeout.</summary>
    private static TimeSpan Remaining(TimedRequest request) => Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), request.TotalDeadline);
}
