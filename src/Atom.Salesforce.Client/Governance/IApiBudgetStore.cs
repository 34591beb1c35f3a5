using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Governance;

/// <summary>
/// Where the per-org API budget is counted: in memory for one process (<see cref="InMemoryApiBudgetStore"/>, the default), or
/// shared by every instance of an application (Redis: <c>Atom.Salesforce.Client.Redis</c>; PostgreSQL:
/// <c>Atom.Salesforce.Client.Postgres</c>). An org's budget is the allocation and the calls used, as Salesforce reports them in
/// <c>Sforce-Limit-Info</c> and <c>/limits</c>, plus one for every call taken since. Keys are org hosts, never a token.
/// </summary>
/// <remarks>
/// Implementations must make each method one atomic step on the shared state: two processes taking the last call at once
/// must not both get it.
/// </remarks>
public interface IApiBudgetStore
{
    /// <summary>
    /// Takes one call from the org's budget, atomically: granted when the allocation is not known yet (nothing reported so
    /// far), or when after it more than <paramref name="reservePartsPerMillion"/> millionths of the allocation (rounded up)
    /// would be left, that is <c>used + 1 &lt;= max - ceil(max * reserve / 1,000,000)</c>. A granted call counts as used.
    /// </summary>
    /// <param name="org">The org's key (its instance host, lower case).</param>
    /// <param name="reservePartsPerMillion">The share of the allocation that must stay unused, in millionths (0 to 1,000,000).</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>Whether the call was granted, and the budget after it (<see cref="ApiBudgetTake.Max"/> 0 when not known).</returns>
    ValueTask<ApiBudgetTake> TryTakeAsync(string org, int reservePartsPerMillion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records what Salesforce reported: the allocation always; the calls used when <paramref name="exact"/> (a <c>/limits</c>
    /// answer, which may be lower as the 24-hour window moves on), else only when more than the store counts (calls made by
    /// other clients of the org), so that calls taken and still in flight are never forgotten.
    /// </summary>
    /// <param name="org">The org's key (its instance host, lower case).</param>
    /// <param name="usage">The calls used and the allocation Salesforce reported.</param>
    /// <param name="exact">True to set the calls used as reported, false to only raise them.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>The budget as the store now holds it.</returns>
    ValueTask<ApiUsage> ObserveAsync(string org, ApiUsage usage, bool exact, CancellationToken cancellationToken = default);
}

/// <summary>The answer of <see cref="IApiBudgetStore.TryTakeAsync"/>.</summary>
/// <param name="Granted">True when the call was taken from the budget and may be sent.</param>
/// <param name="Used">The calls the budget counts as used, the granted one included.</param>
/// <param name="Max">The org's daily allocation; 0 while not known.</param>
public readonly record struct ApiBudgetTake(bool Granted, long Used, long Max);

/// <summary>
/// The default <see cref="IApiBudgetStore"/>: the budget of each org in this process's memory. Right for one instance; with
/// several, use the Redis or PostgreSQL store so that they share one budget.
/// </summary>
public sealed class InMemoryApiBudgetStore : IApiBudgetStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ApiBudgetTake> TryTakeAsync(string org, int reservePartsPerMillion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        ArgumentOutOfRangeException.ThrowIfNegative(reservePartsPerMillion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reservePartsPerMillion, 1_000_000);
        var budget = _budgets.GetOrAdd(org, static _ => new Budget());
        lock (budget)
        {
            if (budget.Max > 0 && budget.Used + 1 > budget.Max - Reserve(budget.Max, reservePartsPerMillion))
            {
                return new(new ApiBudgetTake(false, budget.Used, budget.Max));
            }

            budget.Used++;
            return new(new ApiBudgetTake(true, budget.Used, budget.Max));
        }
    }

    /// <inheritdoc />
    public ValueTask<ApiUsage> ObserveAsync(string org, ApiUsage usage, bool exact, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        var budget = _budgets.GetOrAdd(org, static _ => new Budget());
        lock (budget)
        {
            budget.Used = exact ? usage.Used : Math.Max(budget.Used, usage.Used);
            budget.Max = usage.Max;
            return new(new ApiUsage(budget.Used, budget.Max));
        }
    }

    /// <summary><c>ceil(max * partsPerMillion / 1,000,000)</c> in integers, as every store computes it.</summary>
    internal static long Reserve(long max, int partsPerMillion) => ((max * partsPerMillion) + 999_999) / 1_000_000;

    private sealed class Budget
    {
        public long Used;
        public long Max;
    }
}
