namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// An attempt (<see cref="SalesforceResilienceOptions.AttemptTimeout"/>) or a whole call
/// (<see cref="SalesforceResilienceOptions.TotalTimeout"/>) ran out of time. Internal: the connection maps it to a transient
/// <c>SalesforceException</c> saying the call timed out. An attempt timeout is retried for safe requests and counts against
/// the org's circuit breaker; the caller's own cancellation never becomes one.
/// </summary>
internal sealed class ResilienceTimeoutException(TimeSpan timeout, Exception? inner)
    : TimeoutException($"The Salesforce call did not finish within {timeout.TotalSeconds:0.###} s.", inner)
{
    /// <summary>The timeout that ran out.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
