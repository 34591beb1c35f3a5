using System.Net;
using System.Text;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Soap;

/// <summary>
/// SOAP merge(MergeRequest[]) (SOAP API Developer Guide, "merge()" and "MergeResult"): the victims are deleted with
/// MasterRecordId set (queryAll sees them), their related records are reparented to the master (updatedRelatedIds),
/// the masterRecord's field values supersede the master's, and the result's elements follow the WSDL: errors, id,
/// mergedRecordIds, success, updatedRelatedIds. Error codes of refused requests are not documented, so only
/// success=false with an error is asserted for them.
/// </summary>
public sealed class MergeTests
{
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Merge_deletes_the_victims_reparents_their_children_and_writes_the_masters_values()
    {
        await using var org = new EmulatedOrg();
        var data = org.Emulator.Org;
        var accounts = data.Schema.Find("Account")!;
        var master = data.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Acme", ["Phone"] = "1" });
        var victim1 = data.Create(accounts, new Dictionary<string, object?> { ["Name"] = "Acme Inc" });
        var victim2 = data.Create(accounts, new Dictionary<string, object?> { ["Name"] = "ACME" });
        var contact = data.Create(data.Schema.Find("Contact")!, new Dictionary<string, object?> { ["LastName"] = "Doe", ["AccountId"] = victim1 });
        var opportunity = data.Create(data.Schema.Find("Opportunity")!, new Dictionary<string, object?>
        {
            ["Name"] = "Deal", ["AccountId"] = victim2, ["StageName"] = "Prospecting", ["CloseDate"] = new DateOnly(2026, 1, 31),
        });

        var (status, body) = await MergeAsync(org, $"""
            <urn:request>
              <urn:masterRecord><urn1:type>Account</urn1:type><urn1:Id>{master}</urn1:Id><urn1:Phone>555-0100</urn1:Phone></urn:masterRecord>
              <urn:recordToMergeIds>{victim1}</urn:recordToMergeIds>
              <urn:recordToMergeIds>{victim2}</urn:recordToMergeIds>
            </urn:request>
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.Descendants(Partner + "mergeResponse").Single().Elements(Partner + "result").Single();
        Assert.Equal(["id", "mergedRecordIds", "mergedRecordIds", "success", "updatedRelatedIds", "updatedRelatedIds"], result.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(master, result.Element(Partner + "id")!.Value);
        Assert.Equal([victim1, victim2], result.Elements(Partner + "mergedRecordIds").Select(e => e.Value));
        Assert.Equal("true", result.Element(Partner + "success")!.Value);
        Assert.Equal(new[] { contact, opportunity }.Order(), result.Elements(Partner + "updatedRelatedIds").Select(e => e.Value).Order());

        Assert.True(data.Find(victim1)!.IsDeleted);
        Assert.Equal(master, data.Find(victim1)!["MasterRecordId"]);
        Assert.Equal(master, data.Find(victim2)!["MasterRecordId"]);
        Assert.Equal(master, data.Find(contact)!["AccountId"]);
        Assert.False(data.Find(contact)!.IsDeleted);
        Assert.Equal(master, data.Find(opportunity)!["AccountId"]);
        Assert.Equal("555-0100", data.Find(master)!["Phone"]);

        // "Use queryAll() to view records that have been deleted during a merge" (merge(), usage).
        var rows = await org.Http.GetStringAsync(new Uri($"/services/data/v66.0/queryAll?q=SELECT+Id+FROM+Account+WHERE+MasterRecordId='{master}'", UriKind.Relative), Ct);
        Assert.Contains(victim1, rows, StringComparison.Ordinal);
        Assert.Contains(victim2, rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_refuses_more_than_two_records_and_a_record_of_another_type_and_leaves_them_alone()
    {
        await using var org = new EmulatedOrg();
        var data = org.Emulator.Org;
        var accounts = data.Schema.Find("Account")!;
        var ids = Enumerable.Range(0, 4).Select(i => data.Create(accounts, new Dictionary<string, object?> { ["Name"] = $"A{i}" })).ToList();
        var contact = data.Create(data.Schema.Find("Contact")!, new Dictionary<string, object?> { ["LastName"] = "Doe" });

        var (status, body) = await MergeAsync(org, $"""
            <urn:request>
              <urn:masterRecord><urn1:type>Account</urn1:type><urn1:Id>{ids[0]}</urn1:Id></urn:masterRecord>
              {string.Concat(ids.Skip(1).Select(id => $"<urn:recordToMergeIds>{id}</urn:recordToMergeIds>"))}
            </urn:request>
            <urn:request>
              <urn:masterRecord><urn1:type>Account</urn1:type><urn1:Id>{ids[0]}</urn1:Id></urn:masterRecord>
              <urn:recordToMergeIds>{contact}</urn:recordToMergeIds>
            </urn:request>
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.Descendants(Partner + "result").ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal("false", r.Element(Partner + "success")!.Value);
            Assert.NotEmpty(r.Element(Partner + "errors")!.Element(Partner + "statusCode")!.Value);
        });
        Assert.All(ids, id => Assert.False(data.Find(id)!.IsDeleted));
        Assert.False(data.Find(contact)!.IsDeleted);
    }

    [Fact]
    public async Task Merge_without_a_session_is_an_invalid_session_fault()
    {
        await using var org = new EmulatedOrg();
        var (status, body) = await MergeAsync(org, "<urn:request/>", session: "nope");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("sf:INVALID_SESSION_ID", body.Descendants("faultcode").Single().Value);
    }

    private static async Task<(HttpStatusCode Status, XDocument Body)> MergeAsync(EmulatedOrg org, string requests, string? session = null)
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com" xmlns:urn1="urn:sobject.partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{session ?? SalesforceEmulatorOptions.DefaultAccessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body><urn:merge>{requests}</urn:merge></soapenv:Body>
            </soapenv:Envelope>
            """;
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await org.Http.PostAsync(new Uri("/services/Soap/u/66.0", UriKind.Relative), content, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}
