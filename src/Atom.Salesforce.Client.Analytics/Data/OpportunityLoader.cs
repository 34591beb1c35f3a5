using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Loads an <see cref="OpportunitySet"/> from an org: the stage picklist (OpportunityStage), then Opportunity, then
/// OpportunityHistory, selecting only the fields the analytics read and streaming the results page by page, through the REST
/// query API or, for large orgs, Bulk API 2.0 query jobs (<see cref="OpportunityLoadOptions.UseBulkApi"/>).
/// </summary>
public static class OpportunityLoader
{
    /// <summary>The Opportunity query: the fields of <see cref="OpportunityRecord"/>.</summary>
    public const string OpportunityQuery =
        "SELECT Id, Name, AccountId, CampaignId, StageName, Amount, Probability, CloseDate, CreatedDate, IsClosed, IsWon, OwnerId, LeadSource, Type, ForecastCategoryName FROM Opportunity";

    /// <summary>The OpportunityHistory query: the fields of <see cref="OpportunityHistoryRecord"/>.</summary>
    public const string HistoryQuery = "SELECT OpportunityId, StageName, Amount, Probability, CloseDate, CreatedDate FROM OpportunityHistory";

    /// <summary>The OpportunityStage query: the active stages in the org's order.</summary>
    public const string StageQuery =
        "SELECT ApiName, MasterLabel, IsClosed, IsWon, SortOrder, DefaultProbability, ForecastCategoryName FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder";

    // Orgs on API versions before OpportunityStage.ApiName existed: the label is the name there.
    private const string StageQueryWithoutApiName =
        "SELECT MasterLabel, IsClosed, IsWon, SortOrder, DefaultProbability, ForecastCategoryName FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder";

    /// <summary>
    /// The query options of analytics loads: background priority for the API governance (<c>AddApiGovernance()</c>), so that
    /// loads are throttled and stopped before calls made for a waiting user.
    /// </summary>
    internal static readonly Atom.Salesforce.Client.Query.QueryOptions BackgroundLoad = new() { Priority = Atom.Salesforce.Client.Governance.RequestPriority.Background };

    /// <summary>
    /// Loads every opportunity of the org and its stage history, in the stage order of <see cref="OpportunityLoadOptions.Stages"/>
    /// or, when none are given, of the org's OpportunityStage (<see cref="LoadStagesAsync"/>): three queries with the REST query
    /// API by default, or one REST query and two Bulk API 2.0 query jobs.
    /// </summary>
    /// <param name="client">The org's client.</param>
    /// <param name="options">The stages, and whether to read through Bulk API 2.0; null for the org's stages over REST.</param>
    /// <param name="cancellationToken">Cancels the queries; a Bulk job already started keeps running in Salesforce.</param>
    /// <exception cref="ArgumentOutOfRangeException">The Bulk options are invalid.</exception>
    public static async Task<OpportunitySet> LoadAsync(SalesforceClient client, OpportunityLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new OpportunityLoadOptions();
        // The record streams first: the Bulk ones check their options here, before any call; none runs until read.
        var opportunities = options.UseBulkApi
            ? (IAsyncEnumerable<OpportunityRecord>)client.Bulk.QueryAsync<OpportunityRecord>(OpportunityQuery, options.BulkQueryOptions, cancellationToken: cancellationToken)
            : client.Query.QueryAsync<OpportunityRecord>(OpportunityQuery, BackgroundLoad, cancellationToken);
        var history = options.UseBulkApi
            ? (IAsyncEnumerable<OpportunityHistoryRecord>)client.Bulk.QueryAsync<OpportunityHistoryRecord>(HistoryQuery, options.BulkQueryOptions, cancellationToken: cancellationToken)
            : client.Query.QueryAsync<OpportunityHistoryRecord>(HistoryQuery, BackgroundLoad, cancellationToken);
        var stages = options.Stages ?? await LoadStagesAsync(client, cancellationToken).ConfigureAwait(false);
        return await OpportunitySet.CreateAsync(opportunities, history, stages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The org's active opportunity stages in their order (OpportunityStage, by SortOrder), named by ApiName (MasterLabel on
    /// orgs without it), with their closed and won flags, default probability and forecast category. When the org does not
    /// expose OpportunityStage (INVALID_TYPE or NOT_FOUND), or has no active stage, returns <see cref="StageDefinition.SalesforceDefaults"/>.
    /// </summary>
    /// <param name="client">The org's client.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public static async Task<IReadOnlyList<StageDefinition>> LoadStagesAsync(SalesforceClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        List<OpportunityStageRecord> rows;
        try
        {
            rows = await ReadStagesAsync(client, StageQuery, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException e) when (e.ErrorCode == SalesforceError.Codes.InvalidField)
        {
            rows = await ReadStagesOrNoneAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException e) when (IsNotExposed(e))
        {
            return StageDefinition.SalesforceDefaults;
        }

        var stages = new List<StageDefinition>(rows.Count);
        foreach (var row in rows)
        {
            var name = string.IsNullOrEmpty(row.ApiName) ? row.MasterLabel : row.ApiName;
            if (!string.IsNullOrEmpty(name))
            {
                stages.Add(new StageDefinition
                {
                    Name = name,
                    IsClosed = row.IsClosed,
                    IsWon = row.IsWon,
                    DefaultProbability = row.DefaultProbability,
                    ForecastCategoryName = row.ForecastCategoryName,
                });
            }
        }

        return stages.Count == 0 ? StageDefinition.SalesforceDefaults : stages;
    }

    private static async Task<List<OpportunityStageRecord>> ReadStagesOrNoneAsync(SalesforceClient client, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadStagesAsync(client, StageQueryWithoutApiName, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException e) when (IsNotExposed(e))
        {
            return [];
        }
    }

    private static async Task<List<OpportunityStageRecord>> ReadStagesAsync(SalesforceClient client, string soql, CancellationToken cancellationToken)
    {
        var rows = new List<OpportunityStageRecord>();
        await foreach (var row in client.Query.QueryAsync<OpportunityStageRecord>(soql, BackgroundLoad, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static bool IsNotExposed(SalesforceApiException e) => e.ErrorCode is "INVALID_TYPE" or SalesforceError.Codes.NotFound;

    /// <summary>One OpportunityStage row, named as in Salesforce.</summary>
    internal sealed class OpportunityStageRecord
    {
        public string? ApiName { get; set; }

        public string? MasterLabel { get; set; }

        public bool IsClosed { get; set; }

        public bool IsWon { get; set; }

        public double? SortOrder { get; set; }

        public double? DefaultProbability { get; set; }

        public string? ForecastCategoryName { get; set; }
    }
}

/// <summary>How <see cref="OpportunityLoader"/> reads an org.</summary>
public sealed class OpportunityLoadOptions
{
    /// <summary>The stage picklist in order; null (the default) to read it from the org's OpportunityStage.</summary>
    public IReadOnlyList<StageDefinition>? Stages { get; init; }

    /// <summary>
    /// True to read Opportunity and OpportunityHistory through Bulk API 2.0 query jobs (two jobs, CSV result pages) instead of
    /// the REST query API: fewer API calls for orgs with hundreds of thousands of records, at the cost of job start-up and
    /// polling. The stage picklist is always one REST query. False by default.
    /// </summary>
    public bool UseBulkApi { get; init; }

    /// <summary>Polling, page size and timeout of the Bulk jobs; the SDK's defaults when null.</summary>
    public BulkQueryOptions? BulkQueryOptions { get; init; }
}
