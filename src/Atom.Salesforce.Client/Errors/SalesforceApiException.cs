using System.Net;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// Salesforce answered with an error status. Carries the status, every error Salesforce reported with its
/// fields, and a few allow-listed response headers. Never carries a token.
/// </summary>
public class SalesforceApiException : SalesforceException
{
    /// <summary>The response headers that are copied into <see cref="Headers"/>; no other header is kept.</summary>
    public static IReadOnlyList<string> AllowedHeaders { get; } =
        ["Content-Type", "Date", "Retry-After", "Sforce-Limit-Info", "X-Request-Id", "X-B3-TraceId"];

    /// <summary>Creates an exception for an error response.</summary>
    public SalesforceApiException(
        HttpStatusCode status,
        IReadOnlyList<SalesforceError> errors,
        IReadOnlyDictionary<string, string>? headers = null,
        string? message = null,
        Exception? innerException = null)
        : base(message ?? BuildMessage(status, errors), innerException)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Status = status;
        Errors = errors;
        ErrorCode = errors.Count > 0 ? errors[0].ErrorCode : SalesforceError.Codes.UnexpectedResponse;
        Headers = headers ?? new Dictionary<string, string>();
    }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>Every error Salesforce reported, in its order.</summary>
    public IReadOnlyList<SalesforceError> Errors { get; }

    /// <summary>The allow-listed response headers (see <see cref="AllowedHeaders"/>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <inheritdoc />
    public override bool IsTransient => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || Errors.Any(e => e.ErrorCode is SalesforceError.Codes.UnableToLockRow or SalesforceError.Codes.ServerUnavailable);

    private static string BuildMessage(HttpStatusCode status, IReadOnlyList<SalesforceError> errors)
    {
        var head = $"Salesforce returned {(int)status} ({status})";
        return errors.Count switch
        {
            0 => head + ".",
            1 => $"{head}: {Describe(errors[0])}",
            _ => $"{head} with {errors.Count} errors: " + string.Join("; ", errors.Select(Describe)),
        };

        static string Describe(SalesforceError e) =>
            e.Fields.Count == 0 ? $"{e.ErrorCode}: {e.Message}" : $"{e.ErrorCode}: {e.Message} (fields: {string.Join(", ", e.Fields)})";
    }
}
