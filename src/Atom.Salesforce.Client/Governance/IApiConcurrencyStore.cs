namespace Atom.Salesforce.Client.Governance;

/// <summary>
/// Where the per-org concurrency caps are counted across every instance of an application, when
/// <see cref="ApiGovernanceOptions.ShareConcurrencyLimits"/> is set: the Redis budget store (<c>RedisApiBudgetStore</c>)
/// implements it. Without it each instance applies the caps to its own calls only. Keys are org hosts and random call ids,
/// never a token or a user.
/// </summary>
/// <remarks>Each method must be one atomic step on the shared state: two instances entering the last slot at once must not both get it.</remarks>
public interface IApiConcurrencyStore
{
    /// <summary>
    /// Enters one call into the org's calls in flight, atomically: granted when, across every instance, fewer than
    /// <paramref name="maxInFlight"/> calls are in flight and fewer than <paramref name="maxLongRunning"/> of them have been in
    /// flight for <paramref name="longRunningThreshold"/> or longer.
    /// </summary>
    /// <param name="org">The org's key (its instance host, lower case).</param>
    /// <param name="callId">The call's id, unique across instances; <see cref="LeaveAsync"/> takes it back.</param>
    /// <param name="maxInFlight">The most calls in flight across instances, this one included.</param>
    /// <param name="maxLongRunning">The most long-running calls in flight before new calls wait.</param>
    /// <param name="longRunningThreshold">When a call in flight counts as long-running.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>True when the call entered and may be sent.</returns>
    ValueTask<bool> TryEnterAsync(
        string org, string callId, int maxInFlight, int maxLongRunning, TimeSpan longRunningThreshold, CancellationToken cancellationToken = default);

    /// <summary>Ends a call <see cref="TryEnterAsync"/> let in (nothing when it is not in flight).</summary>
    /// <param name="org">The org's key.</param>
    /// <param name="callId">The call's id.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    ValueTask LeaveAsync(string org, string callId, CancellationToken cancellationToken = default);
}
