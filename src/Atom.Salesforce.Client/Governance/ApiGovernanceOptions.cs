using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Governance;

/// <summary>
/// The per-org API budget, priorities and concurrency caps of <c>AddApiGovernance()</c>. Every connected app of the container
/// shares them; the budget and the caps are kept per org (the instance host a call goes to). Validated when the host starts.
/// </summary>
public sealed class ApiGovernanceOptions
{
    /// <summary>
    /// Below this share of the org's daily allocation left (Salesforce's <c>api-usage</c>), background calls are spaced out:
    /// the wait between two of them grows from nothing at this threshold to <see cref="BackgroundMaxDelay"/> at
    /// <see cref="BackgroundStopThreshold"/>. Default 0.20 (20 %).
    /// </summary>
    public double BackgroundSlowdownThreshold { get; set; } = 0.20;

    /// <summary>
    /// At or below this share of the daily allocation left, background calls are refused (<c>API_BUDGET_EXHAUSTED</c>) so
    /// that what is left serves interactive calls. Default 0.05 (5 %).
    /// </summary>
    public double BackgroundStopThreshold { get; set; } = 0.05;

    /// <summary>
    /// The hard reserve: at or below this share of the daily allocation left, interactive calls are refused too
    /// (<c>API_BUDGET_EXHAUSTED</c>), so that the org never reaches Salesforce's own <c>REQUEST_LIMIT_EXCEEDED</c>. 0 lets
    /// interactive calls use the allocation to the last call. Default 0.01 (1 %).
    /// </summary>
    public double InteractiveReserve { get; set; } = 0.01;

    /// <summary>The longest wait between two background calls of one org in this process (see <see cref="BackgroundSlowdownThreshold"/>). Default 2 s.</summary>
    public TimeSpan BackgroundMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests to one org in flight at once from this process; more wait in a queue, interactive ones first. Default 25.</summary>
    public int MaxConcurrentRequests { get; set; } = 25;

    /// <summary>
    /// Background requests to one org in flight at once from this process (at most <see cref="MaxConcurrentRequests"/>), so that
    /// background work always leaves room for interactive calls. Default 10.
    /// </summary>
    public int MaxConcurrentBackgroundRequests { get; set; } = 10;

    /// <summary>
    /// Long-running requests (in flight longer than <see cref="LongRunningThreshold"/>) to one org from this process: while
    /// this many are running, new requests wait. Salesforce refuses new requests (<c>REQUEST_LIMIT_EXCEEDED</c>,
    /// <c>ConcurrentPerOrgLongTxn Limit exceeded</c>) while 25 requests of a production org (5 of a Developer Edition or
    /// trial org) have been running longer than 20 seconds; keep this below that, divided among the processes sharing the
    /// org. At most <see cref="MaxConcurrentRequests"/>. Default 10.
    /// </summary>
    public int MaxConcurrentLongRunningRequests { get; set; } = 10;

    /// <summary>
    /// True to apply <see cref="MaxConcurrentRequests"/>, <see cref="MaxConcurrentLongRunningRequests"/> and (as the most calls
    /// of any priority in flight when a background call may enter) <see cref="MaxConcurrentBackgroundRequests"/> to every
    /// instance together, per org, through the budget store (it must implement <see cref="IApiConcurrencyStore"/>: the Redis
    /// store does). A call then waits for its turn in this process's queue first (interactive first), then for a shared slot,
    /// both within <see cref="QueueTimeout"/>. Costs two store round trips per call. Default false: each instance applies the
    /// caps to its own calls (set them to the org's limits divided by the instances).
    /// </summary>
    public bool ShareConcurrencyLimits { get; set; }

    /// <summary>When a request in flight counts as long-running: Salesforce's 20 seconds by default.</summary>
    public TimeSpan LongRunningThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest a request waits for a free slot (or, in the background, for its turn) before it fails with
    /// <c>QUEUE_TIMEOUT</c>. Default 30 s.
    /// </summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the budget may go without an exact count before the governance asks Salesforce's <c>/limits</c> itself.
    /// <c>Sforce-Limit-Info</c> only ever raises the count (a call still in flight must not be forgotten), so the calls that leave
    /// the rolling 24-hour window are seen only in a <c>/limits</c> answer: without one, background work stopped at
    /// <see cref="BackgroundStopThreshold"/> would stay stopped. While less than <see cref="BackgroundSlowdownThreshold"/> of
    /// the allocation is left and no <c>/limits</c> answer (the application's own included) has come for this long, the next
    /// call to the org first sends <c>GET /services/data/vXX.X/limits</c> with the same session (one API call, taken from the
    /// budget down to the last call). <see cref="Timeout.InfiniteTimeSpan"/> turns it off. Default 5 minutes.
    /// </summary>
    public TimeSpan LimitsRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The share as parts per million, rounded up (what <see cref="IApiBudgetStore.TryTakeAsync"/> takes).</summary>
    internal static int ToPartsPerMillion(double share) => (int)Math.Ceiling(Math.Round(share * 1_000_000, 6));
}

