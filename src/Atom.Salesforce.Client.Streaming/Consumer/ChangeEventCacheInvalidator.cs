using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Drops the SDK's cached query results of the object a change event names (its header's entity), in the org of the
/// consumer user's token: the same tag a write through the SDK drops (<c>{prefix}:{org}:obj:{object}</c>), so a change made
/// anywhere (the Salesforce UI, another integration, a flow) shows in the cached queries at once. The cache is the core's
/// seam (<see cref="SalesforceCache"/>), so this package needs no reference to the caching package. Only the active
/// subscriber of a topic reads its events: the drop reaches the other instances through the shared level (HybridCache's tag
/// invalidation and the seam's invalidation stamp in Redis). Never fails the event: a cache that cannot be reached only leaves
/// the entries to expire.
/// </summary>
internal sealed class ChangeEventCacheInvalidator(CacheBinding cache, string userId, ILogger logger)
{
    /// <summary>The invalidator of the consumer's app, or null when the app has no cache or the options turn it off.</summary>
    public static ChangeEventCacheInvalidator? For(IServiceProvider services, ChangeEventsOptions options, ILoggerFactory loggers) =>
        options.InvalidateCache && options.UserId is { } user
        && services.GetKeyedService<SalesforceApp>(options.AppName) is { Cache: { } cache }
            ? new ChangeEventCacheInvalidator(cache, user, loggers.CreateLogger("Atom.Salesforce.Client.Streaming.Consumer.ChangeEventConsumer"))
            : null;

    public async Task InvalidateAsync(object received, CancellationToken cancellationToken)
    {
        var header = received switch
        {
            ReceivedEvent { IsChangeEvent: true } raw => raw.ChangeEventHeader,
            IHasChangeEventHeader decoded => decoded.Header,
            _ => null,
        };
        if (header?.EntityName is not { Length: > 0 } entity)
        {
            return;
        }

        try
        {
            await cache.InvalidateObjectsAsync(userId, null, [entity], "change_event", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            ConsumerLog.CacheInvalidationFailed(logger, entity, e);
        }
    }
}
