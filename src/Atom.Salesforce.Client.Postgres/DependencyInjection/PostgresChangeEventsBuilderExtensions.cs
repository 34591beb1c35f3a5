using Atom.Salesforce.Client.Postgres.ChangeEvents;
using Atom.Salesforce.Client.Postgres.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the hosted change event consumer's replay ids and subscriber lease in PostgreSQL.</summary>
public static class PostgresChangeEventsBuilderExtensions
{
    /// <summary>
    /// Keeps replay ids in the PostgreSQL token store's database (table <c>salesforce_pubsub_replay_ids</c>, created by the token
    /// store's migrations, in the same schema: a named app's own <c>Search Path</c>) and elects one active subscriber per org,
    /// consumer and topic among the application's instances with a PostgreSQL advisory lock. When the active instance stops
    /// or dies, its lock goes with its database session and a standby instance takes over within
    /// <see cref="ChangeEventsOptions.LeaseRetryInterval"/>, resuming after the last committed replay id.
    /// </summary>
    /// <remarks>
    /// The consumer's app (<see cref="ChangeEventsOptions.AppName"/>) must keep its tokens in PostgreSQL
    /// (<c>AddPostgresTokenStore</c>); start-up fails otherwise. Each topic's active subscriber holds one connection of the
    /// store's pool for as long as it is active.
    /// </remarks>
    public static IChangeEventsBuilder UsePostgres(this IChangeEventsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(static sp =>
        {
            var appName = sp.GetRequiredService<IOptions<ChangeEventsOptions>>().Value.AppName;
            var dataSource = appName.Length == 0
                ? sp.GetRequiredService<TokenStoreDataSource>()
                : sp.GetRequiredKeyedService<NamedPostgresTokenStore>(appName).DataSource;
            return new PostgresChangeEventStore(dataSource, sp.GetRequiredService<ILogger<PostgresChangeEventStore>>());
        });
        services.Replace(ServiceDescriptor.Singleton<IReplayStore>(static sp => sp.GetRequiredService<PostgresChangeEventStore>()));
        services.Replace(ServiceDescriptor.Singleton<IChangeEventLeaseProvider>(static sp => sp.GetRequiredService<PostgresChangeEventStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeEventsOptions>, PostgresChangeEventsValidator>());
        return builder;
    }

    /// <summary>The consumer's app must have a PostgreSQL token store: its database holds the replay ids.</summary>
    private sealed class PostgresChangeEventsValidator(IServiceProvider services) : IValidateOptions<ChangeEventsOptions>
    {
        public ValidateOptionsResult Validate(string? name, ChangeEventsOptions options)
        {
            var appName = options.AppName ?? string.Empty;
            var hasStore = appName.Length == 0
                ? services.GetService<IServiceProviderIsService>()?.IsService(typeof(TokenStoreDataSource)) == true
                : services.GetServices<NamedPostgresTokenStore.NamedStoreMarker>().Any(m => m.Name == appName);
            return hasStore
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"ChangeEvents: UsePostgres() keeps replay ids with the PostgreSQL token store of the app '{(appName.Length == 0 ? "default" : appName)}', which has none: call AddPostgresTokenStore on that app's AddAtomSalesforce builder.");
        }
    }
}