/// <summary>Checks <see cref="ApiGovernanceOptions"/> when the host starts.</summary>
internal sealed class ApiGovernanceOptionsValidator : IValidateOptions<ApiGovernanceOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiGovernanceOptions options)
    {
        var failures = new List<string>();
        static bool IsShare(double value) => value is >= 0 and <= 1;
        if (!IsShare(options.BackgroundSlowdownThreshold))
        {
            failures.Add($"ApiGovernance: BackgroundSlowdownThreshold must be a share from 0 to 1; got {options.BackgroundSlowdownThreshold}.");
        }

        if (!IsShare(options.BackgroundStopThreshold))
        {
            failures.Add($"ApiGovernance: BackgroundStopThreshold must be a share from 0 to 1; got {options.BackgroundStopThreshold}.");
        }

        if (!IsShare(options.InteractiveReserve))
        {
            failures.Add($"ApiGovernance: InteractiveReserve must be a share from 0 to 1; got {options.InteractiveReserve}.");
        }

        if (options.BackgroundStopThreshold > options.BackgroundSlowdownThreshold)
        {
            failures.Add("ApiGovernance: BackgroundStopThreshold must not be above BackgroundSlowdownThreshold (background work slows down before it stops).");
        }

        if (options.InteractiveReserve > options.BackgroundStopThreshold)
        {
            failures.Add("ApiGovernance: InteractiveReserve must not be above BackgroundStopThreshold (background work stops before interactive calls do).");
        }

        if (options.BackgroundMaxDelay < TimeSpan.Zero)
        {
            failures.Add("ApiGovernance: BackgroundMaxDelay must not be negative.");
        }

        if (options.MaxConcurrentRequests < 1)
        {
            failures.Add($"ApiGovernance: MaxConcurrentRequests must be at least 1; got {options.MaxConcurrentRequests}.");
        }

        if (options.MaxConcurrentBackgroundRequests < 1 || options.MaxConcurrentBackgroundRequests > options.MaxConcurrentRequests)
        {
            failures.Add($"ApiGovernance: MaxConcurrentBackgroundRequests must be from 1 to MaxConcurrentRequests ({options.MaxConcurrentRequests}); got {options.MaxConcurrentBackgroundRequests}.");
        }

        if (options.MaxConcurrentLongRunningRequests < 1 || options.MaxConcurrentLongRunningRequests > options.MaxConcurrentRequests)
        {
            failures.Add($"ApiGovernance: MaxConcurrentLongRunningRequests must be from 1 to MaxConcurrentRequests ({options.MaxConcurrentRequests}); got {options.MaxConcurrentLongRunningRequests}.");
        }

        if (options.LongRunningThreshold <= TimeSpan.Zero)
        {
            failures.Add("ApiGovernance: LongRunningThreshold must be positive.");
        }

        if (options.QueueTimeout <= TimeSpan.Zero)
        {
            failures.Add("ApiGovernance: QueueTimeout must be positive.");
        }

        if (options.LimitsRefreshInterval <= TimeSpan.Zero && options.LimitsRefreshInterval != Timeout.InfiniteTimeSpan)
        {
            failures.Add("ApiGovernance: LimitsRefreshInterval must be positive (Timeout.InfiniteTimeSpan turns the refresh off).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks at start that <see cref="ApiGovernanceOptions.ShareConcurrencyLimits"/> has a store that can share them.</summary>
internal sealed class SharedConcurrencyValidator(IServiceProvider services) : IValidateOptions<ApiGovernanceOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiGovernanceOptions options) =>
        options.ShareConcurrencyLimits && services.GetService(typeof(IApiBudgetStore)) is { } store and not IApiConcurrencyStore
            ? ValidateOptionsResult.Fail(
                $"ApiGovernance: ShareConcurrencyLimits needs a budget store that also counts calls in flight (IApiConcurrencyStore, as AddRedisApiBudget registers); {store.GetType().Name} does not.")
            : ValidateOptionsResult.Success;
}
