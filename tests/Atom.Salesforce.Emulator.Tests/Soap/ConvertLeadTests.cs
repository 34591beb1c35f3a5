using System.Net;
using System.Text;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Soap;

public sealed class ConvertLeadTests
{
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConvertLead_creates_account_contact_and_opportunity_and_marks_the_lead()
    {
        await using var org = new EmulatedOrg();
        var lead = org.Emulator.Org.Create(org.Emulator.Org.Schema.Find("Lead")!, new Dictionary<string, object?>
        {
            ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Company"] = "Analytical Engines", ["LeadSource"] = "Web", ["Email"] = "ada@example.com",
        });

        var (status, body) = await Convert(org, SalesforceEmulatorOptions.DefaultAccessToken, $"<urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus>");
        var again = await Convert(org, SalesforceEmulatorOptions.DefaultAccessToken, $"<urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus>");

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.Descendants(Partner + "result").Single();
        Assert.Equal("true", result.Element(Partner + "success")!.Value);
        var converted = org.Emulator.Org.Find(lead)!;
        Assert.True((bool)converted["IsConverted"]!);
        Assert.Equal("Closed - Converted", converted["Status"]);
        Assert.Equal(result.Element(Partner + "accountId")!.Value, converted["ConvertedAccountId"]);
        var contact = org.Emulator.Org.Find(result.Element(Partner + "contactId")!.Value)!;
        Assert.Equal(("Ada", "Lovelace", "ada@example.com"), ((string?)contact["FirstName"], (string?)contact["LastName"], (string?)contact["Email"]));
        Assert.Equal(converted["ConvertedAccountId"], contact["AccountId"]);
        var opportunity = org.Emulator.Org.Find(result.Element(Partner + "opportunityId")!.Value)!;
        Assert.Equal(("Analytical Engines-", "Web"), ((string?)opportunity["Name"], (string?)opportunity["LeadSource"]));
        Assert.Equal("Analytical Engines", org.Emulator.Org.Find((string)converted["ConvertedAccountId"]!)!["Name"]);
        var repeat = again.Body.Descendants(Partner + "result").Single();
        Assert.Equal(("false", "INVALID_STATUS"), (repeat.Element(Partner + "success")!.Value, repeat.Descendants(Partner + "statusCode").Single().Value));
    }

    [Fact]
    public async Task ConvertLead_can_merge_into_an_existing_account_without_an_opportunity()
    {
        await using var org = new EmulatedOrg();
        var account = org.Emulator.Org.Create(org.Emulator.Org.Schema.Find("Account")!, new Dictionary<string, object?> { ["Name"] = "Existing" });
        var lead = org.Emulator.Org.Create(org.Emulator.Org.Schema.Find("Lead")!, new Dictionary<string, object?> { ["LastName"] = "Byron", ["Company"] = "Other Co" });

        var (_, body) = await Convert(org, SalesforceEmulatorOptions.DefaultAccessToken,
            $"<urn:accountId>{account}</urn:accountId><urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus><urn:doNotCreateOpportunity>true</urn:doNotCreateOpportunity>");

        var result = body.Descendants(Partner + "result").Single();
        Assert.Equal(account, result.Element(Partner + "accountId")!.Value);
        Assert.Equal("true", result.Element(Partner + "opportunityId")!.Attribute(XName.Get("nil", "http://www.w3.org/2001/XMLSchema-instance"))!.Value);
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Opportunity")!));
        Assert.Single(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
    }

    [Fact]
    public async Task A_bad_status_fails_the_one_lead_and_changes_nothing_and_a_bad_session_is_a_fault()
    {
        await using var org = new EmulatedOrg();
        var lead = org.Emulator.Org.Create(org.Emulator.Org.Schema.Find("Lead")!, new Dictionary<string, object?> { ["LastName"] = "X", ["Company"] = "Y" });

        var (_, body) = await Convert(org, SalesforceEmulatorOptions.DefaultAccessToken, $"<urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Working - Contacted</urn:convertedStatus>");
        var (faultStatus, fault) = await Convert(org, "not-a-session", $"<urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus>");

        Assert.Equal("INVALID_STATUS", body.Descendants(Partner + "statusCode").Single().Value);
        Assert.Empty(org.Emulator.Org.Records(org.Emulator.Org.Schema.Find("Account")!));
        Assert.False((bool)org.Emulator.Org.Find(lead)!["IsConverted"]!);
        Assert.Equal(HttpStatusCode.InternalServerError, faultStatus);
        Assert.Equal("sf:INVALID_SESSION_ID", fault.Descendants("faultcode").Single().Value);
    }

    private static async Task<(HttpStatusCode Status, XDocument Body)> Convert(EmulatedOrg org, string session, string leadConvert)
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{session}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body><urn:convertLead><urn:leadConverts>{leadConvert}</urn:leadConverts></urn:convertLead></soapenv:Body>
            </soapenv:Envelope>
            """;
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await org.Http.PostAsync(new Uri("/services/Soap/u/66.0", UriKind.Relative), content, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}
