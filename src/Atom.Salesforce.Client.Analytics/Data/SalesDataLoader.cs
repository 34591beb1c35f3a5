namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Loads a <see cref="SalesData"/> from an org: one SOQL query per object asked for, selecting only the fields of its
/// record type, all running at once and streaming page by page (2,000 rows a call).
/// </summary>
public static class SalesDataLoader
{
    internal const string LeadQuery =
        "SELECT Id, FirstName, LastName, Company, Title, Email, Phone, Status, LeadSource, Rating, Industry, AnnualRevenue, " +
        "NumberOfEmployees, City, State, Country, IsConverted, ConvertedDate, ConvertedAccountId, ConvertedContactId, " +
        "ConvertedOpportunityId, OwnerId, CreatedDate, LastModifiedDate FROM Lead";

    internal const string AccountQuery =
        "SELECT Id, Name, Type, Industry, AnnualRevenue, NumberOfEmployees, Phone, Website, BillingCity, BillingState, " +
        "BillingPostalCode, BillingCountry, ParentId, OwnerId, CreatedDate FROM Account";

    internal const string ContactQuery =
        "SELECT Id, AccountId, FirstName, LastName, Email, Phone, MobilePhone, Title, LeadSource, HasOptedOutOfEmail, " +
        "DoNotCall, MailingCity, MailingCountry, OwnerId, CreatedDate FROM Contact";

    internal const string TaskQuery =
        "SELECT Id, Subject, Type, WhoId, WhatId, AccountId, ActivityDate, Status, IsClosed, OwnerId, CreatedDate FROM Task";

    internal const string EventQuery =
        "SELECT Id, Subject, Type, WhoId, WhatId, AccountId, ActivityDate, OwnerId, CreatedDate FROM Event";

    internal const string CampaignQuery =
        "SELECT Id, Name, Type, Status, StartDate, EndDate, BudgetedCost, ActualCost FROM Campaign";

    internal const string CampaignMemberQuery =
        "SELECT Id, CampaignId, LeadId, ContactId, Status, HasResponded, CreatedDate FROM CampaignMember";

    internal const string UserQuery = "SELECT Id, Name, ManagerId, Department, Title, IsActive, UserRoleId FROM User";

    internal const string UserRoleQuery = "SELECT Id, Name, ParentRoleId FROM UserRole";

    /// <summary>Every part a load may ask for.</summary>
    internal const SalesDataParts Known = SalesDataParts.All | SalesDataParts.UserRoles;

    /// <summary>Loads the parts asked for.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="parts">Which objects to read.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> holds unknown bits.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The filter is the only difference and has no default in the overload that takes it, so no call is ambiguous.")]
    public static Task<SalesData> LoadAsync(SalesforceClient client, SalesDataParts parts, CancellationToken cancellationToken = default) =>
        LoadAsync(client, parts, filter: null, cancellationToken);

    /// <summary>Loads the parts asked for, restricted by <paramref name="filter"/> in each query's WHERE clause.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="parts">Which objects to read.</param>
    /// <param name="filter">Which records (see <see cref="SalesDataFilter"/>); every record when null.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> holds unknown bits.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The filter is the only difference and has no default in the overload that takes it, so no call is ambiguous.")]
    public static async Task<SalesData> LoadAsync(SalesforceClient client, SalesDataParts parts, SalesDataFilter? filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if ((parts & ~Known) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, "Unknown SalesDataParts bits.");
        }

        // History follows the opportunities a filter selects: read them too (then drop them if they were not asked for).
        var opportunityFilter = filter is null ? null : filter.SoqlConditions("Opportunity");
        var historyParts = !string.IsNullOrEmpty(opportunityFilter) && (parts & SalesDataParts.OpportunityHistory) != 0 ? parts | SalesDataParts.Opportunities : parts;
        var opportunities = Read<OpportunityRecord>(client, historyParts, SalesDataParts.Opportunities, Where(OpportunityLoader.OpportunityQuery, "Opportunity", filter), cancellationToken);
        var history = Read<OpportunityHistoryRecord>(client, parts, SalesDataParts.OpportunityHistory, OpportunityLoader.HistoryQuery, cancellationToken);
        var leads = Read<LeadRecord>(client, parts, SalesDataParts.Leads, Where(LeadQuery, "Lead", filter), cancellationToken);
        var accounts = Read<AccountRecord>(client, parts, SalesDataParts.Accounts, Where(AccountQuery, "Account", filter), cancellationToken);
        var contacts = Read<ContactRecord>(client, parts, SalesDataParts.Contacts, Where(ContactQuery, "Contact", filter), cancellationToken);
        var tasks = Read<ActivityRecord>(client, parts, SalesDataParts.Activities, Where(TaskQuery, "Task", filter), cancellationToken);
        var events = Read<ActivityRecord>(client, parts, SalesDataParts.Activities, Where(EventQuery, "Event", filter), cancellationToken);
        var campaigns = Read<CampaignRecord>(client, parts, SalesDataParts.Campaigns, CampaignQuery, cancellationToken);
        var members = Read<CampaignMemberRecord>(client, parts, SalesDataParts.Campaigns, Where(CampaignMemberQuery, "CampaignMember", filter), cancellationToken);
        var users = Read<UserRecord>(client, parts, SalesDataParts.Users, UserQuery, cancellationToken);
        var roles = Read<UserRoleRecord>(client, parts, SalesDataParts.UserRoles, UserRoleQuery, cancellationToken);
        await Task.WhenAll(opportunities, history, leads, accounts, contacts, tasks, events, campaigns, members, users, roles).ConfigureAwait(false);
        IReadOnlyList<OpportunityHistoryRecord> historyRows = history.Result;
        if (!string.IsNullOrEmpty(opportunityFilter))
        {
            var selected = opportunities.Result.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            historyRows = [.. history.Result.Where(h => selected.Contains(h.OpportunityId))];
        }

        var activities = new List<ActivityRecord>((await tasks.ConfigureAwait(false)).Count + (await events.ConfigureAwait(false)).Count);
        activities.AddRange(tasks.Result.Select(t => t with { Kind = ActivityKind.Task }));
        activities.AddRange(events.Result.Select(e => e with { Kind = ActivityKind.Event, IsClosed = false }));
        return new SalesData
        {
            Opportunities = (parts & SalesDataParts.Opportunities) != 0 ? opportunities.Result : [],
            OpportunityHistory = historyRows,
            Leads = leads.Result,
            Accounts = accounts.Result,
            Contacts = contacts.Result,
            Activities = activities,
            Campaigns = campaigns.Result,
            CampaignMembers = members.Result,
            Users = users.Result,
            UserRoles = roles.Result,
        };
    }

    private static string Where(string query, string sObject, SalesDataFilter? filter) =>
        filter?.SoqlConditions(sObject) is { Length: > 0 } conditions ? query + " WHERE " + conditions : query;

    private static async Task<List<T>> Read<T>(SalesforceClient client, SalesDataParts parts, SalesDataParts part, string soql, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        if ((parts & part) == 0)
        {
            return rows;
        }

        // An analytics load is background work for the API governance (AddApiGovernance): throttled before user calls are.
        await foreach (var row in client.Query.QueryAsync<T>(soql, OpportunityLoader.BackgroundLoad, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }
}
