using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// A response's <c>Sforce-Limit-Info</c>, read once: the first handler that asks (the API governance, per attempt) parses it
/// and leaves the result on the SDK's request, keyed to that response; the next (the client's outermost handler, which
/// records the usage for <c>SalesforceClient.ApiUsage</c> and the metrics) takes it from there. A response the first handler
/// did not see (a retry's later attempt is another response) is parsed again, so an answer never comes from another response.
/// </summary>
internal static class SforceLimitInfo
{
    /// <summary>Reads the response's <c>Sforce-Limit-Info</c>; false when it has none (or none that parses).</summary>
    public static bool TryRead(HttpResponseMessage response, out ApiUsage usage)
    {
        if (response.RequestMessage is SalesforceRequest request && ReferenceEquals(request.LimitInfoOf, response))
        {
            usage = request.LimitInfo;
            return request.HasLimitInfo;
        }

        usage = default;
        var found = response.Headers.NonValidated.TryGetValues("Sforce-Limit-Info", out var values)
            && ApiUsage.TryParse(values.ToString(), out usage);

        if (response.RequestMessage is SalesforceRequest sdkRequest)
        {
            sdkRequest.LimitInfo = usage;
            sdkRequest.HasLimitInfo = found;
            sdkRequest.LimitInfoOf = response;
        }

        return found;
    }
}
