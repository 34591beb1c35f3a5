using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Postgres.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Migrations;

/// <summary>
/// Creates and upgrades the token store's tables in the database of the store's connection (in the first schema of its
/// <c>search_path</c>). Each migration runs in its own transaction and is recorded in
/// <c>salesforce_token_store_schema_version</c>; migrators running at the same time (several instances starting) wait for one
/// another on an advisory lock, so each migration runs exactly once. Running it again does nothing.
/// </summary>
public sealed class PostgresTokenStoreMigrator
{
    private readonly TokenStoreDataSource _dataSource;
    private readonly ILogger _logger;

    internal PostgresTokenStoreMigrator(TokenStoreDataSource dataSource, ILogger<PostgresTokenStoreMigrator> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>The schema version this package needs.</summary>
    public static int LatestVersion => TokenStoreSchema.Migrations[^1].Version;

    /// <summary>Applies every migration the database lacks. Returns how many were applied (0 when the schema was current).</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (version, description, sql) in TokenStoreSchema.Migrations)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, 0)", connection, transaction))
                {
                    lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = StoreSql.MigrationLockNamespace });
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var create = new NpgsqlCommand(TokenStoreSchema.CreateVersionTable, connection, transaction))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var check = new NpgsqlCommand($"SELECT 1 FROM {TokenStoreSchema.VersionTable} WHERE version = $1", connection, transaction))
                {
                    check.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                    if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                await using (var migrate = new NpgsqlCommand(sql, connection, transaction))
                {
                    await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var record = new NpgsqlCommand($"INSERT INTO {TokenStoreSchema.VersionTable} (version, description) VALUES ($1, $2)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                Log.MigrationApplied(_logger, version, description);
                applied++;
            }
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "migrate its schema", _dataSource);
        }

        return applied;
    }

    /// <summary>The highest migration applied to the database, or 0 when the store's tables were never created.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{TokenStoreSchema.VersionTable}') IS NOT NULL", connection))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                {
                    return 0;
                }
            }

            await using var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {TokenStoreSchema.VersionTable}", connection);
            return (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "read its schema version", _dataSource);
        }
    }
}
