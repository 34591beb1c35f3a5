using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Analytics;

/// <summary>
/// The analytics answers name the owners and accounts they list (additive fields beside the ids): the names are the org's
/// own User.Name, Opportunity.Name and Account.Name, read here through the SDK.
/// </summary>
public sealed class AnalyticsNamesTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private async Task<Dictionary<string, string?>> UsersAsync()
    {
        var data = await SalesDataLoader.LoadAsync(fixture.Sdk, SalesDataParts.Users, TestContext.Current.CancellationToken);
        return data.Users.ToDictionary(u => u.Id, u => u.Name);
    }

    private async Task<Dictionary<string, SObject>> ByIdAsync(string soql)
    {
        var records = new Dictionary<string, SObject>();
        await foreach (var record in fixture.Sdk.Query.QueryAsync<SObject>(soql, cancellationToken: TestContext.Current.CancellationToken))
        {
            records[record.Id!] = record;
        }

        return records;
    }

    [Fact]
    public async Task Pipeline_groups_by_owner_name_the_owner_and_at_risk_deals_name_the_deal_and_its_account()
    {
        var users = await UsersAsync();
        var data = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { group_by = "owner" })).Data;

        var groups = data.GetProperty("groups").EnumerateArray().ToList();
        Assert.NotEmpty(groups);
        foreach (var group in groups)
        {
            Assert.Equal(users[group.GetProperty("key").GetString()!], group.GetProperty("owner_name").GetString());
            // Beside the key, in the answer's order: key, owner_name, then the measures.
            Assert.Equal(["key", "owner_name"], group.EnumerateObject().Take(2).Select(p => p.Name).ToArray());
        }

        var deals = data.GetProperty("at_risk").EnumerateArray().ToList();
        Assert.NotEmpty(deals);
        var opportunities = await ByIdAsync("SELECT Id, Name, AccountId FROM Opportunity");
        var accounts = await ByIdAsync("SELECT Id, Name FROM Account");
        foreach (var deal in deals)
        {
            var opportunity = opportunities[deal.GetProperty("opportunity_id").GetString()!];
            Assert.Equal(opportunity.Get<string>("Name"), deal.GetProperty("opportunity_name").GetString());
            Assert.Equal(opportunity.Get<string>("AccountId"), deal.GetProperty("account_id").GetString());
            Assert.Equal(accounts[opportunity.Get<string>("AccountId")!].Get<string>("Name"), deal.GetProperty("account_name").GetString());
        }
    }

    [Fact]
    public async Task Lead_and_account_reports_name_every_owner_they_list()
    {
        var users = await UsersAsync();
        var leads = (await Host.PostAsync("analytics/leads", PackHost.Alice, new { group_by = "owner" })).Data;
        Assert.NotEmpty(leads.GetProperty("groups").EnumerateArray());
        Assert.All(leads.GetProperty("groups").EnumerateArray(), g => Assert.Equal(users[g.GetProperty("key").GetString()!], g.GetProperty("owner_name").GetString()));
        Assert.NotEmpty(leads.GetProperty("stale").EnumerateArray());
        Assert.All(leads.GetProperty("stale").EnumerateArray(), l => Assert.Equal(users[l.GetProperty("owner_id").GetString()!], l.GetProperty("owner_name").GetString()));

        var accounts = (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { group_by = "owner", limit = 10 })).Data;
        foreach (var list in new[] { "accounts", "churn_risks", "expansion_candidates" })
        {
            Assert.All(accounts.GetProperty(list).EnumerateArray(), a => Assert.Equal(users[a.GetProperty("owner_id").GetString()!], a.GetProperty("owner_name").GetString()));
        }

        Assert.NotEmpty(accounts.GetProperty("accounts").EnumerateArray());
        Assert.All(accounts.GetProperty("groups").EnumerateArray(), g => Assert.Equal(users[g.GetProperty("key").GetString()!], g.GetProperty("owner_name").GetString()));
    }

    [Fact]
    public async Task Grouped_by_anything_but_the_owner_a_group_has_no_owner_name()
    {
        var data = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { group_by = "stage" })).Data;
        Assert.NotEmpty(data.GetProperty("groups").EnumerateArray());
        Assert.All(data.GetProperty("groups").EnumerateArray(), g => Assert.False(g.TryGetProperty("owner_name", out _)));
    }
}
