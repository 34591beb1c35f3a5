using System.Collections.Concurrent;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// Describes kept for a while, per user and object: what a request's fields, filters and values are checked against.
/// Per user, because field-level security makes one user's describe differ from another's.
/// </summary>
internal sealed class DescribeCache(IOptions<SalesforceEndpointOptions> options, TimeProvider timeProvider)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<(string UserId, string SObject), Entry> _entries = new();

    public async Task<SObjectDescribe> GetAsync(SalesforceClient client, string sObjectType, CancellationToken cancellationToken)
    {
        var key = (client.UserId, sObjectType);
        var now = timeProvider.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && now - entry.FetchedAt < options.Value.DescribeCacheDuration)
        {
            return entry.Describe;
        }

        var describe = await client.SObjects.DescribeAsync(sObjectType, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new EndpointError(SalesforceEndpointErrors.ApiError, 502, EndpointErrorCodes.SalesforceError, $"Salesforce returned no describe for {sObjectType}.");
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(describe, now);
        return describe;
    }

    private sealed record Entry(SObjectDescribe Describe, DateTimeOffset FetchedAt);
}
