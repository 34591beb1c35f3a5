using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Tests.Errors;

/// <summary>Issue 17: every exception type in the package's Errors namespace, and ErrorCode on the base type.</summary>
public sealed class ErrorsNamespaceTests
{
    [Fact]
    public void Every_public_exception_type_of_the_client_is_in_the_Errors_namespace()
    {
        var misplaced = typeof(SalesforceException).Assembly.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t) && t.Namespace != "Atom.Salesforce.Client.Errors")
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(misplaced);
    }

    [Fact]
    public void The_code_of_an_api_error_is_readable_from_the_base_type()
    {
        SalesforceException e = new SalesforceApiException(HttpStatusCode.BadRequest, [new SalesforceError
        {
            ErrorCode = "INVALID_FIELD",
            Message = "No such column 'Foo'",
        }]);

        Assert.Equal("INVALID_FIELD", e.ErrorCode);
    }

    [Fact]
    public void An_api_error_without_a_body_error_has_the_unexpected_response_code()
    {
        SalesforceException e = new SalesforceApiException(HttpStatusCode.BadGateway, []);

        Assert.Equal(SalesforceError.Codes.UnexpectedResponse, e.ErrorCode);
    }

    [Fact]
    public void The_oauth_code_of_an_authentication_error_is_readable_from_the_base_type()
    {
        SalesforceException e = new SalesforceAuthenticationException("user-1", SalesforceAuthenticationException.Codes.InvalidGrant, "refused");

        Assert.Equal("invalid_grant", e.ErrorCode);
    }

    [Fact]
    public void Sdk_failures_carry_the_sdk_codes()
    {
        Assert.Equal(SalesforceError.Codes.BulkJobTimedOut, new BulkJobTimeoutException("750000000000001AAA", "InProgress", TimeSpan.FromMinutes(1)).ErrorCode);
        Assert.Equal(SalesforceError.Codes.QueryInterrupted, new QueryInterruptedException("/services/data/v62.0/query/01g-2000", 2000, null).ErrorCode);
    }
}
