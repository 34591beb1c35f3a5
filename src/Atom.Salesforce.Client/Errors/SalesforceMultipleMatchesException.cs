using System.Net;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// An upsert or lookup by external id matched more than one record (HTTP 300). Nothing was written.
/// </summary>
public sealed class SalesforceMultipleMatchesException : SalesforceApiException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceMultipleMatchesException(IReadOnlyList<string> candidateUrls, IReadOnlyDictionary<string, string>? headers)
        : base(HttpStatusCode.MultipleChoices,
              [new SalesforceError
              {
                  ErrorCode = "MULTIPLE_CHOICES",
                  Message = $"The external id matched {candidateUrls.Count} records.",
              }],
              headers)
    {
        CandidateUrls = candidateUrls;
    }

    /// <summary>The REST URLs of the records that matched, as Salesforce listed them.</summary>
    public IReadOnlyList<string> CandidateUrls { get; }
}
