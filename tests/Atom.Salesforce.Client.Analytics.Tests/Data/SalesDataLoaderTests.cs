using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Analytics.Tests.Data;

public sealed class SalesDataLoaderTests
{
    [Fact]
    public async Task Loads_every_part_of_the_demo_org_with_its_fields()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await DemoOrg.Shared;

        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.All, ct);

        Assert.NotEmpty(data.Opportunities);
        Assert.NotEmpty(data.OpportunityHistory);
        Assert.NotEmpty(data.Accounts);
        Assert.NotEmpty(data.Contacts);
        Assert.NotEmpty(data.Campaigns);
        Assert.NotEmpty(data.CampaignMembers);
        Assert.NotEmpty(data.Users);
        Assert.Contains(data.Leads, l => l.IsConverted && l.ConvertedDate is not null && l.ConvertedAccountId is not null);
        Assert.Contains(data.Leads, l => !l.IsConverted && l.LeadSource is not null);
        Assert.Contains(data.Activities, a => a.Kind == ActivityKind.Task && a.IsClosed);
        Assert.Contains(data.Activities, a => a.Kind == ActivityKind.Event && a.ActivityDate is not null);
        Assert.All(data.Opportunities, o => Assert.NotNull(o.AccountId));
        Assert.Contains(data.Campaigns, c => c.ActualCost > 0);
        Assert.Equal(data.Accounts.Count, (await org.Client.Query.QueryAsync<AccountRecord>("SELECT Id FROM Account", cancellationToken: ct).CountAsync(ct)));
    }

    [Fact]
    public async Task Reads_only_the_parts_asked_for_and_refuses_unknown_bits()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await DemoOrg.Shared;

        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Leads | SalesDataParts.Users, ct);

        Assert.NotEmpty(data.Leads);
        Assert.NotEmpty(data.Users);
        Assert.Empty(data.Opportunities);
        Assert.Empty(data.Activities);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SalesDataLoader.LoadAsync(org.Client, (SalesDataParts)(1 << 20), ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => SalesDataLoader.LoadAsync(null!, SalesDataParts.All, ct));
    }
}
