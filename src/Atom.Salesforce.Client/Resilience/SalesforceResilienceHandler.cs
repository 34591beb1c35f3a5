using System.Diagnostics;
using System.Runtime.CompilerServices;
using Polly;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The outer resilience of the REST pipeline, outside the auth handler: the total timeout of a call
/// (<see cref="SalesforceResilienceOptions.TotalTimeout"/>, retries, delays and a token refresh included) and, for requests
/// that are safe to repeat, the retries (Polly's retry strategy, built on the first such request). POST and PATCH never
/// enter a retry pipeline: Salesforce has no idempotency key, so they are sent once.
/// </summary>
internal sealed class SalesforceResilienceHandler(SalesforceResilience resilience) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = resilience.Current;
        return settings.Retries(request.Method)
            ? SendWithRetriesAsync(settings, request, cancellationToken)
            : SendOnceAsync(settings.Options.TotalTimeout, request, cancellationToken);
    }

    /// <summary>
    /// A call sent once: one reused timeout source for the call. An SDK request (<see cref="TimedRequest"/>) carries it down, so
    /// that the attempt handler times each attempt with the same source instead of one of its own.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(TimeSpan totalTimeout, HttpRequestMessage request, CancellationToken cancellationToken)
    {
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

        try
        {
            return await base.SendAsync(request, source.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (source.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ResilienceTimeoutException(totalTimeout, e);
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
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<HttpResponseMessage> SendWithRetriesAsync(SalesforceResilience.Settings settings, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = settings.Retry();
        var totalTimeout = settings.Options.TotalTimeout;
        var total = TimeoutSources.Rent();
        var link = TimeoutSources.Link(total, cancellationToken);
        total.CancelAfter(totalTimeout);
        var context = ResilienceContextPool.Shared.Get(total.Token);
        context.Properties.Set(SalesforceResiliencePipeline.RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(
                static (context, handler) => new ValueTask<HttpResponseMessage>(
                    handler.SendAttemptAsync(context.Properties.GetValue(SalesforceResiliencePipeline.RequestKey, null!), context.CancellationToken)),
                context,
                this).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ResilienceTimeoutException(totalTimeout, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            link.Dispose();
            TimeoutSources.Return(total);
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
