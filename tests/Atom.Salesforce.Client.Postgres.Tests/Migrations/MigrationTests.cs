using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Postgres.Tests.Migrations;

public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrations_create_the_store_tables_and_a_second_run_does_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = new StoreHost(database.ConnectionString);

        Assert.Equal(0, await host.Migrator.GetSchemaVersionAsync(Ct));
        Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await host.Migrator.MigrateAsync(Ct));
        Assert.Equal(0, await host.Migrator.MigrateAsync(Ct));
        Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await host.Migrator.GetSchemaVersionAsync(Ct));

        var tables = await database.RowsAsync(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", database.Schema);
        Assert.Equal(
            ["salesforce_oauth_audit_log", "salesforce_oauth_tokens", "salesforce_pubsub_replay_ids", "salesforce_token_store_schema_version", "salesforce_token_usage",
             "salesforce_webhook_endpoints", "salesforce_webhook_outbox"],
            tables.Select(r => (string)r[0]!));
        var tokenColumns = (await database.RowsAsync(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'salesforce_oauth_tokens'", database.Schema))
            .Select(r => (string)r[0]!).ToHashSet();
        Assert.Superset(
            new HashSet<string> { "id", "user_id", "username", "email", "access_token", "refresh_token", "token_type", "organization_id", "expires_at", "metadata", "row_version", "is_active", "invalidated_at", "access_count", "last_used_at" },
            tokenColumns);
        Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await database.ScalarAsync("SELECT count(*) FROM salesforce_token_store_schema_version"));
    }

    [Fact]
    public async Task Migrators_started_together_apply_each_migration_once()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var hosts = Enumerable.Range(0, 4).Select(_ => new StoreHost(database.ConnectionString)).ToList();
        try
        {
            var applied = await Task.WhenAll(hosts.Select(h => Task.Run(() => h.Migrator.MigrateAsync(Ct), Ct)));

            Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, applied.Sum());
            Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await database.ScalarAsync("SELECT count(*) FROM salesforce_token_store_schema_version"));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_store_without_its_tables_says_to_run_the_migrations()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = new StoreHost(database.ConnectionString);

        var error = await Assert.ThrowsAsync<SalesforceException>(() => host.Store.GetAsync("user-1", Ct));

        Assert.False(error.IsTransient);
        Assert.Contains("Run the migrations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateOnStart_creates_the_tables_when_the_host_starts()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = new StoreHost(database.ConnectionString, configure: o => o.MigrateOnStart = true);

        await host.Background.StartAsync(Ct);
        await host.Background.StopAsync(Ct);

        Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await host.Migrator.GetSchemaVersionAsync(Ct));
    }
}
