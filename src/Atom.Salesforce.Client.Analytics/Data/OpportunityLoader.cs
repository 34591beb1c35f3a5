namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Loads an <see cref="OpportunitySet"/> from an org with two SOQL queries (Opportunity, then OpportunityHistory),
/// selecting only the fields the analytics read and streaming the results page by page.
/// </summary>
public static class OpportunityLoader
{
    /// <summary>The Opportunity query: the fields of <see cref="OpportunityRecord"/>.</summary>
    public const string OpportunityQuery =
        "SELECT Id, Name, AccountId, CampaignId, StageName, Amount, Probability, CloseDate, CreatedDate, IsClosed, IsWon, OwnerId, LeadSource, Type, ForecastCategoryName FROM Opportunity";

    /// <summary>The OpportunityHistory query: the fields of <see cref="OpportunityHistoryRecord"/>.</summary>
    public const string HistoryQuery = "SELECT OpportunityId, StageName, CloseDate, CreatedDate FROM OpportunityHistory";

    /// <summary>Loads every opportunity of the org and its stage history.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="stages">The stage picklist in order; null for <see cref="StageDefinition.SalesforceDefaults"/>.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static Task<OpportunitySet> LoadAsync(SalesforceClient client, IReadOnlyList<StageDefinition>? stages = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return OpportunitySet.CreateAsync(
            client.Query.QueryAsync<OpportunityRecord>(OpportunityQuery, cancellationToken),
            client.Query.QueryAsync<OpportunityHistoryRecord>(HistoryQuery, cancellationToken),
            stages,
            cancellationToken);
    }
}
