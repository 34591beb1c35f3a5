using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Auth;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.OAuth;

namespace Atom.Salesforce.Emulator.Soap;

/// <summary>
/// The SOAP Partner API endpoint: <c>login</c>, <c>logout</c> and <c>getUserInfo</c> (the login path of SOAP clients such
/// as jsforce's <c>conn.login</c> and simple-salesforce), <c>undelete</c>, <c>convertLead</c>, the one call REST lacks
/// (reference §7.1), and the calls that accompany it: <c>merge</c> (<see cref="PartnerMerge"/>) and
/// <c>describeSObjects</c> (<see cref="PartnerDescribe"/>).
/// Every call but <c>login</c> takes its session in the envelope's SessionHeader, as SOAP clients send it. Shapes follow
/// the partner WSDL (<c>urn:partner.soap.sforce.com</c>, faults in <c>urn:fault.partner.soap.sforce.com</c>).
/// </summary>
internal sealed class PartnerEndpoint(OAuthServer oauth)
{
    /// <summary>The last API version that serves <c>login()</c> (SOAP API Developer Guide, "login()": available in 64.0 and earlier).</summary>
    public const decimal LastLoginVersion = 64.0m;

    private const string ConvertedStatus = "Closed - Converted";

    // The text Salesforce answers a right password without the user's security token, as clients print it (for example
    // jsforce users' reports: "LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked
    // out. Are you at a new location? ...").
    private const string MustUseSecurityToken = "Invalid username, password, security token; or user locked out. Are you at a new location? "
        + "When accessing Salesforce--either via a desktop client or the API--from outside of your company\u2019s trusted networks, you must add a security "
        + "token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security "
        + "Token in the Quick Find box, then select Reset My Security Token.";
    private static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    public void Map(Router router)
    {
        router.Map("POST", "/services/Soap/u/{soapVersion}", Handle, anonymous: true);

        // The serverUrl login() hands out ends with the org id; clients such as the Java WSC post every later call there.
        router.Map("POST", "/services/Soap/u/{soapVersion}/{orgId}", Handle, anonymous: true);
    }

    private EmulatorResponse Handle(RequestContext context)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(context.Request.Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            return ClientFault($"Unable to parse the request: {e.Message}");
        }

        // Salesforce's answer to a version it does not serve, as SOAP clients report it (e.g. superfell/zkSforce#52:
        // "sf:UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL").
        var versionText = context["soapVersion"];
        if (!ApiVersions.TryParse("v" + versionText, out var version))
        {
            return Fault("UNSUPPORTED_API_VERSION", "Invalid Api version specified on URL");
        }

        var operation = document.Root?.Element(Envelope + "Body")?.Elements().FirstOrDefault();
        if (operation is not null && operation.Name == Partner + "login")
        {
            // login() needs no SessionHeader and is not an API request (it counts toward the login rate limit instead).
            return Login(context, operation, versionText, version);
        }

        var sessionId = document.Root?.Element(Envelope + "Header")?.Element(Partner + "SessionHeader")?.Element(Partner + "sessionId")?.Value
            ?? document.Descendants(Partner + "sessionId").FirstOrDefault()?.Value;
        var session = context.Host.Sessions.Find(sessionId);
        if (session is null)
        {
            return Fault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session");
        }

