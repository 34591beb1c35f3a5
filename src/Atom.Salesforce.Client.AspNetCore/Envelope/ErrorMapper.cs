using System.Globalization;
using System.Net;
using Atom.Salesforce.Client.AspNetCore.Telemetry;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Soql.Errors;
using Atom.Salesforce.Client.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.AspNetCore.Envelope;

/// <summary>
/// The one place where a failure becomes the error envelope (its <c>error</c> values: <see cref="SalesforceEndpointErrors"/>).
/// Salesforce's status and error code pass through (400 with MALFORMED_QUERY, 403, 404, 429 with Retry-After); Salesforce
/// failing is 502 or 503.
/// Nothing unexpected is described: no stack trace, no exception text that could carry internals.
/// </summary>
internal static class ErrorMapper
{
    public static IResult ToResult(Exception exception, HttpContext http, string route, string? userId, ILogger logger)
    {
        var envelope = ToEnvelope(exception, out var retryAfter);
        if (retryAfter is { } delay)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        switch (exception)
        {
            case EndpointError:
            case SoqlFilterException:
                // The caller's input, refused before any call to Salesforce.
                Log.RequestRefused(logger, route, envelope.StatusCode, envelope.ErrorCode);
                break;
            case SalesforceException when envelope.StatusCode >= 502:
                Log.SalesforceUnavailable(logger, route, userId ?? "-", envelope.ErrorCode);
                break;
            case SalesforceException:
                Log.SalesforceRefused(logger, route, userId ?? "-", envelope.StatusCode, envelope.ErrorCode);
                break;
            default:
                Log.UnexpectedFailure(logger, route, exception);
                break;
        }

        return Error(envelope);
    }

    public static IResult Error(ErrorEnvelope envelope) =>
        TypedResults.Json(envelope, EndpointJson.Info<ErrorEnvelope>(), contentType: null, statusCode: envelope.StatusCode);

    public static ErrorEnvelope Envelope(string error, int status, string errorCode, string message) =>
        new(error, message, status, errorCode);

    /// <summary>
    /// The envelope of a failure: the pack's own refusals keep their category; what Salesforce answered is
    /// <see cref="SalesforceEndpointErrors.ApiError"/> with Salesforce's status and code, except the answers a caller acts on
    /// differently (401 connect again, 429 wait, 503 retry later).
    /// </summary>
    internal static ErrorEnvelope ToEnvelope(Exception exception, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        switch (exception)
        {
            case EndpointError e:
                return Envelope(e.Error, e.StatusCode, e.ErrorCode, e.Message);

            case BadHttpRequestException e:
                // The server refused to read the request (a body over its own limit, a truncated body): the caller's input.
                return e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? Envelope(SalesforceEndpointErrors.ValidationError, 413, EndpointErrorCodes.BodyTooLarge, "The request body is too large.")
                    : Envelope(SalesforceEndpointErrors.ValidationError, 400, EndpointErrorCodes.InvalidRequest, "The request could not be read.");

            case SoqlFilterException e:
                // The pack's filter guard, before any query: the same code Salesforce would give a malformed query.
                return Envelope(SalesforceEndpointErrors.ValidationError, 400, EndpointErrorCodes.MalformedQuery, e.Message);

            case SalesforceAuthenticationException { ErrorCode: SalesforceAuthenticationException.Codes.SeveralLogins }:
                // Nothing is wrong with the authorization: the request must say which of the user's logins to use.
                return Envelope(SalesforceEndpointErrors.ValidationError, 400, EndpointErrorCodes.LoginRequired,
                    "This user has connected several Salesforce logins; name one with 'username' (the logins route lists them).");

            case SalesforceAuthenticationException e:
                // The SDK's message names the user and the reason; the caller only needs to know to connect again.
                return Envelope(SalesforceEndpointErrors.Unauthorized, 401, e.ErrorCode, e.ErrorCode == SalesforceAuthenticationException.Codes.NoToken
                    ? "No Salesforce connection is stored for this user; connect first."
                    : "The Salesforce authorization has expired or was revoked; connect again.");

            case SalesforceRateLimitException e:
                retryAfter = e.RetryAfter;
                return Envelope(SalesforceEndpointErrors.RateLimited, 429, e.ErrorCode, FirstMessage(e) ?? "Salesforce's API limit was reached; try again later.");

            case SalesforceApiException e:
                return FromApi(e);

            case QueryInterruptedException e when e.InnerException is SalesforceException { IsTransient: true }:
                // A page kept failing; the pack runs the whole query again on the next request, so a retry repeats nothing.
                return Envelope(SalesforceEndpointErrors.SalesforceUnavailable, 503, EndpointErrorCodes.SalesforceUnavailable, "Salesforce could not be reached; try again later.");

            case SalesforceException e when e.IsTransient:
                return Envelope(SalesforceEndpointErrors.SalesforceUnavailable, 503, EndpointErrorCodes.SalesforceUnavailable, "Salesforce could not be reached; try again later.");

            case SalesforceException:
                return Envelope(SalesforceEndpointErrors.ApiError, 502, EndpointErrorCodes.SalesforceError, "Salesforce's answer could not be used.");

            default:
                return Envelope(SalesforceEndpointErrors.InternalError, 500, EndpointErrorCodes.InternalError, "The request failed unexpectedly.");
        }
    }

    private static ErrorEnvelope FromApi(SalesforceApiException e)
    {
        var message = FirstMessage(e) ?? "Salesforce refused the request.";
        return e.Status switch
        {
            HttpStatusCode.Unauthorized => Envelope(SalesforceEndpointErrors.Unauthorized, 401, e.ErrorCode, "The Salesforce session is no longer valid; connect again."),
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
                Envelope(SalesforceEndpointErrors.SalesforceUnavailable, 503, e.ErrorCode, "Salesforce is unavailable; try again later."),
            >= HttpStatusCode.InternalServerError => Envelope(SalesforceEndpointErrors.ApiError, 502, e.ErrorCode, "Salesforce failed to answer the request."),
            >= HttpStatusCode.BadRequest => Envelope(SalesforceEndpointErrors.ApiError, (int)e.Status, e.ErrorCode, message),
            _ => Envelope(SalesforceEndpointErrors.ApiError, 502, e.ErrorCode, message),
        };
    }

    /// <summary>Salesforce's own message for the first error, with the fields it names; never a token (Salesforce echoes none).</summary>
    private static string? FirstMessage(SalesforceApiException e)
    {
        if (e.Errors.Count == 0 || e.ErrorCode == SalesforceError.Codes.UnexpectedResponse)
        {
            return null;
        }

        var first = e.Errors[0];
        return first.Fields.Count == 0 ? first.Message : $"{first.Message} (fields: {string.Join(", ", first.Fields)})";
    }
}
