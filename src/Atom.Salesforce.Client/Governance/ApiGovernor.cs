using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Governance;

/// <summary>
/// The per-org API budget, priorities and concurrency caps of <c>AddApiGovernance()</c>, shared by every connected app of the
/// container (resolve it from the container to read <see cref="GetStatus"/>). Each Salesforce call waits for a slot (interactive
/// calls first), then takes one call from the org's budget in the <see cref="IApiBudgetStore"/>; every response's
/// <c>Sforce-Limit-Info</c> and every <c>/limits</c> answer bring the budget up to date.
/// </summary>
public sealed class ApiGovernor
{
    /// <summary>The longest a call waits for the first answer of an org whose allocation is not known yet.</summary>
    internal static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, OrgState> _orgs = new(StringComparer.Ordinal);
    private readonly IApiBudgetStore _store;
    private readonly IApiConcurrencyStore? _slots;
    private readonly IOptionsMonitor<ApiGovernanceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _throttled;

    internal ApiGovernor(
        IApiBudgetStore store, IOptionsMonitor<ApiGovernanceOptions> options, SalesforceTelemetry telemetry, TimeProvider time, ILogger logger)
    {
        _store = store;
        _slots = store as IApiConcurrencyStore;
        _options = options;
        _time = time;
        _logger = logger;
        var meter = telemetry.Meter;
        _queueWait = meter.CreateHistogram<double>(
            "salesforce.client.governance.queue.wait", unit: "s",
            description: "How long calls waited for a concurrency slot or their background turn before being sent (or refused).");
        _throttled = meter.CreateCounter<long>(
            "salesforce.client.governance.throttled", unit: "{call}",
            description: "Calls slowed down or refused by the API governance, tagged salesforce.priority and salesforce.governance.reason (slowed, budget_exhausted, queue_timeout).");
        meter.CreateObservableGauge(
            "salesforce.client.governance.queue.length", ObserveQueued, unit: "{call}",
            description: "Calls waiting for a concurrency slot, per org host and priority.");
        meter.CreateObservableGauge(
            "salesforce.client.governance.in_flight", ObserveInFlight, unit: "{call}",
            description: "Calls to the org in flight from this process.");
        meter.CreateObservableGauge(
            "salesforce.client.governance.budget.remaining", ObserveRemaining, unit: "{call}",
            description: "Calls left in the org's daily allocation as the API budget counts them (Sforce-Limit-Info, /limits and calls taken since).");
    }

    /// <summary>A snapshot of every org this process has called: budget, calls in flight, queue and throttling counts.</summary>
    public IReadOnlyList<ApiGovernanceStatus> GetStatus()
    {
        var now = _time.GetTimestamp();
        var threshold = _options.CurrentValue.LongRunningThreshold;
        var list = new List<ApiGovernanceStatus>(_orgs.Count);
        foreach (var (org, state) in _orgs)
        {
            lock (state)
            {
                list.Add(new ApiGovernanceStatus(
                    org, state.Used, state.Max, state.InFlight, state.LongRunning(now, threshold, _time), state.Interactive.Count + state.Background.Count,
                    state.Throttled, state.Refused));
            }
        }

        return list;
    }

