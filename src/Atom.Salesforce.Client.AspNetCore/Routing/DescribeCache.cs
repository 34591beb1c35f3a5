using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// The describe a request's fields, filters and values are checked against: from the SDK's cache (registered by
/// <c>AddEndpoints</c>), per user because field-level security makes one user's describe differ from another's, kept for
/// <see cref="SalesforceEndpointOptions.DescribeCacheDuration"/>; concurrent requests share one call.
/// </summary>
internal sealed class DescribeCache
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "A service of the endpoints (EndpointServices.Describes), called through its instance.")]
    public async Task<SObjectDescribe> GetAsync(SalesforceClient client, string sObjectType, CancellationToken cancellationToken) =>
        await client.SObjects.DescribeAsync(sObjectType, cancellationToken: cancellationToken).ConfigureAwait(false)
        ?? throw new EndpointError(SalesforceEndpointErrors.ApiError, 502, EndpointErrorCodes.SalesforceError, $"Salesforce returned no describe for {sObjectType}.");
}
