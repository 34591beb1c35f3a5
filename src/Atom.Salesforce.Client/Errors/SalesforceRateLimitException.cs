using System.Net;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// Salesforce refused the call for a limit: 429, or 403 <c>REQUEST_LIMIT_EXCEEDED</c> when the org's API allocation is used up.
/// </summary>
public sealed class SalesforceRateLimitException : SalesforceApiException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceRateLimitException(
        HttpStatusCode status,
        IReadOnlyList<SalesforceError> errors,
        IReadOnlyDictionary<string, string>? headers,
        TimeSpan? retryAfter)
        : base(status, errors, headers)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long Salesforce asked the caller to wait, when it said so (the <c>Retry-After</c> header).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>A 429 passes; an exhausted daily allocation (403) does not pass until the 24-hour window moves on.</summary>
    public override bool IsTransient => Status == HttpStatusCode.TooManyRequests || RetryAfter is not null;
}
