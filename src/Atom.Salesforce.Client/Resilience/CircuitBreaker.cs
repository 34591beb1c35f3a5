namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The circuit breaker of one org host, with the semantics of Polly's advanced circuit breaker (which the SDK used before it
/// held its pipelines itself): attempts are counted in ten windows over <see cref="SalesforceCircuitBreakerOptions.SamplingDuration"/>;
/// when at least <see cref="SalesforceCircuitBreakerOptions.MinimumThroughput"/> attempts were seen and the share of failures
/// reaches <see cref="SalesforceCircuitBreakerOptions.FailureRatio"/>, the breaker opens for
/// <see cref="SalesforceCircuitBreakerOptions.BreakDuration"/>. Then one trial attempt goes through (half-open) while every
/// other is refused: its success closes the breaker (and forgets the counts), its failure opens it again. What counts as a
/// failure is the caller's decision (<see cref="SalesforceRetry.IsTransientFailure(Exception?, HttpResponseMessage?)"/>).
/// Thread-safe; every method takes a short lock.
/// </summary>
internal sealed class CircuitBreaker(string authority, SalesforceCircuitBreakerOptions options, TimeProvider time)
{
    /// <summary>Polly's ten windows, plus one for a window started exactly one sampling duration after the oldest.</summary>
    private const int MaxWindows = 11;

    private readonly object _lock = new();
    private readonly TimeSpan _windowDuration = TimeSpan.FromTicks(options.SamplingDuration.Ticks / 10);
    private readonly Window[] _windows = new Window[MaxWindows];
    private int _oldest;
    private int _windowCount;
    private int _successes;
    private int _failures;
    private State _state;
    private DateTimeOffset _blockedUntil;

    private enum State
    {
        Closed,
        Open,
        HalfOpen,
    }

    /// <summary>What recording an outcome did to the breaker.</summary>
    public enum Transition
    {
        None,
        Opened,
        Closed,
    }

    /// <summary>The org host (scheme's authority: host and port) this breaker guards, for messages and metrics.</summary>
    public string Authority { get; } = authority;

    public TimeSpan BreakDuration => options.BreakDuration;

    /// <summary>
    /// Whether an attempt may be sent now: always while closed; once the break is over, the one trial attempt (the breaker
    /// turns half-open); never while open or while the trial runs.
    /// </summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_state == State.Open)
            {
                var now = time.GetUtcNow();
                if (now >= _blockedUntil)
                {
                    // One trial per break: another is let through only if this one has not answered a whole break later.
                    _blockedUntil = Add(now, options.BreakDuration);
                    _state = State.HalfOpen;
                    return true;
                }
            }

            return _state == State.Closed;
        }
    }

    /// <summary>Counts an attempt's outcome and moves the breaker on; the caller reports the transition.</summary>
    public Transition Record(bool failed)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!failed)
            {
                ref var window = ref CurrentWindow(now);
                window.Successes++;
                _successes++;
                if (_state != State.HalfOpen)
                {
                    return Transition.None;
                }

                // The trial succeeded: closed, and the counts start again.
                _state = State.Closed;
                _blockedUntil = DateTimeOffset.MinValue;
                _oldest = 0;
                _windowCount = 0;
                _successes = 0;
                _failures = 0;
                return Transition.Closed;
            }

            switch (_state)
            {
                case State.HalfOpen:
                    // The trial failed: open again for a whole break.
                    Open(now);
                    return Transition.Opened;
                case State.Closed:
                    CurrentWindow(now).Failures++;
                    _failures++;
                    var throughput = _successes + _failures;
                    if (throughput >= options.MinimumThroughput && (double)_failures / throughput >= options.FailureRatio)
                    {
                        Open(now);
                        return Transition.Opened;
                    }

                    return Transition.None;
                default:
                    // An attempt sent before the breaker opened: counted, but it neither extends the break nor opens it twice.
                    CurrentWindow(now).Failures++;
                    _failures++;
                    return Transition.None;
            }
        }
    }

    private void Open(DateTimeOffset now)
    {
        _state = State.Open;
        _blockedUntil = Add(now, options.BreakDuration);
    }

    private static DateTimeOffset Add(DateTimeOffset now, TimeSpan duration) =>
        duration > DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + duration;

    /// <summary>The window counting attempts now: a new one every tenth of the sampling duration; windows older than it are dropped.</summary>
    private ref Window CurrentWindow(DateTimeOffset now)
    {
        if (_windowCount == 0 || now - _windows[(_oldest + _windowCount - 1) % MaxWindows].StartedAt >= _windowDuration)
        {
            if (_windowCount == MaxWindows)
            {
                DropOldest();
            }

            _windows[(_oldest + _windowCount) % MaxWindows] = new Window { StartedAt = now };
            _windowCount++;
        }

        while (now - _windows[_oldest].StartedAt >= options.SamplingDuration)
        {
            DropOldest();
        }

        return ref _windows[(_oldest + _windowCount - 1) % MaxWindows];
    }

    private void DropOldest()
    {
        ref var oldest = ref _windows[_oldest];
        _successes -= oldest.Successes;
        _failures -= oldest.Failures;
        _oldest = (_oldest + 1) % MaxWindows;
        _windowCount--;
    }

    private struct Window
    {
        public DateTimeOffset StartedAt;
        public int Successes;
        public int Failures;
    }
}
