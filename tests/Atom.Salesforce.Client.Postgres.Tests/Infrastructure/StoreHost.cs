using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Usage;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

/// <summary>The SDK with the PostgreSQL store, registered as an application registers it, on one test schema.</summary>
internal sealed class StoreHost : IAsyncDisposable
{
    public StoreHost(
        string connectionString,
        string currentKeyId = "k1",
        IReadOnlyDictionary<string, string>? keys = null,
        Action<PostgresTokenStoreOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<ISalesforceBuilder>? sdk = null)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        var builder = collection.AddAtomSalesforce(o => o.ClientId = "test-client-id");
        builder.AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.Encryption.CurrentKeyId = currentKeyId;
                foreach (var (id, key) in keys ?? DefaultKeys)
                {
                    o.Encryption.Keys[id] = key;
                }

                configure?.Invoke(o);
            });
        sdk?.Invoke(builder);
        Provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>One key ring for the whole test run, so that stores of one test read each other's rows.</summary>
    public static IReadOnlyDictionary<string, string> DefaultKeys { get; } = new Dictionary<string, string> { ["k1"] = Secrets.NewKey() };

    public ServiceProvider Provider { get; }

    public PostgresTokenStore Store => Provider.GetRequiredService<PostgresTokenStore>();

    public PostgresTokenStoreMigrator Migrator => Provider.GetRequiredService<PostgresTokenStoreMigrator>();

    public PostgresUsageRecorder Usage => (PostgresUsageRecorder)Provider.GetRequiredService<ISalesforceUsageRecorder>();

    public PostgresTokenStoreHostedService Background =>
        Provider.GetServices<IHostedService>().OfType<PostgresTokenStoreHostedService>().Single();

    public static async Task<StoreHost> MigratedAsync(TestDatabase database, Action<PostgresTokenStoreOptions>? configure = null)
    {
        var host = new StoreHost(database.ConnectionString, configure: configure);
        await host.Migrator.MigrateAsync(TestContext.Current.CancellationToken);
        return host;
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
