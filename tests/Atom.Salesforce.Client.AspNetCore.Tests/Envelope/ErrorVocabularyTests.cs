using System.Net;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Envelope;

/// <summary>
/// The envelope's <c>error</c> takes the documented values only: <c>api_error</c> for what Salesforce answered (with its
/// code), <c>validation_error</c> for the pack's own refusals, and the few categories a caller acts on differently.
/// </summary>
public sealed class ErrorVocabularyTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task Each_kind_of_failure_on_a_route_gets_its_documented_category()
    {
        (await Host.PostAsync("accounts/list", PackHost.Alice, "{\"limit\": ")).AssertError(400, "MALFORMED_JSON", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { nope = 1 })).AssertError(400, "INVALID_REQUEST", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = new string('x', 70_000) } })).AssertError(413, "REQUEST_TOO_LARGE", SalesforceEndpointErrors.ValidationError);
        (await Host.PostAsync("accounts/list", null, new { })).AssertError(401, "NOT_AUTHENTICATED", SalesforceEndpointErrors.Unauthorized);
        Assert.Equal(SalesforceEndpointErrors.Unauthorized, (await Host.PostAsync("accounts/list", "nobody-connected", new { })).Root.GetProperty("error").GetString());
        (await Host.PostAsync("accounts/list", PackHost.Alice, new { user_id = PackHost.Bob })).AssertError(403, "USER_MISMATCH", SalesforceEndpointErrors.Forbidden);
        (await Host.PostAsync("accounts/archive", PackHost.Alice, new { })).AssertError(404, "ROUTE_NOT_FOUND", SalesforceEndpointErrors.NotFound);
        (await Host.PostAsync("accounts/get", PackHost.Alice, new { account_id = "001000000000000AAA" })).AssertError(404, "NOT_FOUND", SalesforceEndpointErrors.ApiError);
        (await Host.PostAsync("contacts/create", PackHost.Alice, new { contact_data = new { FirstName = "No last name" } })).AssertError(400, "REQUIRED_FIELD_MISSING", SalesforceEndpointErrors.ApiError);
    }

    public static TheoryData<string, int, string, string> SalesforceAnswers => new()
    {
        { "403 INSUFFICIENT_ACCESS", 403, "api_error", "INSUFFICIENT_ACCESS" },
        { "409 DUPLICATE_VALUE", 409, "api_error", "DUPLICATE_VALUE" },
        { "500 UNKNOWN_EXCEPTION", 502, "api_error", "UNKNOWN_EXCEPTION" },
        { "503 SERVER_UNAVAILABLE", 503, "salesforce_unavailable", "SERVER_UNAVAILABLE" },
        { "401 INVALID_SESSION_ID", 401, "unauthorized", "INVALID_SESSION_ID" },
    };

    [Theory]
    [MemberData(nameof(SalesforceAnswers))]
    public void Salesforce_answers_keep_their_code_and_get_their_category(string answer, int status, string error, string code)
    {
        var (httpStatus, errorCode) = (int.Parse(answer[..3], System.Globalization.CultureInfo.InvariantCulture), answer[4..]);
        var exception = new SalesforceApiException((HttpStatusCode)httpStatus, [new SalesforceError
        {
            ErrorCode = errorCode,
            Message = "Salesforce's message.",
        }]);

        var envelope = ErrorMapper.ToEnvelope(exception, out _);

        Assert.Equal((error, status, code), (envelope.Error, envelope.StatusCode, envelope.ErrorCode));
    }

    [Fact]
    public void Limits_unreachable_Salesforce_and_unexpected_failures_get_their_categories()
    {
        var limited = ErrorMapper.ToEnvelope(
            new SalesforceRateLimitException(HttpStatusCode.Forbidden, [new SalesforceError
            {
                ErrorCode = "REQUEST_LIMIT_EXCEEDED",
                Message = "TotalRequests Limit exceeded.",
            }], null, TimeSpan.FromSeconds(30)),
            out var retryAfter);
        var unreachable = ErrorMapper.ToEnvelope(new SalesforceException("connection refused", null, isTransient: true), out _);
        var interrupted = ErrorMapper.ToEnvelope(
            new QueryInterruptedException("/services/data/v66.0/query/01gRO0000016PIAYA2-2000", 2000, new SalesforceException("connection refused", null, isTransient: true)), out _);
        var unexpected = ErrorMapper.ToEnvelope(new InvalidOperationException("bug"), out _);

        Assert.Equal((SalesforceEndpointErrors.RateLimited, 429, "REQUEST_LIMIT_EXCEEDED"), (limited.Error, limited.StatusCode, limited.ErrorCode));
        Assert.Equal(TimeSpan.FromSeconds(30), retryAfter);
        Assert.Equal((SalesforceEndpointErrors.SalesforceUnavailable, 503), (unreachable.Error, unreachable.StatusCode));
        Assert.Equal((SalesforceEndpointErrors.SalesforceUnavailable, 503), (interrupted.Error, interrupted.StatusCode));
        Assert.Equal((SalesforceEndpointErrors.InternalError, 500), (unexpected.Error, unexpected.StatusCode));
        Assert.DoesNotContain("bug", unexpected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_envelope_lists_exactly_the_vocabulary()
    {
        var doc = (await Host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;

        var values = doc.GetProperty("components").GetProperty("schemas").GetProperty("ErrorEnvelope").GetProperty("properties").GetProperty("error").GetProperty("enum");

        Assert.Equal(
            ["validation_error", "unauthorized", "forbidden", "not_found", "api_error", "rate_limited", "salesforce_unavailable", "internal_error"],
            values.EnumerateArray().Select(v => v.GetString()).ToArray());
    }
}
