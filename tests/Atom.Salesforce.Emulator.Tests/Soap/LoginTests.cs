using System.Net;
using System.Text;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.OAuth;
using Atom.Salesforce.Emulator.Tests.OAuth;

namespace Atom.Salesforce.Emulator.Tests.Soap;

/// <summary>
/// SOAP partner login(), getUserInfo() and logout(), read as SOAP clients read them: simple-salesforce takes sessionId and
/// serverUrl from the loginResponse and sf:exceptionCode from a fault; jsforce also takes userId and organizationId.
/// Shapes: SOAP API Developer Guide (login(), LoginResult, getUserInfoResult, logout()) and the recorded responses in
/// tests/data/fixtures/oauth/soap_login_*.simple-salesforce.xml.
/// </summary>
public sealed class LoginTests
{
    private const string Username = "jane@acme.example";
    private const string Password = "s3cret";
    private const string SecurityToken = "AbCdEfGhIjKlMnOpQrStUvWx";

    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";
    private static readonly XNamespace Fault = "urn:fault.partner.soap.sforce.com";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_with_password_and_security_token_returns_a_session_the_REST_API_accepts_until_the_session_timeout()
    {
        using var org = NewOrg(TimeSpan.FromMinutes(30));

        var (status, body) = await LoginAsync(org, Username, Password + SecurityToken);

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.Descendants(Partner + "loginResponse").Single().Element(Partner + "result")!;
        var instance = org.Emulator.InstanceUrl.ToString().TrimEnd('/');
        var userId = org.Emulator.OAuthServer.FindUser(Username)!.Id;
        Assert.Equal(
            ["metadataServerUrl", "passwordExpired", "sandbox", "serverUrl", "sessionId", "userId", "userInfo"],
            result.Elements().Select(e => e.Name.LocalName));
        Assert.Equal($"{instance}/services/Soap/u/64.0/00DHs0000000001", result.Element(Partner + "serverUrl")!.Value);
        Assert.Equal($"{instance}/services/Soap/m/64.0/00DHs0000000001", result.Element(Partner + "metadataServerUrl")!.Value);
        Assert.Equal(("false", "false"), (result.Element(Partner + "passwordExpired")!.Value, result.Element(Partner + "sandbox")!.Value));
        Assert.Equal(userId, result.Element(Partner + "userId")!.Value);
        var sessionId = result.Element(Partner + "sessionId")!.Value;
        Assert.Matches("^00DHs0000000001![A-Za-z0-9._]+$", sessionId);
        var info = result.Element(Partner + "userInfo")!;
        Assert.Equal((Username, userId, "00DHs0000000001MAA"), (info.Element(Partner + "userName")!.Value, info.Element(Partner + "userId")!.Value, info.Element(Partner + "organizationId")!.Value));
        Assert.Equal(("Jane Doe", Username), (info.Element(Partner + "userFullName")!.Value, info.Element(Partner + "userEmail")!.Value));
        Assert.Equal("1800", info.Element(Partner + "sessionSecondsValid")!.Value);

        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(sessionId)).Status);
        org.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(sessionId)).Status);
    }

    [Fact]
    public async Task A_wrong_password_or_an_unknown_user_is_the_INVALID_LOGIN_fault_and_a_missing_token_says_so()
    {
        using var org = NewOrg();

        var wrong = await LoginAsync(org, Username, "nope" + SecurityToken);
        var unknown = await LoginAsync(org, "nobody@acme.example", Password + SecurityToken);
        var noToken = await LoginAsync(org, Username, Password);

        foreach (var (status, body) in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Equal("sf:INVALID_LOGIN", body.Descendants("faultcode").Single().Value);
            Assert.Equal("INVALID_LOGIN: Invalid username, password, security token; or user locked out.", body.Descendants("faultstring").Single().Value);
            var detail = body.Descendants(Fault + "LoginFault").Single();
            Assert.Equal("sf:LoginFault", detail.Attribute(Xsi + "type")!.Value);
            Assert.Equal("INVALID_LOGIN", detail.Element(Fault + "exceptionCode")!.Value);
            Assert.Equal("Invalid username, password, security token; or user locked out.", detail.Element(Fault + "exceptionMessage")!.Value);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, noToken.Status);
        Assert.Equal("sf:LOGIN_MUST_USE_SECURITY_TOKEN", noToken.Body.Descendants("faultcode").Single().Value);
        Assert.StartsWith(
            "LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. Are you at a new location?",
            noToken.Body.Descendants("faultstring").Single().Value,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_is_not_served_from_API_version_65_0()
    {
        using var org = NewOrg();

        var (status, body) = await LoginAsync(org, Username, Password + SecurityToken, "65.0");

        // SOAP API Developer Guide, login(): "available in API version 64.0 and earlier"; the text as forcedotcom/wsc#363 quotes it.
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("sf:INVALID_OPERATION", body.Descendants("faultcode").Single().Value);
        Assert.Equal(
            "INVALID_OPERATION: The SOAP Login operation is not available in the API version specified (65.0). Refer to the documentation for supported versions.",
            body.Descendants("faultstring").Single().Value);
    }

    [Fact]
    public async Task GetUserInfo_returns_the_GetUserInfoResult_of_the_session_user_in_the_WSDL_order()
    {
        using var org = NewOrg();
        var sessionId = await SessionAsync(org);

        var (status, body) = await CallAsync(org, sessionId, "<urn:getUserInfo/>", "64.0/00DHs0000000001");

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.Descendants(Partner + "getUserInfoResponse").Single().Element(Partner + "result")!;
        Assert.Equal(
            [
                "accessibilityMode", "chatterExternal", "currencySymbol", "orgAttachmentFileSizeLimit", "orgDefaultCurrencyIsoCode",
                "orgDefaultCurrencyLocale", "orgDisallowHtmlAttachments", "orgHasPersonAccounts", "organizationId", "organizationMultiCurrency",
                "organizationName", "profileId", "roleId", "sessionSecondsValid", "userDefaultCurrencyIsoCode", "userEmail", "userFullName",
                "userId", "userLanguage", "userLocale", "userName", "userTimeZone", "userType", "userUiSkin",
            ],
            result.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(Username, result.Element(Partner + "userName")!.Value);
        Assert.Equal("00DHs0000000001MAA", result.Element(Partner + "organizationId")!.Value);
        Assert.StartsWith("00e", result.Element(Partner + "profileId")!.Value, StringComparison.Ordinal);
        Assert.Equal("false", result.Element(Partner + "organizationMultiCurrency")!.Value);
        Assert.Equal("true", result.Element(Partner + "userDefaultCurrencyIsoCode")!.Attribute(Xsi + "nil")!.Value);
    }

    [Fact]
    public async Task Logout_ends_the_session_for_SOAP_and_REST()
    {
        using var org = NewOrg();
        var sessionId = await SessionAsync(org);
        var other = await SessionAsync(org);

        var (status, body) = await CallAsync(org, sessionId, "<urn:logout/>");
        var after = await CallAsync(org, sessionId, "<urn:getUserInfo/>");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body.Descendants(Partner + "logoutResponse").Single().Elements());
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.RestAsync(sessionId)).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, after.Status);
        Assert.Equal("sf:INVALID_SESSION_ID", after.Body.Descendants("faultcode").Single().Value);
        Assert.Equal("INVALID_SESSION_ID", after.Body.Descendants(Fault + "exceptionCode").Single().Value);
        Assert.Equal(HttpStatusCode.OK, (await org.RestAsync(other)).Status);
    }

    private static OAuthOrg NewOrg(TimeSpan? sessionTimeout = null) => new(o =>
    {
        o.SessionTimeout = sessionTimeout ?? o.SessionTimeout;
        o.OAuth.Users.Add(new EmulatorUser(Username) { Password = Password, SecurityToken = SecurityToken, FirstName = "Jane", LastName = "Doe" });
    });

    private static async Task<string> SessionAsync(OAuthOrg org)
    {
        var (status, body) = await LoginAsync(org, Username, Password + SecurityToken);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.Descendants(Partner + "sessionId").Single().Value;
    }

    /// <summary>The request simple-salesforce's SalesforceLogin posts: no header, a prefixed partner login element.</summary>
    private static async Task<(HttpStatusCode Status, XDocument Body)> LoginAsync(OAuthOrg org, string username, string password, string version = "64.0")
    {
        var envelope = $"""
            <?xml version="1.0" encoding="utf-8" ?>
            <env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
              <env:Body>
                <n1:login xmlns:n1="urn:partner.soap.sforce.com">
                  <n1:username>{System.Security.SecurityElement.Escape(username)}</n1:username>
                  <n1:password>{System.Security.SecurityElement.Escape(password)}</n1:password>
                </n1:login>
              </env:Body>
            </env:Envelope>
            """;
        return await PostAsync(org, version, envelope);
    }

    private static async Task<(HttpStatusCode Status, XDocument Body)> CallAsync(OAuthOrg org, string sessionId, string operation, string path = "64.0")
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{sessionId}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body>{operation}</soapenv:Body>
            </soapenv:Envelope>
            """;
        return await PostAsync(org, path, envelope);
    }

    private static async Task<(HttpStatusCode Status, XDocument Body)> PostAsync(OAuthOrg org, string path, string envelope)
    {
        using var content = new StringContent(envelope.TrimStart(), Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await org.Http.PostAsync(new Uri("/services/Soap/u/" + path, UriKind.Relative), content, Ct);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }
}
