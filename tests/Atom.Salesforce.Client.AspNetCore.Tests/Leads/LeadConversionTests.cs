using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Leads;

public sealed class LeadConversionTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewLeadAsync(string company)
    {
        var reply = await Host.PostAsync("leads/create", PackHost.Alice, new { lead_data = new { LastName = "Turing", Company = company, Email = "alan@example.com" } });
        return reply.Data.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Converts_through_soap_and_returns_account_contact_and_opportunity()
    {
        var leadId = await NewLeadAsync("Bletchley <Park> & Co");
        var data = (await Host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = leadId, opportunity_name = "Enigma <deal> & more" })).Data;
        Assert.Equal(leadId, data.GetProperty("lead_id").GetString());
        var accountId = data.GetProperty("account_id").GetString()!;
        var contactId = data.GetProperty("contact_id").GetString()!;
        var opportunityId = data.GetProperty("opportunity_id").GetString()!;

        var lead = await fixture.Sdk.SObjects.GetAsync<SObject>("Lead", leadId, ["IsConverted", "ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId"], Ct);
        Assert.True(lead.Get<bool>("IsConverted"));
        Assert.Equal(accountId, lead.Get<string>("ConvertedAccountId"));
        Assert.Equal(contactId, lead.Get<string>("ConvertedContactId"));
        Assert.Equal(opportunityId, lead.Get<string>("ConvertedOpportunityId"));
        var account = await fixture.Sdk.SObjects.GetAsync<SObject>("Account", accountId, ["Name"], Ct);
        Assert.Equal("Bletchley <Park> & Co", account.Get<string>("Name"));
        var opportunity = await fixture.Sdk.SObjects.GetAsync<SObject>("Opportunity", opportunityId, ["Name"], Ct);
        Assert.Equal("Enigma <deal> & more", opportunity.Get<string>("Name"));

        (await Host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = leadId })).AssertError(400, "LEAD_ALREADY_CONVERTED");
    }

    [Fact]
    public async Task Without_an_opportunity_the_opportunity_id_is_null()
    {
        var leadId = await NewLeadAsync("No Deal Ltd");
        var data = (await Host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = leadId, do_not_create_opportunity = true })).Data;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("opportunity_id").ValueKind);
    }

    [Fact]
    public async Task Salesforce_conversion_errors_pass_through_and_xml_in_values_stays_text()
    {
        var leadId = await NewLeadAsync("Status Ltd");
        var reply = await Host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = leadId, converted_status = "Closed - Converted</convertedStatus><leadId>00Q" });
        reply.AssertError(400, "INVALID_STATUS");
        (await Host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = leadId, contact_id = "003000000000000AAA" })).AssertError(400, "INVALID_REQUEST");
        (await Host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = "00Q000000000000AAA" })).AssertError(404, "NOT_FOUND");
    }
}
