using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>Everything the report reads from the org, loaded once, one object at a time with its progress.</summary>
/// <param name="Data">The records.</param>
/// <param name="Stages">The org's opportunity stages in order.</param>
public sealed record OrgData(SalesData Data, IReadOnlyList<StageDefinition> Stages)
{
    /// <summary>Opportunity names by id.</summary>
    public IReadOnlyDictionary<string, string> OpportunityNames { get; } =
        Data.Opportunities.Where(o => o.Name is not null).ToDictionary(o => o.Id, o => o.Name!, StringComparer.Ordinal);

    /// <summary>User names by id.</summary>
    public IReadOnlyDictionary<string, string> UserNames { get; } =
        Data.Users.Where(u => u.Name is not null).ToDictionary(u => u.Id, u => u.Name!, StringComparer.Ordinal);

    /// <summary>The opportunities with their stage history, for the pipeline analytics.</summary>
    public OpportunitySet Opportunities { get; } = OpportunitySet.Create(Data.Opportunities, Data.OpportunityHistory, Stages);

    /// <summary>
    /// Reads the stages, then opportunities, their history, leads, accounts, contacts, activities, campaigns and users, one
    /// query stream at a time, each a step with its row count and rate.
    /// </summary>
    public static async Task<OrgData> LoadAsync(SalesforceClient client, ReportConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var stages = await console.StepAsync("Loading the opportunity stages...",
            async p =>
            {
                var result = await OpportunityLoader.LoadStagesAsync(client, cancellationToken).ConfigureAwait(false);
                p.Add(result.Count);
                return result;
            }, s => $"{Format.Count(s.Count)} stages").ConfigureAwait(false);
        var opportunities = await console.StepAsync("Loading opportunities...",
            p => ReadAsync<OpportunityRecord>(client, OpportunityLoader.OpportunityQuery, p, cancellationToken), r => $"{Format.Count(r.Count)} opportunities").ConfigureAwait(false);
        var history = await console.StepAsync("Loading opportunity stage history...",
            p => ReadAsync<OpportunityHistoryRecord>(client, OpportunityLoader.HistoryQuery, p, cancellationToken), r => $"{Format.Count(r.Count)} history rows").ConfigureAwait(false);
        var leads = await PartAsync(client, console, "leads", SalesDataParts.Leads, d => d.Leads.Count, d => $"{Format.Count(d.Leads.Count)} leads", cancellationToken).ConfigureAwait(false);
        var accounts = await PartAsync(client, console, "accounts", SalesDataParts.Accounts, d => d.Accounts.Count, d => $"{Format.Count(d.Accounts.Count)} accounts", cancellationToken).ConfigureAwait(false);
        var contacts = await PartAsync(client, console, "contacts", SalesDataParts.Contacts, d => d.Contacts.Count, d => $"{Format.Count(d.Contacts.Count)} contacts", cancellationToken).ConfigureAwait(false);
        var activities = await PartAsync(client, console, "tasks and events", SalesDataParts.Activities, d => d.Activities.Count,
            d => $"{Format.Count(d.Activities.Count)} activities", cancellationToken).ConfigureAwait(false);
        var campaigns = await PartAsync(client, console, "campaigns and campaign members", SalesDataParts.Campaigns, d => d.Campaigns.Count + d.CampaignMembers.Count,
            d => $"{Format.Count(d.Campaigns.Count)} campaigns, {Format.Count(d.CampaignMembers.Count)} members", cancellationToken).ConfigureAwait(false);
        var users = await PartAsync(client, console, "users", SalesDataParts.Users, d => d.Users.Count, d => $"{Format.Count(d.Users.Count)} users", cancellationToken).ConfigureAwait(false);
        var data = new SalesData
        {
            Opportunities = opportunities,
            OpportunityHistory = history,
            Leads = leads.Leads,
            Accounts = accounts.Accounts,
            Contacts = contacts.Contacts,
            Activities = activities.Activities,
            Campaigns = campaigns.Campaigns,
            CampaignMembers = campaigns.CampaignMembers,
            Users = users.Users,
        };
        return new OrgData(data, stages);
    }

    private static async Task<List<T>> ReadAsync<T>(SalesforceClient client, string soql, StepProgress progress, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await foreach (var row in client.Query.QueryAsync<T>(soql, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
            progress.Add();
        }

        return rows;
    }

    private static Task<SalesData> PartAsync(
        SalesforceClient client, ReportConsole console, string what, SalesDataParts part, Func<SalesData, int> count, Func<SalesData, string> summary,
        CancellationToken cancellationToken) =>
        console.StepAsync($"Loading {what}...",
            async p =>
            {
                var data = await SalesDataLoader.LoadAsync(client, part, cancellationToken).ConfigureAwait(false);
                p.Add(count(data));
                return data;
            },
            summary);
}
