using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// One connected app's link to the registered <see cref="SalesforceCache"/>: its options, and how the org of a user's token
/// is found (<paramref name="orgOf"/>: the app's token store, read without sending anything).
/// </summary>
internal sealed class CacheBinding(
    SalesforceCache cache,
    IOptionsMonitor<SalesforceCacheOptions> options,
    Func<string, string?, CancellationToken, Task<string?>> orgOf,
    TimeProvider time,
    SalesforceTelemetry telemetry)
{
    public SalesforceCache Cache { get; } = cache;

    public SalesforceCacheOptions Options => options.CurrentValue;

    public TimeProvider Time { get; } = time;

    /// <summary>The org id (or instance host) of the token of a user and username; null when the user has no token.</summary>
    public Task<string?> OrgOfAsync(string userId, string? username, CancellationToken cancellationToken) => orgOf(userId, username, cancellationToken);

    public ConnectionCache For(string userId, string? username, string version, SalesforceTelemetry telemetry, ILogger logger) =>
        new(this, userId, username, version, telemetry, logger);

    /// <summary>
    /// Drops the cached queries of <paramref name="sObjectTypes"/> in the org of <paramref name="userId"/>'s token, in this
    /// instance and (through the shared level) in every other: what a change event of those objects calls. False when the user
    /// has no token (nothing of an unknown org can be named). <paramref name="source"/> names the cause for the
    /// <c>salesforce.client.cache.invalidations</c> metric (<c>change_event</c>).
    /// </summary>
    public async Task<bool> InvalidateObjectsAsync(
        string userId, string? username, IEnumerable<string> sObjectTypes, string source, CancellationToken cancellationToken)
    {
        var org = await OrgOfAsync(userId, username, cancellationToken).ConfigureAwait(false);
        if (org is null)
        {
            return false;
        }

        foreach (var type in sObjectTypes.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await Cache.InvalidateAsync(ConnectionCache.ObjectTag(Options.KeyPrefix, org, type), cancellationToken).ConfigureAwait(false);
            telemetry.RecordCacheInvalidation("object", source);
        }

        return true;
    }
}
