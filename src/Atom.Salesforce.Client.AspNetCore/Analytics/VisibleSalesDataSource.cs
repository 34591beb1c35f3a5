using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// A data source restricted to the records of some owners: every read's <see cref="SalesDataFilter.OwnerIds"/> is intersected
/// with them (so Opportunity, Lead, Account, Contact, Task and Event are cut in the source's SQL, and OpportunityHistory follows
/// the opportunities), and campaign members are kept only for leads and contacts the owners hold. Users and campaigns are not
/// restricted (names and campaign settings, not sales records); OpportunityStage is the org's picklist.
/// </summary>
internal sealed class VisibleSalesDataSource(ISalesDataSource inner, IReadOnlyCollection<string> owners) : ISalesDataSource
{
    private readonly HashSet<string> _owners = new(owners, StringComparer.Ordinal);

    public async Task<SalesData> LoadAsync(SalesDataParts parts, SalesDataFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var members = (parts & SalesDataParts.Campaigns) != 0;
        var read = members ? parts | SalesDataParts.Leads | SalesDataParts.Contacts : parts;
        var data = await inner.LoadAsync(read, Restrict(filter), cancellationToken).ConfigureAwait(false);
        if (!members && read == parts)
        {
            return data;
        }

        // A campaign member counts only when its lead or contact is one the owners hold.
        var leads = data.Leads.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var contacts = data.Contacts.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return new SalesData
        {
            Opportunities = data.Opportunities,
            OpportunityHistory = data.OpportunityHistory,
            Leads = (parts & SalesDataParts.Leads) != 0 ? data.Leads : [],
            Accounts = data.Accounts,
            Contacts = (parts & SalesDataParts.Contacts) != 0 ? data.Contacts : [],
            Activities = data.Activities,
            Campaigns = data.Campaigns,
            CampaignMembers = [.. data.CampaignMembers.Where(m => (m.LeadId is { } lead && leads.Contains(lead)) || (m.ContactId is { } contact && contacts.Contains(contact)))],
            Users = data.Users,
            UserRoles = data.UserRoles,
        };
    }

    public Task<string?> GetOrganizationIdAsync(CancellationToken cancellationToken = default) => inner.GetOrganizationIdAsync(cancellationToken);

    public Task<OpportunitySet> LoadOpportunitiesAsync(SalesDataFilter? filter = null, CancellationToken cancellationToken = default) =>
        inner.LoadOpportunitiesAsync(Restrict(filter), cancellationToken);

    /// <summary>The filter with its owners cut to the visible ones (all of them when it names none).</summary>
    private SalesDataFilter Restrict(SalesDataFilter? filter) => new()
    {
        OwnerIds = filter?.OwnerIds is { } wanted ? [.. wanted.Where(_owners.Contains)] : [.. _owners],
        CreatedFrom = filter?.CreatedFrom,
        CreatedBefore = filter?.CreatedBefore,
        CloseDateFrom = filter?.CloseDateFrom,
        CloseDateTo = filter?.CloseDateTo,
        StageNames = filter?.StageNames,
        LeadIds = filter?.LeadIds,
    };
}
