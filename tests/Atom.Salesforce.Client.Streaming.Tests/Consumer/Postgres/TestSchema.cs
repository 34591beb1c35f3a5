using System.Security.Cryptography;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Atom.Salesforce.Client.Streaming.Tests.Consumer.Postgres;

/// <summary>
/// A fresh schema in the test server (ATOM_TEST_PG, set by ./build.sh test) for one test, with the token store's migrations
/// applied (the replay id table is migration 3), dropped afterwards.
/// </summary>
internal sealed class TestSchema : IAsyncDisposable
{
    private TestSchema(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ATOM_TEST_PG")
        ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");

    public static string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestSchema> CreateAsync(bool migrate = true)
    {
        var name = "c_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {name}"))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = name, Password = "unused-by-the-trust-test-server", MaxPoolSize = 20 };
        var schema = new TestSchema(name, builder.ConnectionString);
        if (migrate)
        {
            await using var instance = Instance(schema.ConnectionString);
            await instance.GetRequiredService<PostgresTokenStoreMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        }

        return schema;
    }

    /// <summary>
    /// One application instance's container: the default app with its PostgreSQL token store on <paramref name="connectionString"/>,
    /// and the consumer keeping replay ids and its lease there (<c>UsePostgres()</c>), reading from <paramref name="source"/>.
    /// </summary>
    public static ServiceProvider Instance(string connectionString, IChangeEventSource? source = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAtomSalesforce(o => o.ClientId = "consumer-tests")
            .AddPubSub()
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = EncryptionKey;
            });
        services.AddAtomSalesforceChangeEvents(o => o.UserId = "integration-user")
            .AddHandler<SObject, NoHandler>("Account")
            .UsePostgres();
        if (source is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(source));
        }

        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(ServerConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE");
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>A handler that does nothing (the store and lease tests only need a topic).</summary>
    internal sealed class NoHandler : IChangeEventHandler<SObject>
    {
        public Task HandleAsync(ChangeEvent<SObject> change, ChangeEventContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
