using System.Net;
using System.Text;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Soap;

/// <summary>
/// SOAP undelete(ids): one UndeleteResult per id (errors, id, success), the record back with the records its delete took
/// (SOAP API Developer Guide, "undelete()"); a live record's error is UNDELETE_FAILED "Entity is not in the recycle bin".
/// </summary>
public sealed class UndeleteTests
{
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Undelete_restores_a_deleted_account_with_its_contacts_and_fails_a_live_record()
    {
        await using var org = new EmulatedOrg();
        var data = org.Emulator.Org;
        var account = data.Create(data.Schema.Find("Account")!, new Dictionary<string, object?> { ["Name"] = "Acme" });
        var contact = data.Create(data.Schema.Find("Contact")!, new Dictionary<string, object?> { ["LastName"] = "Doe", ["AccountId"] = account });
        var live = data.Create(data.Schema.Find("Account")!, new Dictionary<string, object?> { ["Name"] = "Live" });
        data.Delete(data.Schema.Find("Account")!, account);

        var (status, body) = await UndeleteAsync(org, account, live);

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.Descendants(Partner + "undeleteResponse").Single().Elements(Partner + "result").ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal(["id", "success"], results[0].Elements().Select(e => e.Name.LocalName));
        Assert.Equal((account, "true"), (results[0].Element(Partner + "id")!.Value, results[0].Element(Partner + "success")!.Value));
        Assert.Equal("false", results[1].Element(Partner + "success")!.Value);
        var error = results[1].Element(Partner + "errors")!;
        Assert.Equal(("UNDELETE_FAILED", "Entity is not in the recycle bin"), (error.Element(Partner + "statusCode")!.Value, error.Element(Partner + "message")!.Value));
        Assert.False(data.Find(account)!.IsDeleted);
        Assert.False(data.Find(contact)!.IsDeleted);
    }

    private static async Task<(HttpStatusCode Status, XDocument Body)> UndeleteAsync(EmulatedOrg org, params string[] ids)
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{SalesforceEmulatorOptions.DefaultAccessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body><urn:undelete>{string.Concat(ids.Select(id => $"<urn:ids>{id}</urn:ids>"))}</urn:undelete></soapenv:Body>
            </soapenv:Envelope>
            """;
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await org.Http.PostAsync(new Uri("/services/Soap/u/66.0", UriKind.Relative), content, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}