    /// <summary>
    /// Waits for the call's turn and takes it from the budget; dispose the lease when the response has arrived (or failed).
    /// Throws <c>QUEUE_TIMEOUT</c> or <c>API_BUDGET_EXHAUSTED</c> (nothing was sent).
    /// </summary>
    internal async ValueTask<Lease> AcquireAsync(string org, RequestPriority priority, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var state = _orgs.GetOrAdd(org, static (_, time) => new OrgState { LastExact = time.GetTimestamp() }, _time);
        var started = _time.GetTimestamp();
        var background = priority == RequestPriority.Background;
        if (background)
        {
            await PaceAsync(org, state, options, started, cancellationToken).ConfigureAwait(false);
        }

        var probe = false;
        if (!Volatile.Read(ref state.Probed))
        {
            // The org's allocation is not known yet: one call at a time until the first answer tells it, so that a burst of
            // first calls cannot overrun a budget nobody has seen.
            probe = await WaitForProbeAsync(state, options, cancellationToken).ConfigureAwait(false);
        }

        Lease lease;
        try
        {
            lease = await EnterAsync(org, state, priority, options, started, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (probe)
            {
                state.ProbeGate.Release();
            }

            throw;
        }

        lease.Probe = probe;
        if (options.ShareConcurrencyLimits && _slots is not null)
        {
            try
            {
                await EnterSharedAsync(org, state, lease, priority, options, started, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }

        ApiBudgetTake take;
        try
        {
            var reserve = ApiGovernanceOptions.ToPartsPerMillion(background ? options.BackgroundStopThreshold : options.InteractiveReserve);
            take = await _store.TryTakeAsync(org, reserve, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lease.Dispose();
            if (e is SalesforceException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }

            GovernanceLog.StoreFailed(_logger, org, e.GetType().Name);
            throw new SalesforceException(
                $"Nothing was sent to Salesforce host {org}: the API budget store ({_store.GetType().Name}) failed: {e.Message}", e, isTransient: true)
            {
                ErrorCode = SalesforceError.Codes.ApiBudgetUnavailable,
            };
        }

        lock (state)
        {
            state.Used = take.Used;
            state.Max = take.Max;
        }

        if (!take.Granted)
        {
            lease.Dispose();
            Interlocked.Increment(ref state.Refused);
            _throttled.Add(1, PriorityTag(priority), new KeyValuePair<string, object?>("salesforce.governance.reason", "budget_exhausted"));
            GovernanceLog.BudgetExhausted(_logger, org, priority, take.Used, take.Max);
            var left = Math.Max(0, take.Max - take.Used);
            throw new SalesforceException(
                $"Nothing was sent to Salesforce host {org}: the {(background ? "background" : "interactive")} share of its daily API allocation is used up "
                + $"({left} of {take.Max} calls left, kept for {(background ? "interactive calls" : "the hard reserve")}; see ApiGovernanceOptions). "
                + "Try again later: the allocation is a rolling 24-hour window.", null, isTransient: true)
            {
                ErrorCode = SalesforceError.Codes.ApiBudgetExhausted,
            };
        }

        return lease;
    }

    /// <summary>
    /// Waits for a slot among the org's calls in flight across every instance (<see cref="ApiGovernanceOptions.ShareConcurrencyLimits"/>),
    /// asking the shared store again with a growing pause (5 ms up to 100 ms), at most until the queue timeout. A background
    /// call enters only while fewer than <see cref="ApiGovernanceOptions.MaxConcurrentBackgroundRequests"/> calls of any
    /// priority are in flight, so that background work always leaves the rest of the slots to interactive calls.
    /// </summary>
    private async ValueTask EnterSharedAsync(
        string org, OrgState state, Lease lease, RequestPriority priority, ApiGovernanceOptions options, long started, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var cap = priority == RequestPriority.Background ? options.MaxConcurrentBackgroundRequests : options.MaxConcurrentRequests;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            bool entered;
            try
            {
                entered = await _slots!.TryEnterAsync(
                    org, id, cap, options.MaxConcurrentLongRunningRequests, options.LongRunningThreshold, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                GovernanceLog.StoreFailed(_logger, org, e.GetType().Name);
                throw new SalesforceException(
                    $"Nothing was sent to Salesforce host {org}: the shared concurrency store ({_slots!.GetType().Name}) failed: {e.Message}", e, isTransient: true)
                {
                    ErrorCode = SalesforceError.Codes.ApiBudgetUnavailable,
                };
            }

            if (entered)
            {
                lease.Shared(org, id);
                return;
            }

            var waited = _time.GetElapsedTime(started);
            if (waited >= options.QueueTimeout)
            {
                Interlocked.Increment(ref state.Refused);
                _queueWait.Record(waited.TotalSeconds, PriorityTag(priority));
                throw QueueTimeout(org, priority, options);
            }

            Interlocked.Increment(ref state.SharedWaits);
            var left = options.QueueTimeout - waited;
            await Task.Delay(pause < left ? pause : left, _time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.TicksPerMillisecond * 100));
        }
    }

    /// <summary>Gives a shared slot back; a failure leaves it to the store's own expiry.</summary>
    private async Task LeaveSharedAsync(string org, string id)
    {
        try
        {
            await _slots!.LeaveAsync(org, id).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            GovernanceLog.StoreFailed(_logger, org, e.GetType().Name);
        }
    }

    /// <summary>Brings the budget up to date from a response's <c>Sforce-Limit-Info</c> (raise only) or a <c>/limits</c> answer (exact).</summary>
    internal async ValueTask ObserveAsync(string org, ApiUsage usage, bool exact, CancellationToken cancellationToken)
    {
        var state = _orgs.GetOrAdd(org, static _ => new OrgState());
        bool news;
        lock (state)
        {
            news = exact || usage.Max != state.Max || usage.Used > state.Used;
        }

        if (!news)
        {
            return;
        }

        ApiUsage stored;
        try
        {
            stored = await _store.ObserveAsync(org, usage, exact, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The response is good; the next one brings the budget up to date again.
            GovernanceLog.StoreFailed(_logger, org, e.GetType().Name);
            return;
        }

        lock (state)
        {
            state.Used = stored.Used;
            state.Max = stored.Max;
            if (exact)
            {
                state.LastExact = _time.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// True when this call should first refresh the org's budget from <c>/limits</c> (see
    /// <see cref="ApiGovernanceOptions.LimitsRefreshInterval"/>); then it alone does, and calls <see cref="EndLimitsRefresh"/>.
    /// </summary>
    internal bool BeginLimitsRefresh(string org)
    {
        var interval = _options.CurrentValue.LimitsRefreshInterval;
        if (interval == Timeout.InfiniteTimeSpan || !_orgs.TryGetValue(org, out var state))
        {
            return false;
        }

        lock (state)
        {
            if (state.Refreshing || state.Max <= 0 || _time.GetElapsedTime(state.LastExact) < interval
                || (double)Math.Max(0, state.Max - state.Used) / state.Max >= _options.CurrentValue.BackgroundSlowdownThreshold)
            {
                return false;
            }

            state.Refreshing = true;
            return true;
        }
    }

    /// <summary>Ends a refresh <see cref="BeginLimitsRefresh"/> started: the next is due an interval from now, answered or not.</summary>
    internal void EndLimitsRefresh(string org)
    {
        var state = _orgs.GetOrAdd(org, static _ => new OrgState());
        lock (state)
        {
            state.Refreshing = false;
            state.LastExact = Math.Max(state.LastExact, _time.GetTimestamp());
        }
    }

    /// <summary>Takes the refresh's own call from the budget, down to the last call (it is what lets the budget recover).</summary>
    internal async ValueTask<bool> TryTakeRefreshCallAsync(string org, CancellationToken cancellationToken)
    {
        try
        {
            return (await _store.TryTakeAsync(org, 0, cancellationToken).ConfigureAwait(false)).Granted;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            GovernanceLog.StoreFailed(_logger, org, e.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// Waits for the org's first call to answer, at most <see cref="ProbeWait"/> (a first call that runs long must not hold
    /// every other call back: past the wait they go on, with the allocation still unknown). True when this call is the first.
    /// </summary>
    private static async ValueTask<bool> WaitForProbeAsync(OrgState state, ApiGovernanceOptions options, CancellationToken cancellationToken)
    {
        var wait = options.QueueTimeout < ProbeWait ? options.QueueTimeout : ProbeWait;
        if (!await state.ProbeGate.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (Volatile.Read(ref state.Probed))
        {
            state.ProbeGate.Release();
            return false;
        }

        return true;
    }

    /// <summary>Spaces background calls out as the remaining allocation falls from the slowdown to the stop threshold.</summary>
    private async ValueTask PaceAsync(string org, OrgState state, ApiGovernanceOptions options, long now, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (state)
        {
            if (state.Max <= 0)
            {
                return;
            }

            var left = (double)Math.Max(0, state.Max - state.Used) / state.Max;
            var slow = options.BackgroundSlowdownThreshold;
            var stop = options.BackgroundStopThreshold;
            if (left >= slow)
            {
                return;
            }

            var depth = slow > stop ? Math.Clamp((slow - left) / (slow - stop), 0, 1) : 1;
            var interval = options.BackgroundMaxDelay * depth;
            var next = Math.Max(now, state.NextBackground);
            wait = _time.GetElapsedTime(now, next);
            if (wait > options.QueueTimeout)
            {
                wait = TimeSpan.MinValue;
            }
            else
            {
                state.NextBackground = next + (long)(interval.TotalSeconds * _time.TimestampFrequency);
            }
        }

        if (wait == TimeSpan.MinValue)
        {
            throw QueueTimeout(org, RequestPriority.Background, options);
        }

        Interlocked.Increment(ref state.Throttled);
        _throttled.Add(1, PriorityTag(RequestPriority.Background), new KeyValuePair<string, object?>("salesforce.governance.reason", "slowed"));
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<Lease> EnterAsync(
        string org, OrgState state, RequestPriority priority, ApiGovernanceOptions options, long started, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (state)
        {
            if (state.CanEnter(priority, options, _time, first: true))
            {
                return state.Enter(this, priority, _time);
            }

            waiter = new Waiter(priority);
            waiter.Node = (priority == RequestPriority.Background ? state.Background : state.Interactive).AddLast(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(options.QueueTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (state)
            {
                if (waiter.Lease is null)
                {
                    waiter.Node!.List!.Remove(waiter.Node);
                }
            }

            // Granted at the moment it gave up: hand the slot on.
            waiter.Lease?.Dispose();
            if (e is OperationCanceledException)
            {
                throw;
            }

            Interlocked.Increment(ref state.Refused);
            throw QueueTimeout(org, priority, options);
        }
        finally
        {
            _queueWait.Record(_time.GetElapsedTime(started).TotalSeconds, PriorityTag(priority));
        }

        return waiter.Lease!;
    }

    private SalesforceException QueueTimeout(string org, RequestPriority priority, ApiGovernanceOptions options)
    {
        _throttled.Add(1, PriorityTag(priority), new KeyValuePair<string, object?>("salesforce.governance.reason", "queue_timeout"));
        GovernanceLog.QueueTimeout(_logger, org, priority, options.QueueTimeout);
        return new SalesforceException(
            $"Nothing was sent to Salesforce host {org}: the {(priority == RequestPriority.Background ? "background" : "interactive")} call waited "
            + $"{options.QueueTimeout.TotalSeconds:0.###} s for a free slot (ApiGovernanceOptions.QueueTimeout; MaxConcurrentRequests "
            + $"{options.MaxConcurrentRequests}, background {options.MaxConcurrentBackgroundRequests}, long-running {options.MaxConcurrentLongRunningRequests}).",
            null, isTransient: true)
        {
            ErrorCode = SalesforceError.Codes.QueueTimeout,
        };
    }

    private static KeyValuePair<string, object?> PriorityTag(RequestPriority priority) =>
        new("salesforce.priority", priority == RequestPriority.Background ? "background" : "interactive");

    private IEnumerable<Measurement<long>> ObserveQueued()
    {
        foreach (var (org, state) in _orgs)
        {
            int interactive, background;
            lock (state)
            {
                (interactive, background) = (state.Interactive.Count, state.Background.Count);
            }

            var host = new KeyValuePair<string, object?>("server.address", org);
            yield return new Measurement<long>(interactive, host, PriorityTag(RequestPriority.Interactive));
            yield return new Measurement<long>(background, host, PriorityTag(RequestPriority.Background));
        }
    }

    private IEnumerable<Measurement<long>> ObserveInFlight() =>
        _orgs.Select(p => new Measurement<long>(Volatile.Read(ref p.Value.InFlight), new KeyValuePair<string, object?>("server.address", p.Key)));

    private IEnumerable<Measurement<long>> ObserveRemaining()
    {
        foreach (var (org, state) in _orgs)
        {
            long used, max;
            lock (state)
            {
                (used, max) = (state.Used, state.Max);
            }

            if (max > 0)
            {
                yield return new Measurement<long>(Math.Max(0, max - used), new KeyValuePair<string, object?>("server.address", org));
            }
        }
    }

    /// <summary>One call's slot; disposing it frees the slot for the next waiter (and the first-call gate, when it held it).</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly OrgState _state;
        private readonly ApiGovernor _owner;
        private readonly LinkedListNode<long> _node;
        private readonly RequestPriority _priority;
        private int _disposed;
        private string? _sharedOrg;
        private string? _sharedId;

        public Lease(ApiGovernor owner, OrgState state, LinkedListNode<long> node, RequestPriority priority)
        {
            _owner = owner;
            _state = state;
            _node = node;
            _priority = priority;
        }

        /// <summary>Records the slot the call holds among the org's calls across instances, given back with the lease.</summary>
        public void Shared(string org, string id) => (_sharedOrg, _sharedId) = (org, id);

        /// <summary>True when this call is the first to the org and others wait for its answer.</summary>
        public bool Probe { get; set; }

        /// <summary>Called once the response was read: later calls need not wait for a first answer any more.</summary>
        public void Answered()
        {
            if (Probe)
            {
                Probe = false;
                Volatile.Write(ref _state.Probed, true);
                _state.ProbeGate.Release();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (Probe)
            {
                Probe = false;
                _state.ProbeGate.Release();
            }

            _state.Leave(_owner, _node, _priority);
            if (_sharedId is not null)
            {
                _ = _owner.LeaveSharedAsync(_sharedOrg!, _sharedId);
            }
        }
    }

    internal sealed class Waiter(RequestPriority priority)
    {
        public RequestPriority Priority { get; } = priority;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public Lease? Lease { get; set; }
    }

    /// <summary>One org's state in this process: the budget as last seen, the calls in flight (oldest first) and the queues.</summary>
    internal sealed class OrgState : IDisposable
    {
        public readonly LinkedList<long> Running = new();
        public readonly LinkedList<Waiter> Interactive = new();
        public readonly LinkedList<Waiter> Background = new();
        public readonly SemaphoreSlim ProbeGate = new(1, 1);
        public bool Probed;
        public int InFlight;
        public int BackgroundInFlight;
        public long Used;
        public long Max;
        public long NextBackground;
        public long LastExact;
        public bool Refreshing;
        public long Throttled;
        public long Refused;
        public long SharedWaits;

        public void Dispose() => ProbeGate.Dispose();

        /// <summary>Calls in flight longer than the threshold: the oldest first, so counting stops at the first younger one.</summary>
        public int LongRunning(long now, TimeSpan threshold, TimeProvider time)
        {
            var count = 0;
            for (var node = Running.First; node is not null && time.GetElapsedTime(node.Value, now) >= threshold; node = node.Next)
            {
                count++;
            }

            return count;
        }

        /// <summary>Whether a call of <paramref name="priority"/> may start now (under the lock).</summary>
        public bool CanEnter(RequestPriority priority, ApiGovernanceOptions options, TimeProvider time, bool first)
        {
            // A newcomer waits behind the queue of its priority, and background waits behind every interactive waiter.
            if (first && (Interactive.Count > 0 || (priority == RequestPriority.Background && Background.Count > 0)))
            {
                return false;
            }

            if (InFlight >= options.MaxConcurrentRequests
                || (priority == RequestPriority.Background && BackgroundInFlight >= options.MaxConcurrentBackgroundRequests))
            {
                return false;
            }

            return Running.Count < options.MaxConcurrentLongRunningRequests
                || LongRunning(time.GetTimestamp(), options.LongRunningThreshold, time) < options.MaxConcurrentLongRunningRequests;
        }

        /// <summary>Starts a call (under the lock).</summary>
        public Lease Enter(ApiGovernor owner, RequestPriority priority, TimeProvider time)
        {
            InFlight++;
            if (priority == RequestPriority.Background)
            {
                BackgroundInFlight++;
            }

            return new Lease(owner, this, Running.AddLast(time.GetTimestamp()), priority);
        }

        /// <summary>Ends a call and lets the next waiters in: interactive ones first.</summary>
        public void Leave(ApiGovernor owner, LinkedListNode<long> node, RequestPriority priority)
        {
            List<Waiter>? granted = null;
            lock (this)
            {
                Running.Remove(node);
                InFlight--;
                if (priority == RequestPriority.Background)
                {
                    BackgroundInFlight--;
                }

                var options = owner._options.CurrentValue;
                Admit(Interactive, owner, options, ref granted);
                Admit(Background, owner, options, ref granted);
            }

            if (granted is not null)
            {
                foreach (var waiter in granted)
                {
                    waiter.Granted.TrySetResult();
                }
            }
        }

        private void Admit(LinkedList<Waiter> queue, ApiGovernor owner, ApiGovernanceOptions options, ref List<Waiter>? granted)
        {
            while (queue.First is { } head && (queue == Background ? Interactive.Count == 0 : true)
                && CanEnter(head.Value.Priority, options, owner._time, first: false))
            {
                queue.RemoveFirst();
                head.Value.Lease = Enter(owner, head.Value.Priority, owner._time);
                (granted ??= []).Add(head.Value);
            }
        }
    }
}

/// <summary>One org's governance as <see cref="ApiGovernor.GetStatus"/> saw it.</summary>
public sealed class ApiGovernanceStatus
{
    internal ApiGovernanceStatus(string org, long used, long max, int inFlight, int longRunning, int queued, long throttled, long refused)
    {
        Org = org;
        Used = used;
        Max = max;
        InFlight = inFlight;
        LongRunning = longRunning;
        Queued = queued;
        Throttled = throttled;
        Refused = refused;
    }

    /// <summary>The org's key: its instance host (lower case).</summary>
    public string Org { get; }

    /// <summary>The calls of the last 24 hours the budget counts (Salesforce's report plus calls taken since).</summary>
    public long Used { get; }

    /// <summary>The org's daily allocation; 0 while no answer has told it.</summary>
    public long Max { get; }

    /// <summary>Calls left in the allocation; null while it is not known.</summary>
    public long? Remaining => Max > 0 ? Math.Max(0, Max - Used) : null;

    /// <summary>The share of the allocation left (0 to 1); null while it is not known.</summary>
    public double? RemainingShare => Max > 0 ? (double)Math.Max(0, Max - Used) / Max : null;

    /// <summary>Calls to the org in flight from this process.</summary>
    public int InFlight { get; }

    /// <summary>Of those, the ones in flight longer than <see cref="ApiGovernanceOptions.LongRunningThreshold"/>.</summary>
    public int LongRunning { get; }

    /// <summary>Calls waiting for a slot.</summary>
    public int Queued { get; }

    /// <summary>Background calls slowed down since the process started.</summary>
    public long Throttled { get; }

    /// <summary>Calls refused since the process started (<c>API_BUDGET_EXHAUSTED</c> or <c>QUEUE_TIMEOUT</c>).</summary>
    public long Refused { get; }
}

/// <summary>The governance's logs (event ids 26xx: HTTP area).</summary>
internal static partial class GovernanceLog
{
    [LoggerMessage(2601, LogLevel.Warning, "Refused a {Priority} call to Salesforce host {Org}: its API budget is used up ({Used} of {Max} calls).")]
    public static partial void BudgetExhausted(ILogger logger, string org, RequestPriority priority, long used, long max);

    [LoggerMessage(2602, LogLevel.Warning, "A {Priority} call to Salesforce host {Org} waited {Timeout} for a free slot and was refused.")]
    public static partial void QueueTimeout(ILogger logger, string org, RequestPriority priority, TimeSpan timeout);

    [LoggerMessage(2603, LogLevel.Warning, "The API budget store failed for Salesforce host {Org} ({Failure}).")]
    public static partial void StoreFailed(ILogger logger, string org, string failure);
}
