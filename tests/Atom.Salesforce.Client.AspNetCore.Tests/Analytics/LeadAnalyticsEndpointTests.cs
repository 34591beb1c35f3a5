using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Analytics;

public sealed class LeadAnalyticsEndpointTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task The_report_is_the_lead_analytics_report_for_the_same_scope()
    {
        var expected = await new LeadAnalytics().AnalyzeAsync(fixture.Sdk, new LeadQuery
        {
            CreatedDate = DateRange.Relative("LAST_N_DAYS:730"),
            GroupBy = LeadDimension.Industry,
            LeadSources = ["Web", "Phone Inquiry", "Partner Referral"],
        }, TestContext.Current.CancellationToken);
        Assert.True(expected.Total.Leads > 0);

        var data = (await Host.PostAsync("analytics/leads", PackHost.Alice, new
        {
            date_range = "last_n_days:730",
            group_by = "industry",
            filters = new { lead_sources = new[] { "Web", "Phone Inquiry", "Partner Referral" } },
        })).Data;

        var total = data.GetProperty("total");
        Assert.Equal(expected.Total.Leads, total.GetProperty("leads").GetInt32());
        Assert.Equal(expected.Total.Converted, total.GetProperty("converted").GetInt32());
        Assert.Equal(
            expected.Groups.Select(g => g.Key).ToArray(),
            data.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToArray());
        Assert.Equal(expected.Months.Count, data.GetProperty("months").GetArrayLength());
    }

    [Fact]
    public async Task Bad_scope_values_are_refused()
    {
        (await Host.PostAsync("analytics/leads", PackHost.Alice, new { group_by = "Company" })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("analytics/leads", PackHost.Alice, new { filters = new { stages = new[] { "Prospecting" } } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/leads", PackHost.Alice, new { filters = new { statuses = "Open" } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/leads", PackHost.Alice, new { date_range = "LAST_N_DAYS:90) OR (Id != null" })).AssertError(400, "INVALID_DATE_RANGE");
    }
}
