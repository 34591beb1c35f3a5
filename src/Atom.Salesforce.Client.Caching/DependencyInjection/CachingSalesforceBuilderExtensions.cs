using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK's cache on the SDK's builder.</summary>
public static class CachingSalesforceBuilderExtensions
{
    /// <summary>
    /// Caches describes, the global describe and limits, and the query results a call asks for
    /// (<c>QueryOptions.CacheDuration</c>), in <see cref="HybridCache"/>: the application's when it registered one
    /// (<c>AddHybridCache(...)</c>), else one registered here with its defaults. When a distributed cache is registered
    /// (<c>AddStackExchangeRedisCache(...)</c>), HybridCache uses it as a second level shared by every instance, and tag
    /// invalidation after a write reaches them all. Applies to every connected app of the container. Calling it twice
    /// registers nothing twice; the options of each call apply, in order.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="configure">Durations, the query size limit, the key prefix; defaults when null.</param>
    public static ISalesforceBuilder AddCaching(this ISalesforceBuilder builder, Action<SalesforceCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<SalesforceCacheOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(static d => d.ServiceType == typeof(SerializerRegistry)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceCacheOptions>, SalesforceCacheOptionsValidator>());
        services.AddHybridCache();
        services.AddSingleton<SerializerRegistry>();
        services.AddSingleton<IHybridCacheSerializerFactory>(static sp => sp.GetRequiredService<SerializerRegistry>());
        services.TryAddSingleton<SalesforceCache>(static sp =>
            new HybridSalesforceCache(
                sp.GetRequiredService<HybridCache>(), sp.GetRequiredService<SerializerRegistry>(), sp.GetService<IDistributedCache>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }
}
