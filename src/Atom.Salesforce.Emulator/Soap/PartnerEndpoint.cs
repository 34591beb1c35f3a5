using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Soap;

/// <summary>
/// The SOAP Partner API endpoint, for the one call REST lacks: <c>convertLead</c> (reference §7.1). The session comes in
/// the envelope's SessionHeader, as SOAP clients send it.
/// </summary>
internal static class PartnerEndpoint
{
    private const string ConvertedStatus = "Closed - Converted";
    private static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    public static void Map(Router router) => router.Map("POST", "/services/Soap/u/{soapVersion}", Handle, anonymous: true);

    private static EmulatorResponse Handle(RequestContext context)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(context.Request.Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            return Fault("soapenv:Client", $"Unable to parse the request: {e.Message}", 500);
        }

        var sessionId = document.Descendants(Partner + "sessionId").FirstOrDefault()?.Value;
        var session = context.Emulator.Sessions.Find(sessionId);
        if (session is null)
        {
            return Fault("sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session", 500);
        }

        if (!context.Emulator.Usage.TryCount(out var used))
        {
            return Fault("sf:REQUEST_LIMIT_EXCEEDED", "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.", 500);
        }

        var operation = document.Root?.Element(Envelope + "Body")?.Elements().FirstOrDefault();
        if (operation is null || operation.Name != Partner + "convertLead")
        {
            return Fault("soapenv:Client", $"No operation available for request {operation?.Name.ToString() ?? "(empty body)"}", 500);
        }

        var results = new StringBuilder();
        foreach (var convert in operation.Elements(Partner + "leadConverts"))
        {
            results.Append(ConvertOne(context, convert));
        }

