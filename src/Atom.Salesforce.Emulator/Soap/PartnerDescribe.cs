using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Json;

namespace Atom.Salesforce.Emulator.Soap;

/// <summary>
/// SOAP partner <c>describeSObjects(string[] sObjectType)</c> (SOAP API Developer Guide, "describeSObjects()",
/// "DescribeSObjectResult"): one DescribeSObjectResult per type, in the order asked, at most 100 types a call. The result
/// is the same describe the REST API serves (both are the org's one describe), written as XML: the partner WSDL's
/// DescribeSObjectResult and Field sequences are in alphabetical order, so the properties are written sorted; arrays are
/// repeated elements; <c>urls</c> (REST only) becomes <c>urlDetail</c>, <c>urlEdit</c> and <c>urlNew</c> (SOAP only);
/// null properties are left out (their elements are optional in the WSDL). A type the org does not have faults the whole
/// call with <c>sf:INVALID_TYPE</c> (an <c>InvalidSObjectFault</c>).
/// </summary>
internal static class PartnerDescribe
{
    /// <summary>"describeSObjects(): ... up to 100 objects" (SOAP API Developer Guide, limits of the call).</summary>
    public const int MaxTypes = 100;

    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    public static string Run(IEmulatorHost host, XElement operation, decimal version)
    {
        var names = operation.Elements(Partner + "sObjectType").Select(e => e.Value.Trim()).ToList();
        if (names.Count > MaxTypes)
        {
            // The documented limit; Salesforce's fault text past it is not recorded in our sources.
            throw new SoapFaultException("EXCEEDED_ID_LIMIT", $"describeSObjects: more than {MaxTypes} types", "InvalidIdFault");
        }

        var instance = host.InstanceUrl.ToString().TrimEnd('/');
        var versionPath = $"/services/data/v{version.ToString("0.0", CultureInfo.InvariantCulture)}";
        var body = new StringBuilder("<describeSObjectsResponse>");
        foreach (var name in names)
        {
            var obj = host.Org.Schema.Find(name) ?? throw new SoapFaultException(
                "INVALID_TYPE",
                $"sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
                "InvalidSObjectFault");
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                DescribeJson.WriteDescribe(writer, versionPath, obj);
            }

            using var describe = JsonDocument.Parse(buffer.ToArray());
            body.Append("<result>");
            var properties = describe.RootElement.EnumerateObject().Where(p => p.Name != "urls").Select(p => (p.Name, Value: (JsonElement?)p.Value)).ToList();
            if (obj.Writable)
            {
                // Classic UI URLs, as the partner API's describe gives them: the record, its edit page, and a new record.
                properties.Add(("urlDetail", JsonSerializer.SerializeToElement($"{instance}/{{ID}}")));
                properties.Add(("urlEdit", JsonSerializer.SerializeToElement($"{instance}/{{ID}}/e")));
                properties.Add(("urlNew", JsonSerializer.SerializeToElement($"{instance}/{obj.KeyPrefix}/e")));
            }

            foreach (var (property, value) in properties.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                Write(body, property, value!.Value);
            }

            body.Append("</result>");
        }

        return body.Append("</describeSObjectsResponse>").ToString();
    }

    private static void Write(StringBuilder xml, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Write(xml, name, item);
                }

                return;
            case JsonValueKind.Object:
                xml.Append('<').Append(name).Append('>');
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    Write(xml, property.Name, property.Value);
                }

                xml.Append("</").Append(name).Append('>');
                return;
            case JsonValueKind.True or JsonValueKind.False:
                // A field's defaultValue is xsd:anyType in the WSDL, so its type is named on the element.
                var typeAttribute = name == "defaultValue" ? " xsi:type=\"xsd:boolean\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"" : string.Empty;
                xml.Append('<').Append(name).Append(typeAttribute).Append('>').Append(value.ValueKind == JsonValueKind.True ? "true" : "false").Append("</").Append(name).Append('>');
                return;
            default:
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                xml.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(text)).Append("</").Append(name).Append('>');
                return;
        }
    }
}
