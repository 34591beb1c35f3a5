using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Leads;

public sealed class LeadScoreEndpointTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_saved_lead_gets_its_rule_score_and_a_model_probability_each_with_reasons()
    {
        var leadId = await fixture.Sdk.Query.QueryAsync<LeadRecord>("SELECT Id FROM Lead WHERE IsConverted = false LIMIT 1", cancellationToken: Ct).Select(l => l.Id).FirstAsync(Ct);
        var expected = await new LeadScoring().ScoreAsync(fixture.Sdk, leadId, cancellationToken: Ct);

        var data = (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = leadId })).Data;

        Assert.Equal(leadId, data.GetProperty("lead_id").GetString());
        var rules = data.GetProperty("rules");
        Assert.Equal(expected.Rules.Score, rules.GetProperty("score").GetDouble(), 9);
        Assert.Equal(
            expected.Rules.Reasons.Select(r => r.Factor).ToArray(),
            rules.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("factor").GetString()).ToArray());

        // The demo org has converted and unconverted leads, so a model is trained on it and kept for the next request.
        var model = data.GetProperty("model");
        Assert.InRange(model.GetProperty("probability").GetDouble(), 0, 1);
        Assert.NotEmpty(model.GetProperty("reasons").EnumerateArray());
        Assert.InRange(data.GetProperty("model_accuracy").GetProperty("brier_score").GetDouble(), 0, 1);
        var again = (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = leadId })).Data;
        Assert.Equal(model.GetProperty("probability").GetDouble(), again.GetProperty("model").GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task Unsaved_lead_data_is_scored_by_the_same_rules()
    {
        var lead = new LeadRecord { Id = string.Empty, LastName = "Lovelace", Company = "Analytical Engines", Title = "VP Engineering", LeadSource = "Partner Referral", Rating = "Hot", Email = "ada@example.com", NumberOfEmployees = 800 };
        var expected = new LeadScoring().Score(lead);

        var data = (await Host.PostAsync("leads/score", PackHost.Alice, new
        {
            lead_data = new { LastName = "Lovelace", Company = "Analytical Engines", Title = "VP Engineering", LeadSource = "Partner Referral", Rating = "Hot", Email = "ada@example.com", NumberOfEmployees = 800 },
        })).Data;

        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("lead_id").ValueKind);
        Assert.Equal(expected.Score, data.GetProperty("rules").GetProperty("score").GetDouble(), 9);
        Assert.Contains(data.GetProperty("rules").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("factor").GetString() == expected.Reasons[0].Factor);
    }

    [Fact]
    public async Task Bad_input_is_refused_before_scoring()
    {
        (await Host.PostAsync("leads/score", PackHost.Alice, new { })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = "00Q000000000000EAA", lead_data = new { LastName = "X" } })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = "001000000000000AAA" })).AssertError(400, "INVALID_ID");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = "00Q' OR Id != '" })).AssertError(400, "INVALID_ID");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_data = new { Password__c = "x" } })).AssertError(400, "INVALID_FIELD");
        (await Host.PostAsync("leads/score", PackHost.Alice, new { lead_id = "00Q000000000000EAA" })).AssertError(404, "NOT_FOUND");
        (await Host.PostAsync("leads/score", PackHost.Bob, new { lead_id = "00Q000000000000EAA" })).AssertError(401, "no_token");
    }
}
