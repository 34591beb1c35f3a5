using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The outermost handler of the REST pipeline, once per call: the total timeout of the call
/// (<see cref="SalesforceResilienceOptions.TotalTimeout"/>, retries, delays and a token refresh included); for requests that
/// are safe to repeat, the retries (<see cref="SalesforceRetry"/>'s rules, the SDK's own loop); and counting the call for its
/// connection (<see cref="ICallUsage"/>: the usage recorder and <c>Sforce-Limit-Info</c>), once
/// whatever its retries. POST and PATCH are sent once: Salesforce has no idempotency key.
/// </summary>
internal sealed class SalesforceResilienceHandler(SalesforceResilience resilience) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = resilience.Current;
        return settings.Retries(request.Method)
            ? SendWithRetriesAsync(settings.Options, request, cancellationToken)
            : SendOnceAsync(settings.Options.TotalTimeout, request, cancellationToken);
    }

    /// <summary>
    /// A call sent once: one reused timeout source for the call. An SDK request (<see cref="TimedRequest"/>) carries it down, so
    /// that the attempt times itself with the same source instead of one of its own.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(TimeSpan totalTimeout, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var connection = TimedRequest.UsageOf(request);
        var sent = connection is null ? 0 : request.Content?.Headers.ContentLength ?? 0;
        var source = TimeoutSources.Rent();
        var link = TimeoutSources.Link(source, cancellationToken);
        source.CancelAfter(totalTimeout);
        var timed = request as TimedRequest;
        if (timed is not null)
        {
            timed.SharedTimeout = source;
            timed.TotalDeadline = Stopwatch.GetTimestamp() + (long)(totalTimeout.TotalSeconds * Stopwatch.Frequency);
            timed.CallerToken = cancellationToken;
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, source.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (source.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timeout = new ResilienceTimeoutException(totalTimeout, e);
            connection?.RecordFailed(sent, timeout, cancellationToken);
            throw timeout;
        }
        catch (Exception e) when (connection is not null && connection.RecordFailed(sent, e, cancellationToken))
        {
            throw;
        }
        finally
        {
            if (timed is not null)
            {
                timed.SharedTimeout = null;
            }

            link.Dispose();
            TimeoutSources.Return(source);
        }

        connection?.RecordAnswered(sent, response);
        return response;
    }

    /// <summary>
    /// A call that may be retried (GET, HEAD, OPTIONS, DELETE): the attempts one after the other under the call's total
    /// timeout, each logged at Debug (<see cref="Log.Attempt"/>), a retried one at Information (<see cref="Log.Retrying"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<HttpResponseMessage> SendWithRetriesAsync(SalesforceResilienceOptions options, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var connection = TimedRequest.UsageOf(request);
        var sent = connection is null ? 0 : request.Content?.Headers.ContentLength ?? 0;
        var totalTimeout = options.TotalTimeout;
        var total = TimeoutSources.Rent();
        var link = TimeoutSources.Link(total, cancellationToken);
        total.CancelAfter(totalTimeout);
        var logger = resilience.Logger;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                HttpResponseMessage? response = null;
                Exception? failure = null;
                try
                {
                    response = await base.SendAsync(request, total.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (attempt <= options.MaxRetryAttempts && !total.IsCancellationRequested
                    && SalesforceRetry.ShouldRetry(request.Method, e, null))
                {
                    failure = e;
                }

                var retry = failure is not null
                    || (attempt <= options.MaxRetryAttempts && !total.IsCancellationRequested
                        && await SalesforceRetry.ShouldRetryAsync(request.Method, response!, total.Token).ConfigureAwait(false));
                if (!retry)
                {
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        Log.Attempt(logger, request.Method.Method, PathOf(request), attempt, Outcome(failure, response), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    connection?.RecordAnswered(sent, response!);
                    return response!;
                }

                var delay = SalesforceRetry.Delay(options, attempt, response, resilience.TimeProvider, Random.Shared.NextDouble());
                Log.Retrying(logger, request.Method.Method, PathOf(request), attempt, Outcome(failure, response), delay);
                response?.Dispose();
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, resilience.TimeProvider, total.Token).ConfigureAwait(false);
                }
                else
                {
                    total.Token.ThrowIfCancellationRequested();
                }
            }
        }
        catch (OperationCanceledException e) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timeout = new ResilienceTimeoutException(totalTimeout, e);
            connection?.RecordFailed(sent, timeout, cancellationToken);
            throw timeout;
        }
        catch (Exception e) when (connection is not null && connection.RecordFailed(sent, e, cancellationToken))
        {
            throw;
        }
        finally
        {
            link.Dispose();
            TimeoutSources.Return(total);
        }
    }

    /// <summary>What an attempt ended with, for the log: the exception's type or the status code.</summary>
    private static string Outcome(Exception? failure, HttpResponseMessage? response) =>
        failure?.GetType().Name ?? ((int)response!.StatusCode).ToString(CultureInfo.InvariantCulture);

    /// <summary>The request's path on the instance, for the log (never its query, which may hold record values).</summary>
    private static string PathOf(HttpRequestMessage request) => request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : "?";
}
