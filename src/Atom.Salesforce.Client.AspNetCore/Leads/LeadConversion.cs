using System.Net;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Telemetry;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Leads;

/// <summary>
/// <c>leads/convert</c>: converts a lead through the SOAP Partner API's <c>convertLead</c> (REST has no documented convert
/// resource) and returns the account, contact and opportunity ids. The lead is read through the SDK first, which also renews
/// an expired session, so the SOAP call carries a fresh token of the same user.
/// </summary>
internal static class LeadConversion
{
    /// <summary>Salesforce's default converted status; a body's <c>converted_status</c> overrides it.</summary>
    public const string DefaultConvertedStatus = "Closed - Converted";

    /// <summary>
    /// The SDK's plain HTTP pipeline (the one its OAuth calls use): the app's primary handler, proxy and the like set with
    /// <c>ConfigureHttpClient</c> apply, and nothing in it adds a token on its own.
    /// </summary>
    private const string HttpClientName = "Atom.Salesforce.OAuth";

    private static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";

    public static EndpointDefinition Definition { get; } = new(
        "leads/convert",
        "leads",
        "Convert a lead (SOAP convertLead): returns the account, contact and opportunity ids.",
        [
            BodyProperty.UserId,
            new BodyProperty("lead_id", BodyType.Id, true, "The lead to convert."),
            new BodyProperty("converted_status", BodyType.String, false, $"A converted lead status; \"{DefaultConvertedStatus}\" by default."),
            new BodyProperty("account_id", BodyType.Id, false, "Merge into this existing account instead of creating one."),
            new BodyProperty("contact_id", BodyType.Id, false, "Merge into this existing contact (of account_id) instead of creating one."),
            new BodyProperty("opportunity_name", BodyType.String, false, "The new opportunity's name."),
            new BodyProperty("do_not_create_opportunity", BodyType.Boolean, false, "True to create no opportunity."),
            new BodyProperty("owner_id", BodyType.Id, false, "The owner of the new records; the lead's owner by default."),
        ],
        ResponseSchema,
        HandleAsync);

    internal sealed record Result(string LeadId, string AccountId, string ContactId, string? OpportunityId);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var body = call.Body;
        var leadId = body.RequiredId("lead_id");
        if (body.String("contact_id") is not null && body.String("account_id") is null)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, "'contact_id' needs 'account_id': the contact must belong to that account.");
        }

        var lead = await call.Client.SObjects.GetAsync<SObject>("Lead", leadId, ["IsConverted"], call.CancellationToken).ConfigureAwait(false);
        if (lead.Get<bool?>("IsConverted") == true)
        {
            throw EndpointError.Validation(EndpointErrorCodes.LeadAlreadyConverted, "The lead is already converted.");
        }

        var token = await call.Services.TokenStore.GetAsync(call.Login, call.CancellationToken).ConfigureAwait(false);
        if (token is null || !token.IsUsable)
        {
            throw new SalesforceAuthenticationException(call.UserId!, SalesforceAuthenticationException.Codes.NoToken, "No usable token.");
        }

        var request = BuildEnvelope(token.AccessToken, leadId, body);
        var url = new Uri(token.InstanceUrl, $"/services/Soap/u/{call.Services.SalesforceOptions.ApiVersion.TrimStart('v')}");
        using var http = call.Services.HttpClientFactory.CreateClient(HttpClientName);
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(request, Encoding.UTF8, "text/xml") };
        message.Headers.Add("SOAPAction", "\"\"");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, call.CancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SalesforceException("The SOAP convertLead call could not reach Salesforce.", e, isTransient: true);
        }
        catch (TaskCanceledException e) when (!call.CancellationToken.IsCancellationRequested)
        {
            throw new SalesforceException("The SOAP convertLead call timed out.", e, isTransient: true);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(call.CancellationToken).ConfigureAwait(false);
            var result = ParseResponse(response.StatusCode, text);
            Log.LeadConverted(call.Services.Logger, leadId, call.UserId!);
            return result;
        }
    }

    internal static string BuildEnvelope(string sessionId, string leadId, RequestBody body)
    {
        var convert = new StringBuilder();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                convert.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
            }
        }

        Add("accountId", body.String("account_id"));
        Add("contactId", body.String("contact_id"));
        Add("convertedStatus", body.String("converted_status") ?? DefaultConvertedStatus);
        Add("doNotCreateOpportunity", body.Bool("do_not_create_opportunity") == true ? "true" : "false");
        Add("leadId", leadId);
        Add("opportunityName", body.String("opportunity_name"));
        Add("ownerId", body.String("owner_id"));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:partner.soap.sforce.com\">"
            + $"<soapenv:Header><SessionHeader><sessionId>{SecurityElement.Escape(sessionId)}</sessionId></SessionHeader></soapenv:Header>"
            + $"<soapenv:Body><convertLead><leadConverts>{convert}</leadConverts></convertLead></soapenv:Body></soapenv:Envelope>";
    }

    /// <summary>The conversion's ids, or the exception its fault or error means.</summary>
    internal static Result ParseResponse(HttpStatusCode status, string text)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new SalesforceException($"The SOAP convertLead answer ({(int)status}) is not XML.", e);
        }

        var fault = document.Descendants(Envelope + "Fault").FirstOrDefault();
        if (fault is not null)
        {
            var code = fault.Element("faultcode")?.Value ?? "soapenv:Server";
            code = code[(code.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var faultMessage = fault.Element("faultstring")?.Value ?? code;
            var error = new SalesforceError { ErrorCode = code, Message = faultMessage };
            throw code switch
            {
                SalesforceError.Codes.InvalidSessionId => new SalesforceApiException(HttpStatusCode.Unauthorized, [error]),
                SalesforceError.Codes.RequestLimitExceeded => new SalesforceRateLimitException(HttpStatusCode.Forbidden, [error], null, null),
                "Client" => new SalesforceApiException(HttpStatusCode.BadRequest, [error]),
                _ => new SalesforceApiException(HttpStatusCode.BadGateway, [error]),
            };
        }

        var result = document.Descendants(Partner + "result").FirstOrDefault()
            ?? throw new SalesforceException("The SOAP convertLead answer holds no result.");
        string? Value(string name) => result.Element(Partner + name) is { } e && e.Value.Length > 0 ? e.Value : null;
        if (!string.Equals(Value("success"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var errors = result.Elements(Partner + "errors")
                .Select(e => new SalesforceError
                {
                    ErrorCode = e.Element(Partner + "statusCode")?.Value ?? "UNKNOWN_EXCEPTION",
                    Message = e.Element(Partner + "message")?.Value ?? "The lead was not converted.",
                    Fields = [.. e.Elements(Partner + "fields").Select(f => f.Value)],
                })
                .ToList();
            throw new SalesforceApiException(HttpStatusCode.BadRequest, errors);
        }

        return new Result(
            Value("leadId") ?? string.Empty,
            Value("accountId") ?? throw new SalesforceException("The SOAP convertLead result has no accountId."),
            Value("contactId") ?? throw new SalesforceException("The SOAP convertLead result has no contactId."),
            Value("opportunityId"));
    }

    private static JsonObject ResponseSchema() => Schemas.Object(
        "The records the lead became.",
        ("lead_id", Schemas.Type("string", "The converted lead.")),
        ("account_id", Schemas.Type("string", "The account (new or merged into).")),
        ("contact_id", Schemas.Type("string", "The contact (new or merged into).")),
        ("opportunity_id", Schemas.Nullable("string", "The new opportunity; null with do_not_create_opportunity.")));
}
