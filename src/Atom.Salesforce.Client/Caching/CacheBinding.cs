using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// One connected app's link to the registered <see cref="SalesforceCache"/>: its options, and how the org of a user's token
/// is found (<paramref name="orgOf"/>: the app's token store, read without sending anything).
/// </summary>
internal sealed class CacheBinding(
    SalesforceCache cache, IOptionsMonitor<SalesforceCacheOptions> options, Func<string, string?, CancellationToken, Task<string?>> orgOf)
{
    public SalesforceCache Cache { get; } = cache;

    public SalesforceCacheOptions Options => options.CurrentValue;

    /// <summary>The org id (or instance host) of the token of a user and username; null when the user has no token.</summary>
    public Task<string?> OrgOfAsync(string userId, string? username, CancellationToken cancellationToken) => orgOf(userId, username, cancellationToken);

    public ConnectionCache For(string userId, string? username, string version, SalesforceTelemetry telemetry, ILogger logger) =>
        new(this, userId, username, version, telemetry, logger);
}
