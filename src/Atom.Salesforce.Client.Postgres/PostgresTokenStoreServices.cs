using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Postgres.Usage;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres;

/// <summary>
/// The store's one registration, used by <c>.AddPostgresTokenStore(...)</c>, by a named app's private container and by
/// <see cref="PostgresTokenStore.CreateAsync"/>; it lives beside the store (not in the registration layer above it), since
/// the store's own <see cref="PostgresTokenStore.CreateAsync"/> uses it (docs/architecture.md).
/// </summary>
internal static class PostgresTokenStoreServices
{
    /// <summary>The store's registration: the container path and <see cref="PostgresTokenStore.CreateAsync"/> both use it.</summary>
    public static void Add(IServiceCollection services, bool bindDefaultSection, Action<PostgresTokenStoreOptions> configure)
    {
        if (bindDefaultSection)
        {
            // Before the caller's own settings, so that code wins over configuration.
            services.AddSingleton<IConfigureOptions<PostgresTokenStoreOptions>>(static sp =>
                new ConfigureNamedOptions<PostgresTokenStoreOptions>(Options.DefaultName, o =>
                    sp.GetService<IConfiguration>()?.GetSection(PostgresTokenStoreOptions.DefaultSectionName).Bind(o)));
        }

        services.AddOptions<PostgresTokenStoreOptions>().Configure(configure).ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(PostgresTokenStoreMarker)))
        {
            return;
        }

        services.AddSingleton<PostgresTokenStoreMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresTokenStoreOptions>, PostgresTokenStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresTokenStoreOptions>>().Value;
            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                var dataSourceBuilder = new NpgsqlDataSourceBuilder(options.ConnectionString);
                dataSourceBuilder.UseLoggerFactory(sp.GetService<ILoggerFactory>());
                return new TokenStoreDataSource(dataSourceBuilder.Build(), owned: true);
            }

            var shared = sp.GetService<NpgsqlDataSource>()
                ?? throw new InvalidOperationException(
                    "The PostgreSQL token store has no database: set Salesforce:TokenStore:ConnectionString, pass a connection string to AddPostgresTokenStore, or register an NpgsqlDataSource (AddNpgsqlDataSource) before resolving the store.");
            return new TokenStoreDataSource(shared, owned: false);
        });
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<PostgresTokenStoreOptions>>();
            return new TokenCipher(() => options.CurrentValue.Encryption);
        });
        services.TryAddSingleton<PostgresUsageRecorder>();
        services.TryAddSingleton(static sp => new PostgresTokenStoreMigrator(
            sp.GetRequiredService<TokenStoreDataSource>(),
            sp.GetRequiredService<TokenCipher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PostgresTokenStoreMigrator>>()));
        services.TryAddSingleton(static sp => new PostgresTokenStore(
            sp.GetRequiredService<TokenStoreDataSource>(),
            sp.GetRequiredService<TokenCipher>(),
            sp.GetRequiredService<PostgresUsageRecorder>(),
            sp.GetRequiredService<IOptionsMonitor<PostgresTokenStoreOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IOptionsMonitor<SalesforceOptions>>(),
            sp.GetRequiredService<ILogger<PostgresTokenStore>>()));
        services.Replace(ServiceDescriptor.Singleton<ITokenStore>(static sp => sp.GetRequiredService<PostgresTokenStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISalesforceUsageRecorder>(static sp => sp.GetRequiredService<PostgresUsageRecorder>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresTokenStoreHostedService>());
    }

    /// <summary>Marks the collection as holding the store, so that a second call registers nothing twice.</summary>
    private sealed class PostgresTokenStoreMarker;
}
