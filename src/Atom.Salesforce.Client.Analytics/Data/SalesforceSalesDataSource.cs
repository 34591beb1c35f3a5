namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// The analytics' records read from the org with one SOQL query per object, the filter in its WHERE clause (so only the
/// records asked for cross the network), as <see cref="SalesDataLoader"/> reads them.
/// </summary>
/// <param name="client">The org's client: the records are those its user can see.</param>
public sealed class SalesforceSalesDataSource(SalesforceClient client) : ISalesDataSource
{
    private readonly SalesforceClient _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <inheritdoc />
    public Task<SalesData> LoadAsync(SalesDataParts parts, SalesDataFilter? filter = null, CancellationToken cancellationToken = default) =>
        SalesDataLoader.LoadAsync(_client, parts, filter, cancellationToken);

    /// <inheritdoc />
    public async Task<OpportunitySet> LoadOpportunitiesAsync(SalesDataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var data = await SalesDataLoader.LoadAsync(_client, SalesDataParts.Opportunities | SalesDataParts.OpportunityHistory, filter, cancellationToken).ConfigureAwait(false);
        var stages = await OpportunityLoader.LoadStagesAsync(_client, cancellationToken).ConfigureAwait(false);
        return OpportunitySet.Create(data.Opportunities, data.OpportunityHistory, stages);
    }
}
