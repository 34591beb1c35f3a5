using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// One topic's subscription in one instance: waits for the topic's lease, then reads the stream from the committed replay id,
/// hands each event to the handler in order (retrying it, then dead-lettering it), commits its replay id, and subscribes again
/// with backoff when the stream fails. Losing the lease stops reading at once (the in-flight handler is cancelled and its
/// replay id is not committed: the next subscriber delivers it again).
/// </summary>
internal sealed class SubscriptionRunner<TEvent>
    where TEvent : notnull
{
    private readonly string _topic;
    private readonly ChangeEventsOptions _options;
    private readonly IChangeEventSource _source;
    private readonly IReplayStore _store;
    private readonly IChangeEventLeaseProvider _leases;
    private readonly Func<TEvent, ChangeEventContext, CancellationToken, Task> _handle;
    private readonly Func<ChangeEventDeadLetter, CancellationToken, Task> _deadLetter;
    private readonly ChangeEventTopicStatus _status;
    private readonly ConsumerTelemetry? _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SubscriptionRunner(
        string topic,
        ChangeEventsOptions options,
        IChangeEventSource source,
        IReplayStore store,
        IChangeEventLeaseProvider leases,
        Func<TEvent, ChangeEventContext, CancellationToken, Task> handle,
        Func<ChangeEventDeadLetter, CancellationToken, Task> deadLetter,
        ChangeEventTopicStatus status,
        ConsumerTelemetry? telemetry,
        TimeProvider time,
        ILogger logger)
    {
        _topic = topic;
        _options = options;
        _source = source;
        _store = store;
        _leases = leases;
        _handle = handle;
        _deadLetter = deadLetter;
        _status = status;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            var key = await GetKeyAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                IChangeEventLease? lease;
                try
                {
                    lease = await _leases.TryAcquireAsync(key, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    ConsumerLog.LeaseFailed(_logger, key.ToString(), _options.LeaseRetryInterval, e);
                    lease = null;
                }

                if (lease is null)
                {
                    _status.Set(ChangeEventTopicState.Standby);
                    ConsumerLog.Standby(_logger, key.ToString(), _options.LeaseRetryInterval);
                    await Task.Delay(_options.LeaseRetryInterval, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await HoldAsync(key, lease, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _status.Set(ChangeEventTopicState.Stopped);
        }
    }

    /// <summary>Consumes while the lease is held; returns when it is lost (or throws when the host stops).</summary>
    private async Task HoldAsync(SubscriptionKey key, IChangeEventLease lease, CancellationToken stoppingToken)
    {
        await using (lease.ConfigureAwait(false))
        {
            _status.Set(ChangeEventTopicState.Active);
            _telemetry?.Lease(_topic, acquired: true);
            using var holding = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
            try
            {
                await ConsumeAsync(key, holding.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                _status.Set(ChangeEventTopicState.Standby);
                _telemetry?.Lease(_topic, acquired: false);
                ConsumerLog.LeaseLost(_logger, key.ToString());
                return;
            }
            finally
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    ConsumerLog.LeaseReleased(_logger, key.ToString());
                }
            }
        }
    }

    private async Task<SubscriptionKey> GetKeyAsync(CancellationToken stoppingToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                var org = await _source.GetOrgAsync(_options, _topic, stoppingToken).ConfigureAwait(false);
                return new SubscriptionKey(org, _options.ConsumerName, _topic);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff(_options.ReconnectDelay, _options.MaxReconnectDelay, failures);
                _status.Failed(e.Message, failures);
                ConsumerLog.StreamFailed(_logger, _topic, failures, delay, e);
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ConsumeAsync(SubscriptionKey key, CancellationToken cancellationToken)
    {
        var failures = 0;
        var first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan delay;
            try
            {
                var replayId = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
                if (first)
                {
                    ConsumerLog.LeaseAcquired(_logger, key.ToString(), replayId is not null);
                    first = false;
                }

                await foreach (var received in _source.ReadAsync<TEvent>(_options, _topic, replayId, cancellationToken).ConfigureAwait(false))
                {
                    if (failures != 0)
                    {
                        failures = 0;
                        _status.Flowing();
                    }

                    var deadLettered = await DeliverAsync(key, received, cancellationToken).ConfigureAwait(false);
                    await _store.SaveAsync(key, received.ReplayId, cancellationToken).ConfigureAwait(false);
                    _status.Committed(_time.GetUtcNow());
                    _telemetry?.Processed(_topic, deadLettered);
                }

                delay = _options.ReconnectDelay;
                ConsumerLog.StreamEnded(_logger, key.ToString(), delay);
                _telemetry?.Reconnect(_topic, null);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failures++;
                delay = Jitter(Backoff(_options.ReconnectDelay, _options.MaxReconnectDelay, failures));
                _status.Failed(e.Message, failures);
                _telemetry?.Reconnect(_topic, e);
                ConsumerLog.StreamFailed(_logger, key.ToString(), failures, delay, e);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Calls the handler until it succeeds or <see cref="ChangeEventsOptions.MaxAttempts"/> is reached; true when the event was dead-lettered.</summary>
    private async Task<bool> DeliverAsync(SubscriptionKey key, SourceEvent<TEvent> received, CancellationToken cancellationToken)
    {
        // One process span per event, current while the handler runs (its own calls are its children), linked to the span of
        // the Subscribe call that received the event.
        using var span = ConsumerTelemetry.StartProcess(_topic, _options.ConsumerName, received.ReceiveContext);
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await _handle(received.Event, new ChangeEventContext(key, received.ReplayId, attempt), cancellationToken).ConfigureAwait(false);
                _telemetry?.HandlerAttempt(_topic, started, null);
                ConsumerTelemetry.Processed(span, attempt, failure: null);
                return false;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                ConsumerTelemetry.Processed(span, attempt, e);
                throw;
            }
            catch (Exception e)
            {
                _telemetry?.HandlerAttempt(_topic, started, e);
                ConsumerTelemetry.AttemptFailed(span, attempt, e);
                if (attempt >= _options.MaxAttempts)
                {
                    ConsumerLog.DeadLettered(_logger, key.ToString(), attempt, e);
                    ConsumerTelemetry.Processed(span, attempt, e);
                    await DeadLetterAsync(new ChangeEventDeadLetter(key, received.ReplayId, received.Event, attempt, e), cancellationToken).ConfigureAwait(false);
                    return true;
                }

                var delay = Backoff(_options.RetryDelay, _options.MaxRetryDelay, attempt);
                ConsumerLog.HandlerRetrying(_logger, key.ToString(), attempt, _options.MaxAttempts, delay, e);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeadLetterAsync(ChangeEventDeadLetter letter, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _deadLetter(letter, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                ConsumerLog.DeadLetterFailed(_logger, letter.Subscription.ToString(), _options.MaxRetryDelay, e);
                await Task.Delay(_options.MaxRetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary><paramref name="initial"/> doubled <paramref name="failures"/> - 1 times, at most <paramref name="max"/>.</summary>
    internal static TimeSpan Backoff(TimeSpan initial, TimeSpan max, int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ticks = Math.Min(initial.Ticks * factor, max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Up to 20 % less, so that instances failing together do not subscribe again in lockstep.</summary>
    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (1 - (Random.Shared.NextDouble() * 0.2))));
}
