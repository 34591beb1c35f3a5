using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Analytics;

public sealed class AccountAndPerformanceEndpointTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task Accounts_is_the_account_analytics_report_for_the_same_scope()
    {
        var expected = await new AccountAnalytics().AnalyzeAsync(fixture.Sdk, new AccountQuery
        {
            CloseDate = DateRange.Relative("LAST_N_DAYS:730"),
            GroupBy = AccountDimension.Type,
            GrowthPeriod = CalendarPeriod.Year,
            Industries = ["Technology", "Finance", "Healthcare", "Manufacturing"],
        }, TestContext.Current.CancellationToken);
        Assert.NotEmpty(expected.Accounts);

        var data = (await Host.PostAsync("analytics/accounts", PackHost.Alice, new
        {
            date_range = "last_n_days:730",
            group_by = "type",
            period = "year",
            filters = new { industries = new[] { "Technology", "Finance", "Healthcare", "Manufacturing" } },
        })).Data;

        Assert.Equal("year", data.GetProperty("growth_period").GetString());
        Assert.Equal(expected.WonRevenue, data.GetProperty("won_revenue").GetDouble(), 6);
        Assert.Equal(expected.Accounts.Count, data.GetProperty("account_count").GetInt32());
        Assert.Equal(
            expected.Accounts.Take(50).Select(a => a.AccountId).ToArray(),
            data.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()).ToArray());
        Assert.Equal(expected.ChurnRisks.Count, data.GetProperty("churn_risk_count").GetInt32());
        Assert.Equal(expected.Groups.Select(g => g.Key).ToArray(), data.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToArray());
        Assert.Equal(expected.Growth.Count, data.GetProperty("growth").GetArrayLength());
        Assert.NotEmpty(data.GetProperty("accounts")[0].GetProperty("health").GetProperty("reasons").EnumerateArray());
    }

    [Fact]
    public async Task The_account_lists_are_cut_to_the_limit_and_the_totals_still_cover_every_account()
    {
        var data = (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { limit = 3 })).Data;

        Assert.Equal(3, data.GetProperty("limit").GetInt32());
        Assert.Equal(3, data.GetProperty("accounts").GetArrayLength());
        Assert.True(data.GetProperty("account_count").GetInt32() > 3);
        Assert.True(data.GetProperty("churn_risks").GetArrayLength() <= 3);
        Assert.Equal(data.GetProperty("account_count").GetInt32(), data.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("accounts").GetInt32()));
        (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { limit = 0 })).AssertError(400, "INVALID_LIMIT");
        (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { limit = 1_000_000 })).AssertError(400, "INVALID_LIMIT");
    }

    [Fact]
    public async Task Performance_is_the_performance_report_for_the_same_scope()
    {
        var expected = await new PerformanceAnalytics().AnalyzeAsync(fixture.Sdk, new PerformanceQuery
        {
            CloseDate = DateRange.Relative("LAST_N_DAYS:365"),
            CoveragePeriod = CalendarPeriod.Month,
        }, TestContext.Current.CancellationToken);
        Assert.NotEmpty(expected.Owners);

        var data = (await Host.PostAsync("analytics/performance", PackHost.Alice, new { date_range = "LAST_N_DAYS:365", period = "month" })).Data;

        Assert.Equal(expected.Total.WonAmount, data.GetProperty("total").GetProperty("won_amount").GetDouble(), 6);
        Assert.Equal(expected.Total.WonCount, data.GetProperty("total").GetProperty("won_count").GetInt32());
        Assert.Equal(expected.Owners.Select(o => o.OwnerId).ToArray(), data.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("owner_id").GetString()).ToArray());

        var owner = expected.Owners[0].OwnerId;
        var one = (await Host.PostAsync("analytics/performance", PackHost.Alice, new { date_range = "LAST_N_DAYS:365", filters = new { owners = new[] { owner } } })).Data;
        Assert.Equal([owner], one.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("owner_id").GetString()).ToArray());
    }

    [Fact]
    public async Task Bad_scope_values_are_refused()
    {
        (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { group_by = "BillingCity" })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { period = "fortnight" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/accounts", PackHost.Alice, new { filters = new { stages = new[] { "Prospecting" } } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/performance", PackHost.Alice, new { filters = new { industries = new[] { "Energy" } } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/performance", PackHost.Alice, new { date_range = new { start = "2026-02-30", end = "2026-03-01" } })).AssertError(400, "INVALID_DATE_RANGE");
        (await Host.PostAsync("analytics/performance", PackHost.Bob, new { })).AssertError(401, "no_token");
    }
}
