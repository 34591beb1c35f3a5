using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Rest;

/// <summary>
/// Probability and forecast category: the stage gives its defaults when it is set, a caller's own values in the same write
/// win, a write that leaves the stage alone keeps what it sets, and a closed stage forces its own. The expected values
/// come from the default stage table (Needs Analysis 20 Pipeline, Value Proposition 50, Proposal/Price Quote 75,
/// Negotiation/Review 90, Closed Won 100 Closed, Closed Lost 0 Omitted).
/// </summary>
public sealed class OpportunityForecastTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_without_values_takes_the_stage_defaults()
    {
        await using var org = new EmulatedOrg();

        var id = await Create(org, new() { ["StageName"] = "Needs Analysis" });

        Assert.Equal((20m, "Pipeline", "Pipeline", 2_000m), await Forecast(org, id));
        Assert.Equal([(20m, "Pipeline")], History(org, id));
    }

    [Fact]
    public async Task Create_with_explicit_values_keeps_them_and_history_records_them()
    {
        await using var org = new EmulatedOrg();

        var id = await Create(org, new() { ["StageName"] = "Proposal/Price Quote", ["Probability"] = 60m, ["ForecastCategoryName"] = "Commit" });

        Assert.Equal((60m, "Commit", "Forecast", 6_000m), await Forecast(org, id));
        Assert.Equal([(60m, "Forecast")], History(org, id));
    }

    [Fact]
    public async Task Changing_only_the_stage_resets_both_to_the_new_stages_defaults()
    {
        await using var org = new EmulatedOrg();
        var id = await Create(org, new() { ["StageName"] = "Proposal/Price Quote", ["Probability"] = 60m, ["ForecastCategoryName"] = "Commit" });

        await Update(org, id, new() { ["StageName"] = "Negotiation/Review" });

        Assert.Equal((90m, "Pipeline", "Pipeline", 9_000m), await Forecast(org, id));
        Assert.Equal([(60m, "Forecast"), (90m, "Pipeline")], History(org, id));
    }

    [Fact]
    public async Task Without_a_stage_change_the_forecast_category_and_probability_are_kept_on_their_own()
    {
        await using var org = new EmulatedOrg();
        var id = await Create(org, new() { ["StageName"] = "Needs Analysis" });

        await Update(org, id, new() { ["ForecastCategoryName"] = "Best Case" });
        var categoryOnly = await Forecast(org, id);
        await Update(org, id, new() { ["Probability"] = 35m });
        var probabilityOnly = await Forecast(org, id);
        await Update(org, id, new() { ["Amount"] = 20_000m });

        Assert.Equal((20m, "Best Case", "BestCase", 2_000m), categoryOnly);
        Assert.Equal((35m, "Best Case", "BestCase", 3_500m), probabilityOnly);
        Assert.Equal((35m, "Best Case", "BestCase", 7_000m), await Forecast(org, id));

        // A row per change of stage, amount, close date or probability (not of the forecast category alone), each with
        // the forecast category current after the change.
        Assert.Equal([(20m, "Pipeline"), (35m, "BestCase"), (35m, "BestCase")], History(org, id));
    }

    [Fact]
    public async Task A_stage_change_keeps_values_the_same_write_sets_even_when_they_equal_the_old_ones()
    {
        await using var org = new EmulatedOrg();
        var both = await Create(org, new() { ["StageName"] = "Needs Analysis" });
        var categoryOnly = await Create(org, new() { ["StageName"] = "Needs Analysis" });
        var probabilityOnly = await Create(org, new() { ["StageName"] = "Needs Analysis" });

        await Update(org, both, new() { ["StageName"] = "Value Proposition", ["Probability"] = 20m, ["ForecastCategoryName"] = "Commit" });
        await Update(org, categoryOnly, new() { ["StageName"] = "Value Proposition", ["ForecastCategoryName"] = "Best Case" });
        await Update(org, probabilityOnly, new() { ["StageName"] = "Value Proposition", ["Probability"] = 45m });

        Assert.Equal((20m, "Commit", "Forecast", 2_000m), await Forecast(org, both));
        Assert.Equal((50m, "Best Case", "BestCase", 5_000m), await Forecast(org, categoryOnly));
        Assert.Equal((45m, "Pipeline", "Pipeline", 4_500m), await Forecast(org, probabilityOnly));
    }

    [Fact]
    public async Task Closed_stages_force_their_probability_and_forecast_category()
    {
        await using var org = new EmulatedOrg();
        var won = await Create(org, new() { ["StageName"] = "Negotiation/Review", ["ForecastCategoryName"] = "Commit" });
        var lost = await Create(org, new() { ["StageName"] = "Closed Lost", ["Probability"] = 40m, ["ForecastCategoryName"] = "Commit" });

        await Update(org, won, new() { ["StageName"] = "Closed Won", ["Probability"] = 80m, ["ForecastCategoryName"] = "Pipeline" });
        await Update(org, won, new() { ["Probability"] = 50m, ["ForecastCategoryName"] = "Best Case" });

        Assert.Equal((100m, "Closed", "Closed", 10_000m), await Forecast(org, won));
        Assert.Equal((0m, "Omitted", "Omitted", 0m), await Forecast(org, lost));
        Assert.Equal([(90m, "Forecast"), (100m, "Closed")], History(org, won));
    }

    [Fact]
    public async Task Clearing_the_forecast_category_puts_the_deal_back_in_its_stages_category()
    {
        await using var org = new EmulatedOrg();
        var id = await Create(org, new() { ["StageName"] = "Proposal/Price Quote", ["ForecastCategoryName"] = "Commit" });

        await Update(org, id, new() { ["ForecastCategoryName"] = null });

        Assert.Equal((75m, "Pipeline", "Pipeline", 7_500m), await Forecast(org, id));
    }

    [Fact]
    public async Task An_unknown_forecast_category_or_a_write_to_the_API_name_is_refused()
    {
        await using var org = new EmulatedOrg();

        var unknown = await Assert.ThrowsAsync<SalesforceApiException>(() => Create(org, new() { ["StageName"] = "Prospecting", ["ForecastCategoryName"] = "Maybe" }));
        var apiName = await Assert.ThrowsAsync<SalesforceApiException>(() => Create(org, new() { ["StageName"] = "Prospecting", ["ForecastCategory"] = "BestCase" }));

        Assert.Equal(("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", HttpStatusCode.BadRequest), (unknown.ErrorCode, unknown.Status));
        Assert.Equal(["ForecastCategoryName"], unknown.Errors[0].Fields);
        Assert.Equal("INVALID_FIELD_FOR_INSERT_UPDATE", apiName.ErrorCode);
    }

    [Fact]
    public async Task Collections_follow_the_same_rule()
    {
        await using var org = new EmulatedOrg();

        var created = await Send(org, HttpMethod.Post, new
        {
            records = new object[]
            {
                new { attributes = new { type = "Opportunity" }, Name = "Explicit", StageName = "Perception Analysis", CloseDate = "2026-12-31", Amount = 10_000m, Probability = 65m, ForecastCategoryName = "Best Case" },
                new { attributes = new { type = "Opportunity" }, Name = "Defaults", StageName = "Perception Analysis", CloseDate = "2026-12-31", Amount = 10_000m },
            },
        });
        var ids = created.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        await Send(org, HttpMethod.Patch, new
        {
            records = new object[]
            {
                new { attributes = new { type = "Opportunity" }, Id = ids[0], StageName = "Proposal/Price Quote" },
                new { attributes = new { type = "Opportunity" }, Id = ids[1], ForecastCategoryName = "Commit" },
            },
        });

        Assert.Equal((75m, "Pipeline", "Pipeline", 7_500m), await Forecast(org, ids[0]));
        Assert.Equal((70m, "Commit", "Forecast", 7_000m), await Forecast(org, ids[1]));
        Assert.Equal([(65m, "BestCase"), (75m, "Pipeline")], History(org, ids[0]));
    }

    private static async Task<string> Create(EmulatedOrg org, Dictionary<string, object?> values)
    {
        var record = new SObject("Opportunity") { ["Name"] = "Deal", ["CloseDate"] = new DateOnly(2026, 12, 31), ["Amount"] = 10_000m };
        foreach (var (name, value) in values)
        {
            record[name] = value;
        }

        return await org.Client.SObjects.CreateAsync("Opportunity", record, Ct);
    }

    private static async Task Update(EmulatedOrg org, string id, Dictionary<string, object?> values)
    {
        var record = new SObject("Opportunity");
        foreach (var (name, value) in values)
        {
            record[name] = value;
        }

        await org.Client.SObjects.UpdateAsync("Opportunity", id, record, Ct);
    }

    private static async Task<(decimal Probability, string Name, string Category, decimal ExpectedRevenue)> Forecast(EmulatedOrg org, string id)
    {
        var record = await org.Client.SObjects.GetAsync<SObject>("Opportunity", id, ["Probability", "ForecastCategoryName", "ForecastCategory", "ExpectedRevenue"], Ct);
        return (record.Get<decimal>("Probability"), record.Get<string>("ForecastCategoryName")!, record.Get<string>("ForecastCategory")!, record.Get<decimal>("ExpectedRevenue"));
    }

    private static List<(decimal Probability, string Category)> History(EmulatedOrg org, string id) =>
        [.. org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("OpportunityHistory")!)
            .Where(h => (string?)h["OpportunityId"] == id)
            .Select(h => ((decimal)h["Probability"]!, (string)h["ForecastCategory"]!))];

    private static async Task<JsonElement> Send(EmulatedOrg org, HttpMethod method, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri("/services/data/v66.0/composite/sobjects", UriKind.Relative)) { Content = JsonContent.Create(body) };
        using var response = await org.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean(), r.ToString()));
        return results;
    }
}
