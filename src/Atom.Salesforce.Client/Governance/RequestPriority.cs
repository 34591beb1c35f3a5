namespace Atom.Salesforce.Client.Governance;

/// <summary>
/// Which calls go first when the org's API allocation or its concurrent-request limits run short (with
/// <c>AddApiGovernance()</c>). Without governance registered the priority has no effect.
/// </summary>
public enum RequestPriority
{
    /// <summary>
    /// A call made for a user who is waiting: queued ahead of background calls, never slowed by the budget and refused only
    /// when the org's remaining allocation reaches the hard reserve (<see cref="ApiGovernanceOptions.InteractiveReserve"/>).
    /// The default of REST calls (records, queries, composite, Apex REST).
    /// </summary>
    Interactive = 0,

    /// <summary>
    /// Work nobody waits on (Bulk API 2.0 jobs, analytics loads, mirroring): at most
    /// <see cref="ApiGovernanceOptions.MaxConcurrentBackgroundRequests"/> at once, spaced out as the remaining allocation falls
    /// below <see cref="ApiGovernanceOptions.BackgroundSlowdownThreshold"/>, refused below
    /// <see cref="ApiGovernanceOptions.BackgroundStopThreshold"/>. The default of Bulk API 2.0 calls.
    /// </summary>
    Background = 1,
}

/// <summary>
/// Sets the <see cref="RequestPriority"/> of every Salesforce call made inside a scope (the current async flow), for calls
/// whose own options have no priority: <c>using (RequestPriorityScope.Begin(RequestPriority.Background)) { ... }</c>.
/// A per-call priority (<c>QueryOptions.Priority</c>, <c>SaveOptions.Priority</c>, <c>BulkJobOptions.Priority</c>,
/// <c>ApexRequestOptions.Priority</c>) wins over the scope inside its own call.
/// </summary>
public static class RequestPriorityScope
{
    private static readonly AsyncLocal<RequestPriority?> Ambient = new();

    /// <summary>The priority set by the innermost scope of the current async flow; null outside any scope.</summary>
    public static RequestPriority? Current => Ambient.Value;

    /// <summary>Sets <paramref name="priority"/> until the returned scope is disposed (then the outer scope's applies again).</summary>
    /// <param name="priority">The priority of the calls made inside the scope.</param>
    public static IDisposable Begin(RequestPriority priority)
    {
        if (priority is not (RequestPriority.Interactive or RequestPriority.Background))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "A request priority is Interactive or Background.");
        }

        var scope = new Scope(Ambient.Value);
        Ambient.Value = priority;
        return scope;
    }

    /// <summary>Sets the ambient priority for the rest of the calling async method when <paramref name="priority"/> is set.</summary>
    internal static void Set(RequestPriority? priority)
    {
        if (priority is { } value)
        {
            Ambient.Value = value;
        }
    }

    private sealed class Scope(RequestPriority? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Ambient.Value = previous;
            }
        }
    }
}
