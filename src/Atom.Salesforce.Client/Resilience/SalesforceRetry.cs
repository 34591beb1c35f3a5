using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// Salesforce's rules for the resilience of the REST client. Only requests that are safe to repeat are retried, on 429, 502,
/// 503, 504, network failures, attempt timeouts, and any other error response whose body reports a transient Salesforce
/// error (<c>UNABLE_TO_LOCK_ROW</c>, which Salesforce answers with 400, or <c>SERVER_UNAVAILABLE</c>), after a jittered
/// exponential backoff or the wait <c>Retry-After</c> asks for (both capped at <see cref="SalesforceResilienceOptions.MaxDelay"/>).
/// A 401 is not retried here: the auth handler inside refreshes once and replays. The retries, the timeouts and the circuit
/// breaker per org host are the SDK's own code (<see cref="SalesforceResilienceHandler"/>, <see cref="SalesforceAttempt"/>).
/// </summary>
internal static class SalesforceRetry
{
    /// <summary>The largest share by which a backoff delay is moved either way (±20 %), so that clients do not retry in step.</summary>
    internal const double Jitter = 0.2;

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first): the <c>Retry-After</c> of the response when it
    /// has one, else <see cref="SalesforceResilienceOptions.BaseDelay"/> doubled per retry and moved by up to
    /// <see cref="Jitter"/> either way (<paramref name="random"/> in [0, 1)); never more than
    /// <see cref="SalesforceResilienceOptions.MaxDelay"/>.
    /// </summary>
    internal static TimeSpan Delay(SalesforceResilienceOptions options, int retry, HttpResponseMessage? response, TimeProvider timeProvider, double random)
    {
        var maxDelay = options.MaxDelay;
        if (response is not null && RetryAfter(response, timeProvider) is { } retryAfter)
        {
            return retryAfter > maxDelay ? maxDelay : retryAfter;
        }

        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var jittered = exponential * (1 - Jitter + (2 * Jitter * random));
        return jittered >= maxDelay.TotalMilliseconds ? maxDelay : TimeSpan.FromMilliseconds(jittered);
    }

    /// <summary>The wait a response asks for with <c>Retry-After</c> (seconds or a date; zero for a date in the past), or null.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        TimeSpan? delay = response.Headers.RetryAfter switch
        {
            { Date: { } date } => date - timeProvider.GetUtcNow(),
            { Delta: { } delta } => delta,
            _ => null,
        };
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>
    /// True for a failure that says the org (or the way to it) is in trouble, not the request: a network failure, an attempt
    /// timeout, 429, 500, 502, 503 or 504. Salesforce's business errors (400 with a validation or lock error, 401, 403, 404,
    /// 409, ...) never count: the org answered.
    /// </summary>
    internal static bool IsTransientFailure(Exception? exception, HttpResponseMessage? response)
    {
        if (exception is not null)
        {
            return exception is HttpRequestException or ResilienceTimeoutException or IOException;
        }

        return response?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>
    /// True when repeating the request is safe and the failure may pass: a network failure or an attempt timeout
    /// (<paramref name="exception"/>), or 429, 502, 503 or 504 (<paramref name="response"/>).
    /// </summary>
    internal static bool ShouldRetry(HttpMethod? method, Exception? exception, HttpResponseMessage? response)
    {
        if (method is null || !IsSafeToRepeat(method))
        {
            return false;
        }

        if (exception is not null)
        {
            return exception is HttpRequestException or ResilienceTimeoutException;
        }

        return response?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>
    /// <see cref="ShouldRetry"/> for a response, and for a safe request whose error status is not retried by itself, whether
    /// the body reports an error the SDK marks transient (<see cref="SalesforceApiException.IsTransient"/>):
    /// <c>UNABLE_TO_LOCK_ROW</c> (another transaction holds the record's lock; Salesforce answers 400) or <c>SERVER_UNAVAILABLE</c>.
    /// </summary>
    internal static async ValueTask<bool> ShouldRetryAsync(HttpMethod method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (ShouldRetry(method, null, response))
        {
            return true;
        }

        if (!IsSafeToRepeat(method) || response.IsSuccessStatusCode
            || response.StatusCode == HttpStatusCode.Unauthorized || response.Content is null
            || response.Content.Headers.ContentLength is > MaxInspectedErrorBody)
        {
            return false;
        }

        string body;
        try
        {
            // Buffered, so that a response that is not retried can still be read by the error mapping.
#if NET9_0_OR_GREATER
            await response.Content.LoadIntoBufferAsync(MaxInspectedErrorBody, cancellationToken).ConfigureAwait(false);
#else
            await response.Content.LoadIntoBufferAsync(MaxInspectedErrorBody).WaitAsync(cancellationToken).ConfigureAwait(false);
#endif
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return false;
        }

        return ErrorResponseMapper.ParseErrors(body, response.Content.Headers.ContentType?.MediaType, response.StatusCode)
            .Any(e => e.ErrorCode is SalesforceError.Codes.UnableToLockRow or SalesforceError.Codes.ServerUnavailable);
    }

    /// <summary>The largest error body read to decide on a retry; Salesforce's error arrays are a few hundred bytes.</summary>
    private const int MaxInspectedErrorBody = 64 * 1024;

    /// <summary>GET, HEAD, OPTIONS and DELETE may run twice without harm; POST and PATCH may not (Salesforce has no idempotency key).</summary>
    internal static bool IsSafeToRepeat(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Delete;
}
