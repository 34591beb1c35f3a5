using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Telemetry;
using Polly.Timeout;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The resilience of the REST client, in two pipelines. Outside the auth handler: a total timeout around retries
/// (<see cref="Configure"/>). Inside it, once the request is on the org's instance URL: a circuit breaker per org host around a
/// per-attempt timeout (<see cref="ConfigureAttempt"/>), so that each attempt, a replay after a refresh too, is timed and
/// counted against its own org.
/// Salesforce's rules on top of Polly: only safe methods are retried, on 429, 502, 503, 504, network failures, attempt
/// timeouts, and any other error response whose body reports a transient Salesforce error (<c>UNABLE_TO_LOCK_ROW</c>, which
/// Salesforce answers with 400, or <c>SERVER_UNAVAILABLE</c>), honouring <c>Retry-After</c>. A 401 is not retried here: the auth handler inside refreshes once and replays.
/// </summary>
internal static class SalesforceResiliencePipeline
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, SalesforceResilienceOptions options, ILogger logger)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "Total", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ShouldRetryAsync(args.Context.GetRequestMessage()?.Method, args.Outcome, args.Context.CancellationToken),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var outcome = args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
                    Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, outcome, args.RetryDelay);
                    return default;
                },
            });
        }
    }

    /// <summary>
    /// The pipeline of one attempt on one org host: the circuit breaker (unless turned off) around the attempt timeout. Only
    /// transient failures (<see cref="IsTransientFailure"/>) count; an open breaker throws <see cref="BrokenCircuitException"/>,
    /// which the connection maps to a <see cref="SalesforceException"/> with <see cref="SalesforceError.Codes.CircuitOpen"/>.
    /// </summary>
    public static void ConfigureAttempt(
        ResiliencePipelineBuilder<HttpResponseMessage> builder, SalesforceResilienceOptions options, SalesforceTelemetry telemetry, string appName, ILogger logger)
    {
        var breaker = options.CircuitBreaker;
        if (breaker is { Enabled: true })
        {
            builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                Name = "CircuitBreaker",
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(IsTransientFailure(args.Outcome)),
                OnOpened = args =>
                {
                    var host = args.Context.GetRequestMessage()?.RequestUri?.Authority ?? "?";
                    telemetry.RecordCircuitOpened(host, appName);
                    Log.CircuitOpened(logger, host, appName, args.BreakDuration);
                    return default;
                },
                OnClosed = args =>
                {
                    Log.CircuitClosed(logger, args.Context.GetRequestMessage()?.RequestUri?.Authority ?? "?", appName);
                    return default;
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "Attempt", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// True for a failure that says the org (or the way to it) is in trouble, not the request: a network failure, an attempt
    /// timeout, 429, 500, 502, 503 or 504. Salesforce's business errors (400 with a validation or lock error, 401, 403, 404,
    /// 409, ...) never count: the org answered.
    /// </summary>
    internal static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;
        }

        return outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>
    /// Polly logs every execution attempt at Information by default: a line per Salesforce call, which drowns an app's
    /// logs. Here an attempt that succeeds or fails for good is Debug, one that will be retried is Information, and a retry
    /// itself is Information (self-healing is not a warning). The app's own telemetry options (logger factory,
    /// enrichers, listeners) are kept; only the severity changes, and only for the SDK's pipeline.
    /// </summary>
    public static void ConfigureTelemetry(ResiliencePipelineBuilder<HttpResponseMessage> builder, IServiceProvider services)
    {
        var appOptions = services.GetService<IOptions<TelemetryOptions>>()?.Value;
        var options = appOptions is null ? new TelemetryOptions() : new TelemetryOptions(appOptions);
        options.LoggerFactory = services.GetService<ILoggerFactory>() ?? options.LoggerFactory;
        options.SeverityProvider = Severity;
        builder.ConfigureTelemetry(options);
    }

    /// <summary>The severity of a Polly event in the SDK's pipeline. Polly marks a handled attempt (one that is retried) Warning.</summary>
    internal static ResilienceEventSeverity Severity(SeverityProviderArguments args) => args.Event.EventName switch
    {
        "ExecutionAttempt" => args.Event.Severity >= ResilienceEventSeverity.Warning ? ResilienceEventSeverity.Information : ResilienceEventSeverity.Debug,
        "OnRetry" => ResilienceEventSeverity.Information,
        _ => args.Event.Severity,
    };

    /// <summary>True when repeating the request is safe and the failure may pass.</summary>
    internal static bool ShouldRetry(HttpMethod? method, Outcome<HttpResponseMessage> outcome)
    {
        if (method is null || !IsSafeToRepeat(method))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
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
