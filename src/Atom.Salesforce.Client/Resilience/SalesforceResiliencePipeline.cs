using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// Salesforce's rules for the resilience of the REST client, and the one Polly pipeline the SDK builds: the retry of requests
/// that are safe to repeat. Only safe methods are retried, on 429, 502, 503, 504, network failures, attempt timeouts, and any
/// other error response whose body reports a transient Salesforce error (<c>UNABLE_TO_LOCK_ROW</c>, which Salesforce answers
/// with 400, or <c>SERVER_UNAVAILABLE</c>), honouring <c>Retry-After</c>. A 401 is not retried here: the auth handler inside
/// refreshes once and replays. The timeouts and the circuit breaker per org host are the SDK's own code
/// (<see cref="SalesforceResilienceHandler"/>, <see cref="SalesforceAttemptHandler"/>).
/// </summary>
internal static class SalesforceResiliencePipeline
{
    /// <summary>The retry pipeline of one connected app's settings; built on the first safe request that may be retried.</summary>
    public static ResiliencePipeline<HttpResponseMessage> BuildRetry(
        SalesforceResilienceOptions options, TimeProvider timeProvider, ILogger logger, TelemetryOptions telemetry, string appName)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "Atom.Salesforce",
            InstanceName = appName,
            TimeProvider = timeProvider,
        };
        var maxDelay = options.MaxDelay;
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            Name = "Retry",
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.BaseDelay,
            MaxDelay = maxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            // Retry-After, as Microsoft.Extensions.Http.Resilience read it (a date in the past is now), capped at MaxDelay.
            DelayGenerator = args => new ValueTask<TimeSpan?>(
                args.Outcome.Result is { } response && RetryAfter(response, timeProvider) is { } retryAfter
                    ? retryAfter > maxDelay ? maxDelay : retryAfter
                    : null),
            ShouldHandle = args => ShouldRetryAsync(args.Context.Properties.GetValue(RequestKey, null!)?.Method, args.Outcome, args.Context.CancellationToken),
            OnRetry = args =>
            {
                var request = args.Context.Properties.GetValue(RequestKey, null!);
                var outcome = args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
                Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, outcome, args.RetryDelay);
                return default;
            },
        });
        builder.ConfigureTelemetry(telemetry);
        return builder.Build();
    }

    /// <summary>The request an execution of the retry pipeline sends, for its predicate and its log line.</summary>
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Atom.Salesforce.Request");

    /// <summary>
    /// Polly's telemetry options for the SDK's retry pipeline. Polly logs every execution attempt at Information by default: a
    /// line per Salesforce call, which drowns an app's logs. Here an attempt that succeeds or fails for good is Debug, one
    /// that will be retried is Information, and a retry itself is Information (self-healing is not a warning). The app's own
    /// telemetry options (enrichers, listeners), when it registered some, are kept; only the severity changes.
    /// </summary>
    public static TelemetryOptions TelemetryFor(TelemetryOptions? appOptions, ILoggerFactory loggerFactory) =>
        new(appOptions ?? new TelemetryOptions())
        {
            LoggerFactory = loggerFactory,
            SeverityProvider = Severity,
        };

    /// <summary>The severity of a Polly event in the SDK's pipeline. Polly marks a handled attempt (one that is retried) Warning.</summary>
    internal static ResilienceEventSeverity Severity(SeverityProviderArguments args) => args.Event.EventName switch
    {
        "ExecutionAttempt" => args.Event.Severity >= ResilienceEventSeverity.Warning ? ResilienceEventSeverity.Information : ResilienceEventSeverity.Debug,
        "OnRetry" => ResilienceEventSeverity.Information,
        _ => args.Event.Severity,
    };

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
    internal static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is TimeoutRejectedException || IsTransientFailure(outcome.Exception, outcome.Result);

    /// <inheritdoc cref="IsTransientFailure(Outcome{HttpResponseMessage})"/>
    internal static bool IsTransientFailure(Exception? exception, HttpResponseMessage? response)
    {
        if (exception is not null)
        {
            return exception is HttpRequestException or ResilienceTimeoutException or IOException;
        }

        return response?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>True when repeating the request is safe and the failure may pass.</summary>
    internal static bool ShouldRetry(HttpMethod? method, Outcome<HttpResponseMessage> outcome)
    {
        if (method is null || !IsSafeToRepeat(method))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or ResilienceTimeoutException or TimeoutRejectedException;
        }

        return outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>
    /// <see cref="ShouldRetry"/>, and for a safe request whose error status is not retried by itself, whether the body reports
    /// an error the SDK marks transient (<see cref="SalesforceApiException.IsTransient"/>): <c>UNABLE_TO_LOCK_ROW</c> (another
    /// transaction holds the record's lock; Salesforce answers 400) or <c>SERVER_UNAVAILABLE</c>.
    /// </summary>
    internal static async ValueTask<bool> ShouldRetryAsync(HttpMethod? method, Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (ShouldRetry(method, outcome))
        {
            return true;
        }

        if (method is null || !IsSafeToRepeat(method) || outcome.Result is not { IsSuccessStatusCode: false } response
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
