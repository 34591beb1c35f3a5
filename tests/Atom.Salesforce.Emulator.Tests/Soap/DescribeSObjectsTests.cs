using System.Net;
using System.Text;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Soap;

/// <summary>
/// SOAP describeSObjects(sObjectType[]) (SOAP API Developer Guide, "describeSObjects()", "DescribeSObjectResult",
/// "Field"): one result per type in the order asked, fields as repeated <c>fields</c> elements with name, type and
/// soapType; a type the org lacks faults the call with INVALID_TYPE.
/// </summary>
public sealed class DescribeSObjectsTests
{
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DescribeSObjects_returns_a_result_per_type_in_order_with_its_fields()
    {
        await using var org = new EmulatedOrg();

        var (status, body) = await DescribeAsync(org, "Contact", "Account");

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.Descendants(Partner + "describeSObjectsResponse").Single().Elements(Partner + "result").ToList();
        Assert.Equal(["Contact", "Account"], results.Select(r => r.Element(Partner + "name")!.Value));
        var account = results[1];
        Assert.Equal("001", account.Element(Partner + "keyPrefix")!.Value);
        Assert.Equal("true", account.Element(Partner + "mergeable")!.Value);
        var name = account.Elements(Partner + "fields").Single(f => f.Element(Partner + "name")!.Value == "Name");
        Assert.Equal(("string", "xsd:string", "true"), (name.Element(Partner + "type")!.Value, name.Element(Partner + "soapType")!.Value, name.Element(Partner + "nameField")!.Value));
        var parent = account.Elements(Partner + "fields").Single(f => f.Element(Partner + "name")!.Value == "ParentId");
        Assert.Equal(["Account"], parent.Elements(Partner + "referenceTo").Select(e => e.Value));
        Assert.Contains(account.Elements(Partner + "childRelationships"), c => c.Element(Partner + "relationshipName")?.Value == "Contacts");

        // The partner WSDL's DescribeSObjectResult is a sequence in alphabetical order.
        var names = account.Elements().Select(e => e.Name.LocalName).Distinct().ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task DescribeSObjects_of_an_unknown_type_is_an_invalid_type_fault()
    {
        await using var org = new EmulatedOrg();

        var (status, body) = await DescribeAsync(org, "Account", "Nope__c");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("sf:INVALID_TYPE", body.Descendants("faultcode").Single().Value);
        Assert.StartsWith("INVALID_TYPE: sObject type 'Nope__c' is not supported.", body.Descendants("faultstring").Single().Value, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, XDocument Body)> DescribeAsync(EmulatedOrg org, params string[] types)
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{SalesforceEmulatorOptions.DefaultAccessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body><urn:describeSObjects>{string.Concat(types.Select(t => $"<urn:sObjectType>{t}</urn:sObjectType>"))}</urn:describeSObjects></soapenv:Body>
            </soapenv:Envelope>
            """;
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await org.Http.PostAsync(new Uri("/services/Soap/u/66.0", UriKind.Relative), content, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}
