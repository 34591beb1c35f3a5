using Atom.Salesforce.Client.Postgres.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.DependencyInjection;

/// <summary>
/// The PostgreSQL store of a named connected app (<c>AddAtomSalesforce("partner-org", ...).AddPostgresTokenStore(...)</c>): the
/// same store, cache, usage counters and migrations as the default app's, built in a private container from the app's named
/// <see cref="PostgresTokenStoreOptions"/>, so that nothing (data source, cache, refresh locks in memory) is shared with
/// another app. Its tables are the documented ones, in the schema its connection string's <c>Search Path</c> names. The host
/// starts and stops it as a hosted service.
/// </summary>
internal sealed class NamedPostgresTokenStore : IHostedService, IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _started = [];
    private int _disposed;

    public NamedPostgresTokenStore(PostgresTokenStoreOptions options, ILoggerFactory? loggerFactory, TimeProvider timeProvider)
    {
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        services.AddLogging();
        services.AddSingleton(timeProvider);
        PostgresTokenStoreServices.Add(services, bindDefaultSection: false, static _ => { });
        services.Replace(ServiceDescriptor.Singleton<IOptionsFactory<PostgresTokenStoreOptions>>(sp =>
            new PostgresTokenStore.FixedOptionsFactory(options, sp.GetServices<IValidateOptions<PostgresTokenStoreOptions>>())));
        _provider = services.BuildServiceProvider();
        Store = _provider.GetRequiredService<PostgresTokenStore>();
    }

    public PostgresTokenStore Store { get; }

    /// <summary>The app's database (and schema), shared with the change event consumer's replay store and lease.</summary>
    internal TokenStoreDataSource DataSource => _provider.GetRequiredService<TokenStoreDataSource>();

    /// <summary>Runs the app's migrations (when <c>MigrateOnStart</c>) and starts its usage flushing.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _provider.GetServices<IHostedService>())
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(service);
        }
    }

    /// <summary>Writes what is pending and stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(cancellationToken).ConfigureAwait(false);
        }

        _started.Clear();
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _provider.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>
    /// A named app's store needs tables of its own: a connection string whose <c>Search Path</c> names a schema other than the
    /// default app's store's (or another database). Otherwise two apps would share the documented table, keyed by
    /// <c>(user_id, username)</c> alone, and one app could read the other's tokens.
    /// </summary>
    internal sealed class Validator(IServiceProvider services) : IValidateOptions<PostgresTokenStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgresTokenStoreOptions options)
        {
            if (string.IsNullOrEmpty(name) || !IsNamedStore(name))
            {
                return ValidateOptionsResult.Skip;
            }

            var prefix = $"Salesforce app '{name}': ";
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                return ValidateOptionsResult.Fail(prefix + "its PostgreSQL token store needs a connection string of its own whose Search Path names the app's schema (for example ...;Search Path=partner_org), so that its tokens stay apart from every other app's.");
            }

            var own = Place(options.ConnectionString);
            if (own.SearchPath is null)
            {
                return ValidateOptionsResult.Fail(prefix + "its PostgreSQL token store's connection string must set Search Path to the app's own schema (for example Search Path=partner_org), so that its tokens stay apart from every other app's.");
            }

            // The default app's store (when it is PostgreSQL too): its options validate without coming back here.
            if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(PostgresTokenStore)) == true
                && services.GetRequiredService<IOptionsMonitor<PostgresTokenStoreOptions>>().Get(Options.DefaultName).ConnectionString is { } main
                && Place(main) == own)
            {
                return ValidateOptionsResult.Fail(prefix + "its PostgreSQL token store uses the same database and Search Path as the default app's; give each app its own schema (Search Path).");
            }

            return ValidateOptionsResult.Success;
        }

        private bool IsNamedStore(string name) => services.GetServices<NamedStoreMarker>().Any(m => m.Name == name);

        private static (string? Host, int Port, string? Database, string? SearchPath) Place(string connectionString)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var path = string.IsNullOrWhiteSpace(builder.SearchPath) ? null : builder.SearchPath.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            return (builder.Host?.ToUpperInvariant(), builder.Port, builder.Database, path);
        }
    }

    /// <summary>Marks a connected app that keeps its tokens in PostgreSQL.</summary>
    internal sealed record NamedStoreMarker(string Name);
}
