using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Analytics;

public sealed class PipelineEndpointTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task The_report_is_the_analytics_report_for_the_same_scope()
    {
        var expected = await new PipelineAnalytics().AnalyzeAsync(fixture.Sdk, new PipelineQuery
        {
            CloseDate = DateRange.Relative("LAST_N_DAYS:365"),
            GroupBy = PipelineDimension.Owner,
            LeadSources = ["Web", "Phone Inquiry"],
        }, TestContext.Current.CancellationToken);
        Assert.True(expected.Count > 0);

        var data = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new
        {
            date_range = "last_n_days:365",
            group_by = "owner",
            filters = new { lead_sources = new[] { "Web", "Phone Inquiry" } },
        })).Data;
        Assert.Equal(expected.Count, data.GetProperty("count").GetInt32());
        Assert.Equal(expected.OpenCount, data.GetProperty("open_count").GetInt32());
        Assert.Equal(expected.WonCount, data.GetProperty("won_count").GetInt32());
        Assert.Equal(expected.OpenAmount, data.GetProperty("open_amount").GetDouble(), 6);
        Assert.Equal(expected.Start?.ToString("yyyy-MM-dd"), data.GetProperty("start").GetString());
        Assert.Equal(expected.Groups.Select(g => g.Key).ToArray(), data.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToArray());
        Assert.Equal(expected.Groups.Sum(g => g.Count), data.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task A_fixed_range_object_and_a_field_name_for_group_by_are_accepted()
    {
        var data = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new
        {
            date_range = new { start = "2020-01-01", end = "2030-12-31" },
            group_by = "StageName",
        })).Data;
        Assert.Equal("2020-01-01", data.GetProperty("start").GetString());
        Assert.Equal("2030-12-31", data.GetProperty("end").GetString());
        Assert.All(data.GetProperty("groups").EnumerateArray(), g => Assert.DoesNotContain("Closed", g.GetProperty("key").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_period_splits_the_forecast_by_month_quarter_or_year()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var (period, forecastBy) in new[] { ((string?)null, CalendarPeriod.Month), ("QUARTER", CalendarPeriod.Quarter), ("year", CalendarPeriod.Year) })
        {
            var expected = (await new PipelineAnalytics().AnalyzeAsync(fixture.Sdk, new PipelineQuery { ForecastBy = forecastBy }, ct)).Forecast;
            Assert.NotEmpty(expected);

            var forecast = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { period })).Data.GetProperty("forecast");

            Assert.Equal(expected.Select(p => p.Period), forecast.EnumerateArray().Select(p => p.GetProperty("period").GetString()));
            Assert.Equal(expected.Select(p => p.Categories.Sum(c => c.Count)), forecast.EnumerateArray().Select(p => p.GetProperty("categories").EnumerateArray().Sum(c => c.GetProperty("count").GetInt32())));
        }

        // The keys tell the periods apart: yyyy-MM, yyyy-Qn, yyyy.
        var years = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { period = "year" })).Data.GetProperty("forecast");
        Assert.All(years.EnumerateArray(), p => Assert.Matches("^[0-9]{4}$", p.GetProperty("period").GetString()));
    }

    [Fact]
    public async Task Bad_scope_values_are_refused()
    {
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { group_by = "Amount" })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = 90 })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start = "2026-13-01", end = "2026-12-31" } })).AssertError(400, "INVALID_DATE_RANGE");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { filters = new { regions = new[] { "EMEA" } } })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { period = "fortnight" })).AssertError(400, "INVALID_REQUEST");
    }
}
