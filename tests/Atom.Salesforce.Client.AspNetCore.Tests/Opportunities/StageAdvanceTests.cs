using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Opportunities;

public sealed class StageAdvanceTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private async Task<string> NewOpportunityAsync(string stage)
    {
        var reply = await Host.PostAsync("opportunities/create", PackHost.Alice, new { opportunity_data = new { Name = "Stage test", StageName = stage, CloseDate = "2027-06-30", Amount = 1000 } });
        return reply.Data.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Advances_to_the_next_open_stage_and_fills_probability_and_forecast_category()
    {
        // The default stages: Prospecting (10%, Pipeline), Qualification (10%), Needs Analysis (20%), Value Proposition (50%).
        var id = await NewOpportunityAsync("Qualification");
        var data = (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = id })).Data;
        Assert.Equal("Qualification", data.GetProperty("previous_stage").GetString());
        Assert.Equal("Needs Analysis", data.GetProperty("stage").GetString());
        Assert.Equal(20, data.GetProperty("probability").GetDouble());
        Assert.Equal("Pipeline", data.GetProperty("forecast_category").GetString());

        var stored = await fixture.Sdk.SObjects.GetAsync<SObject>("Opportunity", id, ["StageName", "Probability", "ForecastCategoryName"], TestContext.Current.CancellationToken);
        Assert.Equal("Needs Analysis", stored.Get<string>("StageName"));
        Assert.Equal(20m, stored.Get<decimal?>("Probability"));
        Assert.Equal("Pipeline", stored.Get<string>("ForecastCategoryName"));
    }

    [Fact]
    public async Task Moves_to_a_named_open_stage()
    {
        var id = await NewOpportunityAsync("Prospecting");
        var data = (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = id, target_stage = "negotiation/review" })).Data;
        Assert.Equal("Negotiation/Review", data.GetProperty("stage").GetString());
        Assert.Equal(90, data.GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task Refuses_closed_and_unknown_stages_and_closed_deals_and_the_last_open_stage()
    {
        var id = await NewOpportunityAsync("Negotiation/Review");
        (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = id, target_stage = "Closed Won" })).AssertError(400, "CLOSED_STAGE");
        (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = id, target_stage = "Wishful Thinking" })).AssertError(400, "UNKNOWN_STAGE");
        (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = id })).AssertError(400, "NO_NEXT_STAGE");

        var closed = await NewOpportunityAsync("Closed Lost");
        (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = closed })).AssertError(400, "OPPORTUNITY_CLOSED");
        (await Host.PostAsync("opportunities/stage-advance", PackHost.Alice, new { opportunity_id = "006000000000000AAA" })).AssertError(404, "NOT_FOUND");
    }
}