        var response = Ok($"<convertLeadResponse>{results}</convertLeadResponse>", used, context.Emulator.Usage.Limit);
        response.Headers["Sforce-Limit-Info"] = $"api-usage={used}/{context.Emulator.Usage.Limit}";
        return response;
    }

    private static string ConvertOne(RequestContext context, XElement convert)
    {
        string? Value(string name) => convert.Element(Partner + name) is { } e && e.Attribute(XName.Get("nil", "http://www.w3.org/2001/XMLSchema-instance"))?.Value != "true" && e.Value.Length > 0 ? e.Value : null;
        bool Flag(string name) => string.Equals(Value(name), "true", StringComparison.OrdinalIgnoreCase);
        var leadId = Value("leadId");
        var org = context.Org;
        lock (org.SyncRoot)
        {
            var savepoint = org.Savepoint();
            try
            {
                var lead = leadId is null ? null : org.Find(leadId);
                if (lead is null || lead.IsDeleted || lead.Schema.Name != "Lead")
                {
                    throw new ApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "leadId");
                }

                if (lead["IsConverted"] is true)
                {
                    throw new ApiException(400, "INVALID_STATUS", "Lead already converted");
                }

                var status = Value("convertedStatus");
                if (status != ConvertedStatus)
                {
                    throw new ApiException(400, "INVALID_STATUS", $"invalid convertedStatus: {status}", "convertedStatus");
                }

                var ownerId = Value("ownerId") ?? (string?)lead["OwnerId"];
                var today = DateOnly.FromDateTime(org.Now.UtcDateTime);
                var accountId = Value("accountId") ?? org.Create(org.Schema.Find("Account")!, Copy(lead, ownerId, new()
                {
                    ["Name"] = "Company", ["Industry"] = "Industry", ["AnnualRevenue"] = "AnnualRevenue", ["NumberOfEmployees"] = "NumberOfEmployees",
                    ["Phone"] = "Phone", ["AccountSource"] = "LeadSource", ["Rating"] = "Rating", ["BillingStreet"] = "Street", ["BillingCity"] = "City",
                    ["BillingState"] = "State", ["BillingPostalCode"] = "PostalCode", ["BillingCountry"] = "Country", ["Description"] = "Description",
                }));
                var account = org.Find(accountId);
                if (account is null || account.IsDeleted || account.Schema.Name != "Account")
                {
                    throw new ApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "accountId");
                }

                string contactId;
                if (Value("contactId") is { } existing)
                {
                    var contact = org.Find(existing);
                    if (contact is null || contact.IsDeleted || contact.Schema.Name != "Contact" || !Equals(contact["AccountId"], account.Id))
                    {
                        throw new ApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "contactId");
                    }

                    contactId = contact.Id;
                    if (Flag("overwriteLeadSource"))
                    {
                        org.Update(contact.Schema, contactId, new Dictionary<string, object?> { ["LeadSource"] = lead["LeadSource"] });
                    }
                }
                else
                {
                    var values = Copy(lead, ownerId, new()
                    {
                        ["FirstName"] = "FirstName", ["LastName"] = "LastName", ["Email"] = "Email", ["Phone"] = "Phone", ["Title"] = "Title",
                        ["LeadSource"] = "LeadSource", ["MailingStreet"] = "Street", ["MailingCity"] = "City", ["MailingState"] = "State",
                        ["MailingPostalCode"] = "PostalCode", ["MailingCountry"] = "Country",
                    });
                    values["AccountId"] = account.Id;
                    contactId = org.Create(org.Schema.Find("Contact")!, values);
                }

                string? opportunityId = null;
                if (!Flag("doNotCreateOpportunity"))
                {
                    opportunityId = org.Create(org.Schema.Find("Opportunity")!, new Dictionary<string, object?>
                    {
                        ["Name"] = Value("opportunityName") ?? $"{lead["Company"]}-",
                        ["AccountId"] = account.Id,
                        ["StageName"] = "Prospecting",
                        ["CloseDate"] = EndOfQuarter(today),
                        ["LeadSource"] = lead["LeadSource"],
                        ["OwnerId"] = ownerId,
                    });
                }

                org.SeedUpdate(lead.Schema.Name, lead.Id, new Dictionary<string, object?>
                {
                    ["IsConverted"] = true,
                    ["Status"] = status,
                    ["ConvertedDate"] = today,
                    ["ConvertedAccountId"] = account.Id,
                    ["ConvertedContactId"] = contactId,
                    ["ConvertedOpportunityId"] = opportunityId,
                });
                org.Commit(savepoint);
                return $"<result><accountId>{account.Id}</accountId><contactId>{contactId}</contactId><leadId>{lead.Id}</leadId>"
                    + (opportunityId is null ? "<opportunityId xsi:nil=\"true\"/>" : $"<opportunityId>{opportunityId}</opportunityId>")
                    + "<success>true</success></result>";
            }
            catch (ApiException e)
            {
                org.RollbackTo(savepoint);
                var error = e.Errors[0];
                var fields = string.Concat((error.Fields ?? []).Select(f => $"<fields>{SecurityElement.Escape(f)}</fields>"));
                return $"<result><accountId xsi:nil=\"true\"/><contactId xsi:nil=\"true\"/><errors>{fields}<message>{SecurityElement.Escape(error.Message)}</message>"
                    + $"<statusCode>{error.ErrorCode}</statusCode></errors><leadId>{SecurityElement.Escape(leadId ?? string.Empty)}</leadId>"
                    + "<opportunityId xsi:nil=\"true\"/><success>false</success></result>";
            }
        }
    }

    /// <summary>The lead's values for the fields of a new record: target field → lead field; empty ones left out.</summary>
    private static Dictionary<string, object?> Copy(StoredRecord lead, string? ownerId, Dictionary<string, string> map)
    {
        var values = map.Where(p => lead[p.Value] is not null).ToDictionary(p => p.Key, p => lead[p.Value], StringComparer.OrdinalIgnoreCase);
        values["OwnerId"] = ownerId;
        return values;
    }

    private static DateOnly EndOfQuarter(DateOnly day)
    {
        var lastMonth = ((day.Month - 1) / 3 * 3) + 3;
        return new DateOnly(day.Year, lastMonth, DateTime.DaysInMonth(day.Year, lastMonth));
    }

    private static EmulatorResponse Ok(string body, int used, int limit) => EmulatorResponse.Text(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        + $"<soapenv:Header><LimitInfoHeader><limitInfo><current>{used.ToString(CultureInfo.InvariantCulture)}</current><limit>{limit.ToString(CultureInfo.InvariantCulture)}</limit>"
        + "<type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>"
        + $"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>",
        "text/xml;charset=UTF-8");

    private static EmulatorResponse Fault(string code, string message, int status) => EmulatorResponse.Text(
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns:sf=\"urn:fault.partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>"
        + $"<faultcode>{code}</faultcode><faultstring>{SecurityElement.Escape(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>",
        "text/xml;charset=UTF-8");
}
