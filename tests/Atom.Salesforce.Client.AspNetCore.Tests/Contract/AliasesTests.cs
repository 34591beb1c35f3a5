using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Contract;

/// <summary>
/// The pack's own spellings stay accepted beside the documented ones: the same answer either way, and two spellings of
/// one value that disagree are refused (400 validation_error), never settled by picking one.
/// </summary>
public sealed class AliasesTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Date_range_start_and_end_are_aliases_of_start_date_and_end_date()
    {
        var documented = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "2024-01-01", end_date = "2026-12-31" } })).Data;
        var alias = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start = "2024-01-01", end = "2026-12-31" } })).Data;
        var both = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "2024-01-01", start = "2024-01-01", end_date = "2026-12-31" } })).Data;

        Assert.True(documented.GetProperty("count").GetInt32() > 0);
        foreach (var data in new[] { alias, both })
        {
            Assert.Equal("2024-01-01", data.GetProperty("start").GetString());
            Assert.Equal("2026-12-31", data.GetProperty("end").GetString());
            Assert.Equal(documented.GetProperty("count").GetInt32(), data.GetProperty("count").GetInt32());
        }

        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "2024-01-01", start = "2023-01-01", end_date = "2026-12-31" } }))
            .AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("analytics/leads", PackHost.Alice, new { date_range = new { start_date = "2024-01-01", end_date = "2026-12-31", end = "2026-06-30" } }))
            .AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { from = "2024-01-01", end_date = "2026-12-31" } }))
            .AssertError(400, "INVALID_DATE_RANGE", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = new { start_date = "2024-01-01" } }))
            .AssertError(400, "INVALID_DATE_RANGE", SalesforceEndpointErrors.ValidationError);
    }

    [Fact]
    public async Task Filters_lead_sources_is_an_alias_of_lead_source_on_both_analytics_routes()
    {
        string[] sources = ["Web", "Phone Inquiry"];
        foreach (var route in new[] { "analytics/leads", "analytics/pipeline" })
        {
            var documented = (await Host.PostAsync(route, PackHost.Alice, new { filters = new { lead_source = sources } })).Text;
            var alias = (await Host.PostAsync(route, PackHost.Alice, new { filters = new { lead_sources = sources } })).Text;
            var agreeing = (await Host.PostAsync(route, PackHost.Alice, new { filters = new { lead_source = sources, lead_sources = sources.Reverse().ToArray() } })).Text;
            var unfiltered = (await Host.PostAsync(route, PackHost.Alice, new { })).Text;

            Assert.Equal(documented, alias);
            Assert.Equal(documented, agreeing);
            Assert.NotEqual(unfiltered, documented);
            (await Host.PostAsync(route, PackHost.Alice, new { filters = new { lead_source = new[] { "Web" }, lead_sources = new[] { "Phone Inquiry" } } }))
                .AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);
        }
    }

    [Theory]
    [InlineData("StageName")]
    [InlineData("stagename")]
    [InlineData("STAGE")]
    public async Task Group_by_takes_the_Salesforce_field_name_or_the_packs_name_in_any_case(string groupBy)
    {
        var expected = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { group_by = "stage" })).Data.GetProperty("groups").GetRawText();

        var groups = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { group_by = groupBy })).Data.GetProperty("groups").GetRawText();

        Assert.Equal(expected, groups);
    }

    [Fact]
    public async Task Top_level_account_id_and_the_datas_AccountId_must_name_the_same_account()
    {
        var first = (await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "Alias One" } })).Data.GetProperty("id").GetString()!;
        var second = (await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "Alias Two" } })).Data.GetProperty("id").GetString()!;
        var deal = new { Name = "Alias deal", StageName = "Prospecting", CloseDate = "2027-03-31" };

        (await Host.PostAsync("opportunities/create", PackHost.Alice, new { account_id = first, opportunity_data = new { deal.Name, deal.StageName, deal.CloseDate, AccountId = second } }))
            .AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("contacts/create", PackHost.Alice, new { account_id = first, contact_data = new { LastName = "Alias", accountid = second } }))
            .AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);

        // The same account in its 15- and 18-character forms agrees; the data's AccountId alone still works.
        var same = (await Host.PostAsync("opportunities/create", PackHost.Alice, new { account_id = first[..15], opportunity_data = new { deal.Name, deal.StageName, deal.CloseDate, AccountId = first } })).Data;
        var inData = (await Host.PostAsync("opportunities/create", PackHost.Alice, new { opportunity_data = new { deal.Name, deal.StageName, deal.CloseDate, AccountId = second } })).Data;
        var contact = (await Host.PostAsync("contacts/create", PackHost.Alice, new { account_id = second, contact_data = new { LastName = "Alias" } })).Data;

        Assert.Equal(first, (await fixture.Sdk.SObjects.GetAsync<SObject>("Opportunity", same.GetProperty("id").GetString()!, ["AccountId"], Ct)).Get<string>("AccountId"));
        Assert.Equal(second, (await fixture.Sdk.SObjects.GetAsync<SObject>("Opportunity", inData.GetProperty("id").GetString()!, ["AccountId"], Ct)).Get<string>("AccountId"));
        Assert.Equal(second, (await fixture.Sdk.SObjects.GetAsync<SObject>("Contact", contact.GetProperty("id").GetString()!, ["AccountId"], Ct)).Get<string>("AccountId"));
    }

    [Theory]
    [InlineData("last_7_days")]
    [InlineData("LAST_30_DAYS")]
    [InlineData("Last_90_Days")]
    [InlineData("this_month")]
    [InlineData("last_month")]
    [InlineData("THIS_QUARTER")]
    [InlineData("last_quarter")]
    [InlineData("this_year")]
    [InlineData("Last_Year")]
    public async Task Named_ranges_resolve_to_their_days_in_any_case(string name)
    {
        // Salesforce's date literals (SOQL reference): LAST_N_DAYS:n is today and the n days before it; months, quarters
        // and years are whole calendar ones; days are UTC days here.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        var (start, end) = name.ToLowerInvariant() switch
        {
            "last_7_days" => (today.AddDays(-7), today),
            "last_30_days" => (today.AddDays(-30), today),
            "last_90_days" => (today.AddDays(-90), today),
            "this_month" => (month, month.AddMonths(1).AddDays(-1)),
            "last_month" => (month.AddMonths(-1), month.AddDays(-1)),
            "this_quarter" => (quarter, quarter.AddMonths(3).AddDays(-1)),
            "last_quarter" => (quarter.AddMonths(-3), quarter.AddDays(-1)),
            "this_year" => (year, year.AddYears(1).AddDays(-1)),
            _ => (year.AddYears(-1), year.AddDays(-1)),
        };

        var data = (await Host.PostAsync("analytics/pipeline", PackHost.Alice, new { date_range = name })).Data;

        Assert.Equal(start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), data.GetProperty("start").GetString());
        Assert.Equal(end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), data.GetProperty("end").GetString());
    }
}
