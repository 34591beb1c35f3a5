namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Where the analytics read their records: the org itself (<see cref="SalesforceSalesDataSource"/>, SOQL with the filters in
/// its WHERE clauses) or a copy of it, such as the PostgreSQL mirror of Atom.Salesforce.Client.Mirror (SQL with the filters
/// pushed down). Every implementation returns the same records for the same org and filter.
/// </summary>
public interface ISalesDataSource
{
    /// <summary>The records of the parts asked for, restricted by <paramref name="filter"/>.</summary>
    /// <param name="parts">Which objects to read.</param>
    /// <param name="filter">Which records; every record of the parts when null.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    Task<SalesData> LoadAsync(SalesDataParts parts, SalesDataFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The opportunities <paramref name="filter"/> selects and their stage history, in the org's active stage order
    /// (OpportunityStage), as <see cref="OpportunityLoader.LoadAsync"/> builds them.
    /// </summary>
    /// <param name="filter">Which opportunities; every one when null.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    Task<OpportunitySet> LoadOpportunitiesAsync(SalesDataFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The 18-character id (<c>00D…</c>) of the one org whose records this source holds, when it is a copy of an org (the
    /// PostgreSQL mirror answers with the org its writer loaded); null when it reads whichever org its client belongs to, or
    /// cannot tell (the default). The endpoint pack serves a user from a copy only when the user's org is this one, so a
    /// source that answers null is never used for a user. A source that wraps another forwards this call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<string?> GetOrganizationIdAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