        if (!context.Host.Usage.TryCount(out var used))
        {
            return Fault("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }

        string body;
        if (operation is not null && operation.Name == Partner + "convertLead")
        {
            var results = new StringBuilder();
            foreach (var convert in operation.Elements(Partner + "leadConverts"))
            {
                results.Append(ConvertOne(context, convert));
            }

            body = $"<convertLeadResponse>{results}</convertLeadResponse>";
        }
        else if (operation is not null && operation.Name == Partner + "getUserInfo")
        {
            body = $"<getUserInfoResponse><result>{UserInfo(context, session)}</result></getUserInfoResponse>";
        }
        else if (operation is not null && operation.Name == Partner + "undelete")
        {
            body = $"<undeleteResponse>{string.Concat(operation.Elements(Partner + "ids").Select(ids => UndeleteOne(context, ids.Value.Trim())))}</undeleteResponse>";
        }
        else if (operation is not null && (operation.Name == Partner + "merge" || operation.Name == Partner + "describeSObjects"))
        {
            try
            {
                body = operation.Name == Partner + "merge" ? PartnerMerge.Run(context.Org, operation) : PartnerDescribe.Run(context.Host, operation, version);
            }
            catch (SoapFaultException e)
            {
                return Fault(e.Code, e.Message, e.DetailType);
            }
        }
        else if (operation is not null && operation.Name == Partner + "logout")
        {
            // SOAP API Developer Guide, "logout()": ends the session; the id stops working everywhere, REST included.
            context.Host.Sessions.Revoke(session.AccessToken);
            body = "<logoutResponse/>";
        }
        else
        {
            return ClientFault($"No operation available for request {operation?.Name.ToString() ?? "(empty body)"}");
        }

        var response = Ok(body, used, context.Host.Usage.Limit);
        response.Headers["Sforce-Limit-Info"] = $"api-usage={used}/{context.Host.Usage.Limit}";
        return response;
    }

    /// <summary>
    /// login(username, password): the password followed by the user's security token. The LoginResult's elements in the
    /// WSDL's order (SOAP API Developer Guide, "LoginResult"; partner WSDL; a recorded partner response, gist
    /// brsanthu/a4b3e06f1b30fce19043, and simple-salesforce's LOGIN_RESPONSE_SUCCESS in tests/data/fixtures/oauth):
    /// serverUrl is <c>{instance}/services/Soap/u/{version}/{15-char org id}</c>, metadataServerUrl the same under
    /// <c>/Soap/m/</c>, and the session id is an ordinary session, so REST takes it as a bearer token.
    /// </summary>
    private EmulatorResponse Login(RequestContext context, XElement operation, string versionText, decimal version)
    {
        if (version > LastLoginVersion)
        {
            // The fault Salesforce gives from 65.0 (forcedotcom/wsc#363, quoting ApiFault exceptionCode and message). The
            // detail's fault type is not recorded there; UnexpectedErrorFault, the type of a non-login ApiFault, is a guess.
            return Fault("INVALID_OPERATION", $"The SOAP Login operation is not available in the API version specified ({versionText}). Refer to the documentation for supported versions.");
        }

        var (user, check) = oauth.CheckPassword(
            operation.Element(Partner + "username")?.Value, operation.Element(Partner + "password")?.Value);
        switch (check)
        {
            case PasswordCheck.MissingSecurityToken:
                return Fault("LOGIN_MUST_USE_SECURITY_TOKEN", MustUseSecurityToken, detailType: "LoginFault");
            case PasswordCheck.Invalid:
                // tests/data/fixtures/oauth/soap_login_fault_invalid_login.simple-salesforce.xml: HTTP 500, LoginFault detail.
                return Fault("INVALID_LOGIN", "Invalid username, password, security token; or user locked out.", detailType: "LoginFault");
        }

        var session = context.Host.Sessions.Issue(user!.Id);
        var instance = context.Host.InstanceUrl.ToString().TrimEnd('/');
        var orgId15 = OAuthServer.OrgId[..15];
        var organization = context.Org.Find(OAuthServer.OrgId);
        var sandbox = organization?["IsSandbox"] is true;
        return Ok(
            "<loginResponse><result>"
            + $"<metadataServerUrl>{instance}/services/Soap/m/{versionText}/{orgId15}</metadataServerUrl>"
            + "<passwordExpired>false</passwordExpired>"
            + $"<sandbox>{Bool(sandbox)}</sandbox>"
            + $"<serverUrl>{instance}/services/Soap/u/{versionText}/{orgId15}</serverUrl>"
            + $"<sessionId>{SecurityElement.Escape(session.AccessToken)}</sessionId>"
            + $"<userId>{user.Id}</userId>"
            + $"<userInfo>{UserInfo(context, session)}</userInfo>"
            + "</result></loginResponse>");
    }

    /// <summary>
    /// The GetUserInfoResult's elements in the partner WSDL's order (SOAP API Developer Guide, "getUserInfoResult";
    /// jsforce's generated schema type GetUserInfoResult). The org is a single-currency US-dollar org, as a new Developer
    /// Edition org; the 5 MB attachment limit and Theme3 skin are the values of simple-salesforce's recorded response.
    /// </summary>
    private static string UserInfo(RequestContext context, Session session)
    {
        var user = context.Org.Find(session.UserId)!;
        var organization = context.Org.Find(OAuthServer.OrgId);
        var secondsValid = session.ExpiresAt is { } expires
            ? Math.Max(0, (long)(expires - context.Host.TimeProvider.GetUtcNow()).TotalSeconds)
            : (long)context.Host.Sessions.Timeout.TotalSeconds;
        string Text(string name, object? value) => value is null ? $"<{name} xsi:nil=\"true\"/>" : $"<{name}>{SecurityElement.Escape(Convert.ToString(value, CultureInfo.InvariantCulture))}</{name}>";
        return Text("accessibilityMode", "false")
            + Text("chatterExternal", "false")
            + Text("currencySymbol", "$")
            + Text("orgAttachmentFileSizeLimit", 5242880)
            + Text("orgDefaultCurrencyIsoCode", "USD")
            + Text("orgDefaultCurrencyLocale", organization?["DefaultLocaleSidKey"] ?? "en_US")
            + Text("orgDisallowHtmlAttachments", "false")
            + Text("orgHasPersonAccounts", "false")
            + Text("organizationId", OAuthServer.OrgId)
            + Text("organizationMultiCurrency", "false")
            + Text("organizationName", organization?["Name"])
            + Text("profileId", user["ProfileId"])
            + Text("roleId", user["UserRoleId"])
            + Text("sessionSecondsValid", secondsValid)
            + Text("userDefaultCurrencyIsoCode", null)
            + Text("userEmail", user["Email"])
            + Text("userFullName", user["Name"])
            + Text("userId", user.Id)
            + Text("userLanguage", user["LanguageLocaleKey"])
            + Text("userLocale", user["LocaleSidKey"])
            + Text("userName", user["Username"])
            + Text("userTimeZone", user["TimeZoneSidKey"])
            + Text("userType", user["UserType"] ?? "Standard")
            + Text("userUiSkin", "Theme3");
    }

    /// <summary>
    /// One UndeleteResult, elements in the partner WSDL's order: errors, id, success (SOAP API Developer Guide, "undelete()",
    /// "UndeleteResult"). On a failure the id is written nil, as the SaveResult of a failed row; Salesforce's choice there
    /// is not recorded in our sources.
    /// </summary>
    private static string UndeleteOne(RequestContext context, string id)
    {
        try
        {
            context.Org.Undelete(id);
            return $"<result><id>{SecurityElement.Escape(id)}</id><success>true</success></result>";
        }
        catch (ApiException e)
        {
            var error = e.Errors[0];
            return $"<result><errors><message>{SecurityElement.Escape(error.Message)}</message><statusCode>{error.ErrorCode}</statusCode></errors>"
                + "<id xsi:nil=\"true\"/><success>false</success></result>";
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

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

    /// <summary>A response without a header: login() is not an API request, so it carries no LimitInfoHeader.</summary>
    private static EmulatorResponse Ok(string body) => EmulatorResponse.Text(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        + $"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>",
        "text/xml;charset=UTF-8");

    private static EmulatorResponse Ok(string body, int used, int limit) => EmulatorResponse.Text(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        + $"<soapenv:Header><LimitInfoHeader><limitInfo><current>{used.ToString(CultureInfo.InvariantCulture)}</current><limit>{limit.ToString(CultureInfo.InvariantCulture)}</limit>"
        + "<type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>"
        + $"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>",
        "text/xml;charset=UTF-8");

    /// <summary>A client fault (<c>soapenv:Client</c>): a fault code and text, no detail.</summary>
    private static EmulatorResponse ClientFault(string message) => EmulatorResponse.Text(
        500,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns:sf=\"urn:fault.partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>"
        + "<faultcode>soapenv:Client</faultcode><faultstring>{SecurityElement.Escape(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>",
        "text/xml;charset=UTF-8");

    /// <summary>
    /// An API fault, HTTP 500: faultcode <c>sf:CODE</c>, faultstring <c>CODE: message</c>, and the typed detail with
    /// exceptionCode and exceptionMessage (tests/data/fixtures/oauth/soap_login_fault_invalid_login.simple-salesforce.xml;
    /// simple-salesforce reads <c>sf:exceptionCode</c> and <c>sf:exceptionMessage</c> from it). The recorded fixture
    /// writes the faultcode without its prefix; Salesforce writes it qualified, as SOAP clients report it
    /// ("SoapFaultCode=sf:UNSUPPORTED_API_VERSION", superfell/zkSforce#52; "sf:INVALID_SESSION_ID").
    /// </summary>
    private static EmulatorResponse Fault(string code, string message, string detailType = "UnexpectedErrorFault") => EmulatorResponse.Text(
        500,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns:sf=\"urn:fault.partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>"
        + $"<faultcode>sf:{code}</faultcode><faultstring>{code}: {SecurityElement.Escape(message)}</faultstring>"
        + $"<detail><sf:{detailType} xsi:type=\"sf:{detailType}\"><sf:exceptionCode>{code}</sf:exceptionCode>"
        + $"<sf:exceptionMessage>{SecurityElement.Escape(message)}</sf:exceptionMessage></sf:{detailType}></detail>"
        + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>",
        "text/xml;charset=UTF-8");
}
