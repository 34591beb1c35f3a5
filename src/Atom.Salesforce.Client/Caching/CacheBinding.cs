using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Http;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Caching;

/// <summary>One connected app's link to the registered <see cref="SalesforceCache"/>: its token store (for the org id) and options.</summary>
internal sealed class CacheBinding(SalesforceCache cache, IOptionsMonitor<SalesforceCacheOptions> options, ITokenStore store)
{
    public SalesforceCache Cache { get; } = cache;

    public SalesforceCacheOptions Options => options.CurrentValue;

    public ITokenStore Store { get; } = store;

    public ConnectionCache For(SalesforceConnection connection) => new(this, connection);
}
