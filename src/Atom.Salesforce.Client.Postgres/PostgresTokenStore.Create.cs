using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres;

public sealed partial class PostgresTokenStore
{
    private StandaloneOwner? _owner;

    /// <summary>
    /// A store made without a dependency-injection container, like <c>NpgsqlDataSource.Create</c>: the same store
    /// <c>.AddPostgresTokenStore(...)</c> registers, with its encryption, refresh locking, audit and usage counters. It runs
    /// the migrations now when <see cref="PostgresTokenStoreOptions.MigrateOnStart"/> says so, writes the usage counters every
    /// <see cref="PostgresTokenStoreOptions.UsageFlushInterval"/>, and once more when disposed of. Pass it to
    /// <c>SalesforceClientFactory.Create</c>; dispose of it at the end of the application.
    /// </summary>
    /// <param name="options">The settings; validated once, now: do not change the instance afterwards.</param>
    /// <param name="dataSource">
    /// The database to use, when <see cref="PostgresTokenStoreOptions.ConnectionString"/> is not set; the caller keeps
    /// ownership of it.
    /// </param>
    /// <param name="loggerFactory">Where the store logs; nowhere when null.</param>
    /// <param name="cancellationToken">Cancels the migrations.</param>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    /// <exception cref="InvalidOperationException">Neither a connection string nor a data source was given.</exception>
    public static async Task<PostgresTokenStore> CreateAsync(
        PostgresTokenStoreOptions options,
        NpgsqlDataSource? dataSource = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        services.AddLogging();
        if (dataSource is not null)
        {
            services.AddSingleton(dataSource);
        }

        // The one registration the container path uses; only the options instance is the caller's.
        PostgresTokenStoreServices.Add(services, bindDefaultSection: false, static _ => { });
        services.Replace(ServiceDescriptor.Singleton<IOptionsFactory<PostgresTokenStoreOptions>>(sp =>
            new FixedOptionsFactory(options, sp.GetServices<IValidateOptions<PostgresTokenStoreOptions>>())));

        var provider = services.BuildServiceProvider();
        var started = new List<IHostedService>();
        try
        {
            _ = provider.GetRequiredService<IOptionsMonitor<PostgresTokenStoreOptions>>().CurrentValue;
            var store = provider.GetRequiredService<PostgresTokenStore>();
            foreach (var service in provider.GetServices<IHostedService>())
            {
                await service.StartAsync(cancellationToken).ConfigureAwait(false);
                started.Add(service);
            }

            store._owner = new StandaloneOwner(provider, started);
            return store;
        }
        catch
        {
            await new StandaloneOwner(provider, started).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>For a store made by <see cref="CreateAsync"/>: stops its background work and releases what it made.</summary>
    private async ValueTask<bool> DisposeOwnedAsync()
    {
        var owner = Interlocked.Exchange(ref _owner, null);
        if (owner is null)
        {
            return false;
        }

        // Disposing of the provider disposes of this store again, now without an owner: that writes what is pending.
        await owner.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>The private container of a store made by <see cref="CreateAsync"/>, and the background services it started.</summary>
    private sealed class StandaloneOwner(ServiceProvider provider, List<IHostedService> started) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            for (var i = started.Count - 1; i >= 0; i--)
            {
                await started[i].StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await provider.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Gives the caller's options instance, checked by the registered validators.</summary>
    internal sealed class FixedOptionsFactory(PostgresTokenStoreOptions instance, IEnumerable<IValidateOptions<PostgresTokenStoreOptions>> validators)
        : IOptionsFactory<PostgresTokenStoreOptions>
    {
        public PostgresTokenStoreOptions Create(string name)
        {
            var failures = new List<string>();
            foreach (var validator in validators)
            {
                var result = validator.Validate(name, instance);
                if (result.Failed)
                {
                    failures.AddRange(result.Failures);
                }
            }

            return failures.Count == 0 ? instance : throw new OptionsValidationException(name, typeof(PostgresTokenStoreOptions), failures);
        }
    }
}
