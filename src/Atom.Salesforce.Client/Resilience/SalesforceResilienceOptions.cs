using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// Retries, timeouts and the circuit breaker. Only requests that are safe to repeat (GET, HEAD, DELETE) are retried, on 429,
/// 502, 503, 504, network failures and attempt timeouts; <c>Retry-After</c> is honoured. POST and PATCH are never repeated
/// blindly, because Salesforce has no idempotency key and a repeated create makes a duplicate. Validated when the host starts
/// and reloadable: when the configuration changes, the next request runs with the new settings, without a restart.
/// </summary>
public sealed class SalesforceResilienceOptions
{
    /// <summary>How many times a failed safe request is tried again (0 turns retries off). Default 3; at most 10.</summary>
    [Range(0, 10, ErrorMessage = "Resilience:MaxRetryAttempts must be between 0 and 10.")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts, including one asked for by <c>Retry-After</c>. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may wait for response headers. Default 2 minutes (Salesforce lets a query run 120 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a call may take with all its attempts and delays. Default 5 minutes.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The circuit breaker kept for each org host (instance URL authority).</summary>
    [ValidateObjectMembers]
    public SalesforceCircuitBreakerOptions CircuitBreaker { get; set; } = new();
}

/// <summary>
/// One circuit breaker per org host (the instance URL's scheme, host and port): when too many attempts to one org fail for
/// transient reasons, the SDK stops sending to that org for <see cref="BreakDuration"/> and fails calls at once with a
/// <c>SalesforceException</c> whose <c>ErrorCode</c> is <c>CIRCUIT_OPEN</c>; other orgs are not affected. Then one trial
/// request goes through (half-open): success closes the breaker, failure opens it again. Only transient failures count —
/// network failures, 429, 500, 502, 503 and 504 — never Salesforce's business errors (400, 401, 403, 404, 409, ...).
/// </summary>
public sealed class SalesforceCircuitBreakerOptions
{
    /// <summary>Turns the breaker off when false. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The share of failed attempts within <see cref="SamplingDuration"/> that opens the breaker, between 0 (exclusive) and 1.
    /// Default 0.5: half of the attempts to one org failed.
    /// </summary>
    [Range(0.01, 1.0, ErrorMessage = "Resilience:CircuitBreaker:FailureRatio must be between 0.01 and 1.")]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// How many attempts to one org must be seen within <see cref="SamplingDuration"/> before the ratio can open the breaker,
    /// so that a quiet org is not cut off by two failures. Default 20; at least 2.
    /// </summary>
    [Range(2, int.MaxValue, ErrorMessage = "Resilience:CircuitBreaker:MinimumThroughput must be at least 2.")]
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>The window over which failures are counted. Default 30 seconds; between 0.5 seconds and 24 hours.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before a trial request. Default 15 seconds; between 0.5 seconds and 24 hours.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
