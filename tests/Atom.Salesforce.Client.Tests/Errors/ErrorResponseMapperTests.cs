using System.Globalization;
using System.Net;
using System.Text;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Tests.Errors;

public sealed class ErrorResponseMapperTests
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>What each file in fixtures/errors must become.</summary>
    private static readonly Dictionary<string, Expected> ErrorFixtures = new()
    {
        ["300_upsert_multiple_choices.restforce.json"] = new(typeof(SalesforceMultipleMatchesException),
            [new() { ErrorCode = "MULTIPLE_CHOICES", Message = "The external id matched 2 records." }]),
        ["400_invalid_field.restforce.json"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "INVALID_FIELD", Message = "No such column 'foo' on sobject of type Bar" }]),
        ["400_multiple_validation_errors.jsforce.json"] = new(typeof(SalesforceApiException),
            [
                new() { ErrorCode = "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message = "no ACME accounts" },
                new() { ErrorCode = "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message = "no 123 phone" },
            ]),
        ["400_query_invalid_field.restforce.json"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "INVALID_FIELD", Message = "error_message" }]),
        ["400_required_field_missing.jsforce.json"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "REQUIRED_FIELD_MISSING", Message = "Required fields are missing: [Name]", Fields = ["Name"] }]),
        ["400_search_error.restforce.json"] = new(typeof(SalesforceApiException),
            [new()
            {
                ErrorCode = "MALFORMED_SEARCH",
                Message = "No search term found. The search term must be enclosed in braces.",
            }]),
        ["401_invalid_session_id.restforce.json"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "INVALID_SESSION_ID", Message = "Session expired or invalid" }]),
        ["404_describe_not_found.restforce.json"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "NOT_FOUND", Message = "The requested resource does not exist" }]),
        ["404_html_error_page.jsforce.html"] = new(typeof(SalesforceApiException),
            [new()
            {
                ErrorCode = "UNEXPECTED_RESPONSE",
                Message = "Salesforce returned 404 with a text/html body instead of a Salesforce error: \"Error Page Error\"",
            }]),
        ["404_not_found.xml.jsforce.xml"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "NOT_FOUND", Message = "The requested resource does not exist" }]),
        ["404_not_found_extid.restforce.json"] = new(typeof(SalesforceApiException),
            [new() { ErrorCode = "NOT_FOUND", Message = "Provided external ID field does not exist or is not accessible: rid" }]),
    };

    public static TheoryData<string> ErrorFixtureFiles => new(Fixtures.All("errors").Select(Path.GetFileName)!);

    private static HttpStatusCode StatusOf(string fileName) =>
        (HttpStatusCode)int.Parse(fileName[..fileName.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);

    private static string MediaTypeOf(string fileName) => Path.GetExtension(fileName) switch
    {
        ".json" => "application/json",
        ".html" => "text/html",
        ".xml" => "application/xml",
        var other => throw new InvalidOperationException($"No media type for {other}."),
    };

    // ---- every fixture -------------------------------------------------------------------------

    [Fact]
    public void Every_error_fixture_has_an_expectation()
    {
        Assert.Equal(ErrorFixtures.Keys.Order(StringComparer.Ordinal), Fixtures.All("errors").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ErrorFixtureFiles))]
    public void Each_error_fixture_maps_to_the_exception_it_describes(string fileName)
    {
        var expected = ErrorFixtures[fileName];
        var status = StatusOf(fileName);

        var e = ErrorResponseMapper.Create(status, Fixtures.Read("errors/" + fileName), MediaTypeOf(fileName), NoHeaders);

        Assert.IsType(expected.ExceptionType, e);
        Assert.Equal(status, e.Status);
        Assert.Equal(expected.Errors[0].ErrorCode, e.ErrorCode);
        Assert.Equal(expected.Errors.Count, e.Errors.Count);
        for (var i = 0; i < expected.Errors.Count; i++)
        {
            Assert.Equal(expected.Errors[i].ErrorCode, e.Errors[i].ErrorCode);
            Assert.Equal(expected.Errors[i].Message, e.Errors[i].Message);
            Assert.Equal(expected.Errors[i].Fields, e.Errors[i].Fields);
        }

        Assert.False(e.IsTransient);
        Assert.Null(e.InnerException);
        Assert.Contains(((int)status).ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Contains(expected.Errors[0].Message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_300_lists_the_candidate_records()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.MultipleChoices, Fixtures.Read("errors/300_upsert_multiple_choices.restforce.json"), "application/json", NoHeaders);

        var multiple = Assert.IsType<SalesforceMultipleMatchesException>(e);
        Assert.Equal(["/services/data/v23.0/sobjects/Whizbang/foo", "/services/data/v23.0/sobjects/Whizbang/bar"], multiple.CandidateUrls);
        Assert.Equal("Salesforce returned 300 (MultipleChoices): MULTIPLE_CHOICES: The external id matched 2 records.", e.Message);
    }

    [Fact]
    public void A_300_whose_body_is_not_a_url_list_is_a_plain_api_exception()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.MultipleChoices, """[{"errorCode":"MULTIPLE_CHOICES","message":"Ambiguous"}]""", "application/json", NoHeaders);

        Assert.IsType<SalesforceApiException>(e);
        Assert.Equal("MULTIPLE_CHOICES", e.ErrorCode);
        Assert.Equal("Ambiguous", e.Errors[0].Message);
    }

    [Fact]
    public void A_401_invalid_session_is_an_api_exception_with_its_code()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.Unauthorized, Fixtures.Read("errors/401_invalid_session_id.restforce.json"), "application/json", NoHeaders);

        Assert.IsType<SalesforceApiException>(e);
        Assert.Equal(SalesforceError.Codes.InvalidSessionId, e.ErrorCode);
        Assert.Equal("Salesforce returned 401 (Unauthorized): INVALID_SESSION_ID: Session expired or invalid", e.Message);
    }

    [Fact]
    public void The_message_names_the_fields_of_an_error()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.BadRequest, Fixtures.Read("errors/400_required_field_missing.jsforce.json"), "application/json", NoHeaders);

        Assert.Equal(
            "Salesforce returned 400 (BadRequest): REQUIRED_FIELD_MISSING: Required fields are missing: [Name] (fields: Name)", e.Message);
    }

    [Fact]
    public void Several_errors_are_all_kept_in_order()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.BadRequest, Fixtures.Read("errors/400_multiple_validation_errors.jsforce.json"), "application/json", NoHeaders);

        Assert.Equal(["no ACME accounts", "no 123 phone"], e.Errors.Select(x => x.Message));
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", e.ErrorCode);
        Assert.Equal(
            "Salesforce returned 400 (BadRequest) with 2 errors: FIELD_CUSTOM_VALIDATION_EXCEPTION: no ACME accounts; FIELD_CUSTOM_VALIDATION_EXCEPTION: no 123 phone",
            e.Message);
    }

    [Fact]
    public void An_HTML_page_gives_a_clear_unexpected_response_error()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.NotFound, Fixtures.Read("errors/404_html_error_page.jsforce.html"), "text/html", NoHeaders);

        Assert.IsType<SalesforceApiException>(e);
        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
        Assert.Contains("text/html", e.Message, StringComparison.Ordinal);
        Assert.Contains("404", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Json", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("invalid", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void A_body_without_content_type_says_so()
    {
        var e = ErrorResponseMapper.Create(HttpStatusCode.BadGateway, "upstream connect error", null, NoHeaders);

        Assert.Equal(
            "Salesforce returned 502 with a body without a content type instead of a Salesforce error: \"upstream connect error\"",
            e.Errors[0].Message);
    }

    [Fact]
    public void The_XML_error_document_gives_its_code_and_message()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.NotFound, Fixtures.Read("errors/404_not_found.xml.jsforce.xml"), "application/xml", NoHeaders);

        var error = Assert.Single(e.Errors);
        Assert.Equal("NOT_FOUND", error.ErrorCode);
        Assert.Equal("The requested resource does not exist", error.Message);
        Assert.Empty(error.Fields);
    }

    [Fact]
    public void XML_errors_keep_several_errors_and_their_fields()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Errors>
              <Error><errorCode>REQUIRED_FIELD_MISSING</errorCode><message>Required fields are missing: [Name, Type]</message><fields>Name</fields><fields>Type</fields></Error>
              <Error><errorCode>INVALID_FIELD</errorCode><message>bad</message></Error>
            </Errors>
            """;

        var e = ErrorResponseMapper.Create(HttpStatusCode.BadRequest, xml, "application/xml", NoHeaders);

        Assert.Equal(2, e.Errors.Count);
        Assert.Equal(["Name", "Type"], e.Errors[0].Fields);
        Assert.Equal("INVALID_FIELD", e.Errors[1].ErrorCode);
    }

    // ---- other shapes --------------------------------------------------------------------------

    [Fact]
    public void A_single_error_object_is_understood()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.BadRequest, """{"errorCode":"JSON_PARSER_ERROR","message":"Unexpected character"}""", "application/json", NoHeaders);

        Assert.Equal("JSON_PARSER_ERROR", e.ErrorCode);
        Assert.Equal("Unexpected character", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void A_per_record_statusCode_is_read_as_the_error_code()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.BadRequest,
            """[{"statusCode":"DUPLICATE_VALUE","message":"duplicate value found","fields":["Ext_Id__c"]}]""",
            "application/json",
            NoHeaders);

        Assert.Equal("DUPLICATE_VALUE", e.ErrorCode);
        Assert.Equal(["Ext_Id__c"], e.Errors[0].Fields);
    }

    [Theory]
    [InlineData("""{"unexpected":"shape"}""")]
    [InlineData("[]")]
    [InlineData("[1, 2]")]
    [InlineData("{not json")]
    [InlineData("<not xml")]
    [InlineData("<root><child/></root>")]
    public void A_body_that_holds_no_error_is_an_unexpected_response(string body)
    {
        var e = ErrorResponseMapper.Create(HttpStatusCode.InternalServerError, body, "application/json", NoHeaders);

        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
        Assert.StartsWith("Salesforce returned 500 with an application/json body instead of a Salesforce error", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n ")]
    public void An_empty_body_gives_a_clear_message(string body)
    {
        var e = ErrorResponseMapper.Create(HttpStatusCode.InternalServerError, body, "application/json", NoHeaders);

        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
        Assert.Equal("Salesforce returned 500 with an empty body.", e.Errors[0].Message);
        Assert.Equal("Salesforce returned 500 (InternalServerError): UNEXPECTED_RESPONSE: Salesforce returned 500 with an empty body.", e.Message);
    }

    [Fact]
    public void A_body_of_tags_only_is_not_called_empty()
    {
        var e = ErrorResponseMapper.Create(HttpStatusCode.ServiceUnavailable, "<html><body></body></html>", "text/html", NoHeaders);

        Assert.Equal("Salesforce returned 503 with a text/html body instead of a Salesforce error.", e.Errors[0].Message);
    }

    [Theory]
    [InlineData("text/plain", "")]
    [InlineData("text/html", "<html><body><p>")]
    [InlineData("application/json", "{")]
    public void A_huge_non_JSON_body_gives_a_short_message(string mediaType, string prefix)
    {
        var body = prefix + string.Concat(Enumerable.Repeat("Service temporarily unavailable. ", 10_000));

        var e = ErrorResponseMapper.Create(HttpStatusCode.InternalServerError, body, mediaType, NoHeaders);

        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
        Assert.True(e.Message.Length < 1000, $"The message is {e.Message.Length} characters long.");
        Assert.Contains("Service temporarily unavailable.", e.Message, StringComparison.Ordinal);
        Assert.Contains("…", e.Message, StringComparison.Ordinal);
    }

    // ---- limits and transient errors -----------------------------------------------------------

    [Fact]
    public void A_429_with_Retry_After_is_a_transient_rate_limit()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = "7" };

        var e = ErrorResponseMapper.Create(HttpStatusCode.TooManyRequests, string.Empty, null, headers);

        var limit = Assert.IsType<SalesforceRateLimitException>(e);
        Assert.Equal(TimeSpan.FromSeconds(7), limit.RetryAfter);
        Assert.True(limit.IsTransient);
        Assert.Equal(HttpStatusCode.TooManyRequests, limit.Status);
    }

    [Fact]
    public void A_429_without_Retry_After_is_still_transient()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.TooManyRequests, """[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"Too many requests"}]""", "application/json", NoHeaders);

        var limit = Assert.IsType<SalesforceRateLimitException>(e);
        Assert.Null(limit.RetryAfter);
        Assert.True(limit.IsTransient);
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_measured_from_the_Date_header()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Retry-After"] = "Wed, 21 Oct 2026 07:28:00 GMT",
            ["Date"] = "Wed, 21 Oct 2026 07:27:50 GMT",
        };

        var limit = Assert.IsType<SalesforceRateLimitException>(
            ErrorResponseMapper.Create(HttpStatusCode.TooManyRequests, string.Empty, null, headers));

        Assert.Equal(TimeSpan.FromSeconds(10), limit.RetryAfter);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("")]
    public void An_unreadable_Retry_After_is_ignored(string value)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = value };

        var limit = Assert.IsType<SalesforceRateLimitException>(
            ErrorResponseMapper.Create(HttpStatusCode.TooManyRequests, string.Empty, null, headers));

        Assert.Null(limit.RetryAfter);
    }

    [Fact]
    public void A_403_REQUEST_LIMIT_EXCEEDED_is_a_rate_limit_that_is_not_transient()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.Forbidden,
            """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""",
            "application/json",
            NoHeaders);

        var limit = Assert.IsType<SalesforceRateLimitException>(e);
        Assert.Equal(SalesforceError.Codes.RequestLimitExceeded, limit.ErrorCode);
        Assert.Equal("TotalRequests Limit exceeded.", limit.Errors[0].Message);
        Assert.Null(limit.RetryAfter);
        Assert.False(limit.IsTransient);
    }

    [Fact]
    public void Another_403_is_a_plain_api_exception()
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.Forbidden,
            """[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_OR_READONLY"}]""",
            "application/json",
            NoHeaders);

        Assert.IsType<SalesforceApiException>(e);
        Assert.False(e.IsTransient);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public void Gateway_and_availability_errors_are_transient(HttpStatusCode status)
    {
        var e = ErrorResponseMapper.Create(status, "<html><body>Service Unavailable</body></html>", "text/html", NoHeaders);

        Assert.IsType<SalesforceApiException>(e);
        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    public void Other_statuses_are_not_transient(HttpStatusCode status)
    {
        var e = ErrorResponseMapper.Create(status, """[{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred."}]""", "application/json", NoHeaders);

        Assert.False(e.IsTransient);
    }

    [Theory]
    [InlineData("UNABLE_TO_LOCK_ROW")]
    [InlineData("SERVER_UNAVAILABLE")]
    public void A_lock_or_availability_error_code_is_transient(string code)
    {
        var e = ErrorResponseMapper.Create(
            HttpStatusCode.BadRequest, $$"""[{"errorCode":"{{code}}","message":"try again","fields":[]}]""", "application/json", NoHeaders);

        Assert.IsNotType<SalesforceRateLimitException>(e);
        Assert.Equal(code, e.ErrorCode);
        Assert.True(e.IsTransient);
    }

    // ---- OAuth errors --------------------------------------------------------------------------

    [Theory]
    [InlineData("oauth/refresh_error_expired.restforce.json", "invalid_grant", "expired access/refresh token")]
    [InlineData("oauth/token_error_invalid_client_id.simple-salesforce.json", "invalid_client_id", "client identifier invalid")]
    [InlineData("oauth/token_error_invalid_grant.restforce.json", "invalid_grant", "authentication failure - Invalid Password")]
    [InlineData("oauth/token_error_not_approved.simple-salesforce.json", "invalid_grant", "user hasn't approved this consumer")]
    public void OAuth_error_bodies_parse_to_their_code_and_description(string fixture, string code, string description)
    {
        var errors = ErrorResponseMapper.ParseErrors(Fixtures.Read(fixture), "application/json", HttpStatusCode.BadRequest);

        var error = Assert.Single(errors);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(description, error.Message);
        Assert.Empty(error.Fields);
    }

    [Fact]
    public void Every_OAuth_error_fixture_is_covered()
    {
        Assert.Equal(
            [
                "oauth/refresh_error_expired.restforce.json",
                "oauth/token_error_invalid_client_id.simple-salesforce.json",
                "oauth/token_error_invalid_grant.restforce.json",
                "oauth/token_error_not_approved.simple-salesforce.json",
            ],
            Fixtures.All("oauth").Where(f => f.EndsWith(".json", StringComparison.Ordinal) && f.Contains("error", StringComparison.Ordinal)));
    }

    // ---- headers -------------------------------------------------------------------------------

    [Fact]
    public void Create_keeps_the_headers_it_is_given()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Sforce-Limit-Info"] = "api-usage=18/5000",
            ["X-Request-Id"] = "abc-123",
        };

        var e = ErrorResponseMapper.Create(
            HttpStatusCode.BadRequest, Fixtures.Read("errors/400_invalid_field.restforce.json"), "application/json", headers);

        Assert.Equal(2, e.Headers.Count);
        Assert.Equal("api-usage=18/5000", e.Headers["Sforce-Limit-Info"]);
        Assert.Equal("abc-123", e.Headers["X-Request-Id"]);
    }

    [Fact]
    public async Task CreateAsync_keeps_only_allow_listed_headers()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent(Fixtures.Read("errors/400_invalid_field.restforce.json"), Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", "api-usage=18/5000");
        response.Headers.TryAddWithoutValidation("X-Request-Id", "abc-123");
        Assert.True(response.Headers.TryAddWithoutValidation("Set-Cookie", "sid=00Dxx0000001gPL!secret-session; Path=/; Secure"));
        Assert.True(response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"secret-realm\""));
        Assert.True(response.Headers.TryAddWithoutValidation("X-Session-Token", "secret-token"));
        // Authorization is a request header; HttpResponseHeaders may refuse it, and then it cannot reach the exception either.
        response.Headers.TryAddWithoutValidation("Authorization", "Bearer secret-access-token");

        var e = await ErrorResponseMapper.CreateAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal(
            ["Content-Type", "Sforce-Limit-Info", "X-Request-Id"],
            e.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal("api-usage=18/5000", e.Headers["Sforce-Limit-Info"]);
        Assert.Equal("application/json; charset=utf-8", e.Headers["Content-Type"]);
        Assert.False(e.Headers.ContainsKey("Set-Cookie"));
        Assert.False(e.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain(e.Headers.Values, v => v.Contains("secret", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("INVALID_FIELD", e.ErrorCode);
        Assert.DoesNotContain("secret", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateAsync_reads_the_status_media_type_and_Retry_After()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("<html><body>Slow down</body></html>", Encoding.UTF8, "text/html"),
        };
        response.Headers.TryAddWithoutValidation("Retry-After", "7");

        var e = await ErrorResponseMapper.CreateAsync(response, TestContext.Current.CancellationToken);

        var limit = Assert.IsType<SalesforceRateLimitException>(e);
        Assert.Equal(TimeSpan.FromSeconds(7), limit.RetryAfter);
        Assert.Equal("7", limit.Headers["Retry-After"]);
        Assert.Equal("Salesforce returned 429 with a text/html body instead of a Salesforce error: \"Slow down\"", limit.Errors[0].Message);
    }

    [Fact]
    public async Task CreateAsync_reads_a_huge_body_and_keeps_the_message_short()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StringContent(new string('x', 1_000_000), Encoding.UTF8, "text/plain"),
        };

        var e = await ErrorResponseMapper.CreateAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
        Assert.True(e.Message.Length < 1000, $"The message is {e.Message.Length} characters long.");
    }

    [Fact]
    public void The_allow_list_holds_no_credential_header()
    {
        Assert.DoesNotContain(SalesforceApiException.AllowedHeaders, h =>
            h.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
            || h.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
            || h.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
            || h.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Sforce-Limit-Info", SalesforceApiException.AllowedHeaders);
        Assert.Contains("Retry-After", SalesforceApiException.AllowedHeaders);
    }

    private sealed record Expected(Type ExceptionType, IReadOnlyList<SalesforceError> Errors);

    [Fact]
    public void An_XML_body_with_a_DTD_is_not_expanded_but_reported_as_unexpected()
    {
        const string body = """
            <?xml version="1.0"?>
            <!DOCTYPE Errors [<!ENTITY boom "BOOM">]>
            <Errors><Error><errorCode>&boom;</errorCode><message>m</message></Error></Errors>
            """;

        var errors = ErrorResponseMapper.ParseErrors(body, "application/xml", System.Net.HttpStatusCode.NotFound);

        var error = Assert.Single(errors);
        Assert.Equal("UNEXPECTED_RESPONSE", error.ErrorCode);
        Assert.DoesNotContain("BOOM", error.Message, StringComparison.Ordinal);
    }
}
