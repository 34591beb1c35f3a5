using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// Posts the outbox's due events to their endpoints, in every instance that runs it: each claims a batch
/// (<see cref="WebhookStore.ClaimAsync"/>, <c>FOR UPDATE SKIP LOCKED</c>), posts the signed bodies, and records each outcome.
/// A 2xx answer delivers; anything else (another status, a redirect, a refused or failed connection, no answer within
/// <see cref="WebhookOptions.RequestTimeout"/>) is a failed attempt, tried again after an exponential backoff with jitter,
/// until <see cref="WebhookOptions.MaxAttempts"/>; <see cref="WebhookOptions.MaxConsecutiveFailures"/> failures in a row
/// disable the endpoint. An instance that stops or dies between claim and outcome leaves the row to be claimed again once
/// its lease ends: nothing is lost, and the receiver may see that delivery twice (the same <c>webhook-id</c>).
/// </summary>
internal sealed class WebhookDeliveryService : BackgroundService
{
    private const int MaxErrorLength = 500;

    private readonly WebhookStore _store;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    public WebhookDeliveryService(WebhookStore store, TargetGuard guard, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDeliveryService> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var handler = guard.CreateHandler();
        _options.ConfigureHandler?.Invoke(handler);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DeliveryEnabled)
        {
            return;
        }

        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var delivered = await DeliverDueAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (delivered > 0)
                {
                    continue;
                }

                delay = _options.PollInterval;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                delay = Backoff(_options.PollInterval, TimeSpan.FromMinutes(1), failures);
                WebhookLog.WorkerFailed(_logger, delay, e);
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <summary>Claims one batch of due deliveries and posts them; returns how many were claimed.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        // Long enough for every post of the batch to time out and be recorded; then the rows are due again.
        var leaseUntil = now + (_options.RequestTimeout * 2) + TimeSpan.FromSeconds(30);
        var batch = await _store.ClaimAsync(_options.BatchSize, now, leaseUntil, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(batch.Select(d => DeliverAsync(d, cancellationToken))).ConfigureAwait(false);
        return batch.Count;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        int? status = null;
        string error;
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using (var request = new HttpRequestMessage(HttpMethod.Post, delivery.TargetUrl))
        {
            request.Content = new StringContent(delivery.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, delivery.MessageId);
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(delivery.MessageId, timestamp, delivery.Body, delivery.Secrets));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Atom.Salesforce.Webhooks", "1.0"));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    await _store.DeliveredAsync(delivery, status.Value, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    WebhookLog.Delivered(_logger, delivery.MessageId, delivery.EndpointId, status.Value);
                    return;
                }

                error = status is >= 300 and < 400
                    ? string.Create(CultureInfo.InvariantCulture, $"The target answered {status} (a redirect, which webhooks do not follow).")
                    : string.Create(CultureInfo.InvariantCulture, $"The target answered {status} {response.ReasonPhrase}.");
            }
            catch (HttpRequestException e) when (Refused(e) is { } refused)
            {
                error = refused.Message;
            }
            catch (HttpRequestException e)
            {
                error = "The target could not be reached: " + e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"The target did not answer within {_options.RequestTimeout.TotalSeconds:0.#} seconds.");
            }
        }

        if (error.Length > MaxErrorLength)
        {
            error = error[..MaxErrorLength];
        }

        var attempt = delivery.Attempts + 1;
        var now = _time.GetUtcNow();
        DateTimeOffset? retryAt = attempt >= _options.MaxAttempts ? null : now + RetryDelay(_options, attempt, Random.Shared.NextDouble());
        WebhookLog.DeliveryFailed(_logger, delivery.MessageId, delivery.EndpointId, attempt, error);
        if (await _store.FailedAsync(delivery, status, error, now, retryAt, _options.MaxConsecutiveFailures, cancellationToken).ConfigureAwait(false))
        {
            WebhookLog.EndpointDisabled(_logger, delivery.EndpointId, _options.MaxConsecutiveFailures);
        }
    }

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/>: <see cref="WebhookOptions.RetryDelay"/> doubled each attempt,
    /// at most <see cref="WebhookOptions.MaxRetryDelay"/>, then up to 20 % less (<paramref name="random"/> in [0, 1)) so that
    /// endpoints that failed together are not retried in lockstep.
    /// </summary>
    internal static TimeSpan RetryDelay(WebhookOptions options, int attempt, double random) =>
        TimeSpan.FromTicks((long)(Backoff(options.RetryDelay, options.MaxRetryDelay, attempt).Ticks * (1 - (random * 0.2))));

    private static TimeSpan Backoff(TimeSpan initial, TimeSpan max, int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(initial.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30)), max.Ticks));

    private static TargetRefusedException? Refused(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TargetRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
