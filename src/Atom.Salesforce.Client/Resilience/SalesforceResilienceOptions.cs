using System.ComponentModel.DataAnnotations;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// Retries and timeouts. Only requests that are safe to repeat (GET, HEAD, DELETE) are retried, on 429, 502, 503, 504,
/// network failures and attempt timeouts; <c>Retry-After</c> is honoured. POST and PATCH are never repeated blindly,
/// because Salesforce has no idempotency key and a repeated create makes a duplicate.
/// </summary>
public sealed class SalesforceResilienceOptions
{
    /// <summary>How many times a failed safe request is tried again (0 turns retries off). Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts, including one asked for by <c>Retry-After</c>. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may wait for response headers. Default 2 minutes (Salesforce lets a query run 120 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a call may take with all its attempts and delays. Default 5 minutes.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
