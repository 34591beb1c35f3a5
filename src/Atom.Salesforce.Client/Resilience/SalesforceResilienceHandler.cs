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

    private async Task<HttpResponseMessage> SendOnceAsync(TimeSpan totalTimeout, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(totalTimeout);
        try
        {
            return await base.SendAsync(request, total.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ResilienceTimeoutException(totalTimeout, e);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(SalesforceResilience.Settings settings, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = settings.Retry();
        var totalTimeout = settings.Options.TotalTimeout;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
