using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Postgres.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Atom.Salesforce.Client.Postgres.Migrations;

/// <summary>
/// Creates and upgrades the token store's tables in the database of the store's connection (in the first schema of its
/// <c>search_path</c>). Each migration runs in its own transaction and is recorded in
/// <c>salesforce_token_store_schema_version</c>; migrators running at the same time (several instances starting) wait for one
/// another on an advisory lock, so each migration runs exactly once. Running it again does nothing.
/// The tables are the documented <c>salesforce_oauth_tokens</c>, <c>salesforce_oauth_audit_log</c> and
/// <c>salesforce_token_usage</c> (plus the columns the store needs); a database that already holds them, as the service this
/// SDK replaces wrote them, is adopted: missing columns are added and every plaintext token is encrypted in place
/// (<see cref="EncryptPlaintextTokensAsync"/>). Migration 3 adds <c>salesforce_pubsub_replay_ids</c>, where the hosted change event
/// consumer of Atom.Salesforce.Client.Streaming commits its replay ids (<c>UsePostgres()</c>); migration 4 adds
/// <c>salesforce_webhook_endpoints</c> and <c>salesforce_webhook_outbox</c>, the endpoint pack's webhooks (<c>AddWebhooks()</c>).
/// </summary>
public sealed class PostgresTokenStoreMigrator
{
    private readonly TokenStoreDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly TokenCipher _cipher;
    private readonly TimeProvider _timeProvider;

    internal PostgresTokenStoreMigrator(
        TokenStoreDataSource dataSource, TokenCipher cipher, TimeProvider timeProvider, ILogger<PostgresTokenStoreMigrator> logger)
    {
        _dataSource = dataSource;
        _cipher = cipher;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The schema version this package needs.</summary>
    public static int LatestVersion => TokenStoreSchema.Migrations[^1].Version;

    /// <summary>
    /// Applies every migration the database lacks, then encrypts any plaintext token left in the tables
    /// (<see cref="EncryptPlaintextTokensAsync"/>, whose count is logged). Returns how many migrations were applied (0 when the
    /// schema was current).
    /// </summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        try
        {
            await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await CreateSearchPathSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
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

        await EncryptPlaintextTokensAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>
    /// When no schema of the connection's <c>search_path</c> exists yet (a connected app's own schema, named by
    /// <c>Search Path</c> in its connection string), creates the first one, so that the tables have somewhere to go. A schema
    /// that exists is never touched, so a role without the CREATE privilege on the database is not asked for it.
    /// </summary>
    private async Task CreateSearchPathSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var first = new NpgsqlConnectionStringBuilder(_dataSource.DataSource.ConnectionString).SearchPath?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(first) || !first.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(first[0]))
        {
            return;
        }

        await using var current = new NpgsqlCommand("SELECT current_schema()", connection);
        if (await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string)
        {
            return;
        }

        // A plain identifier (checked above), quoted so that its case is kept as the search path spells it.
        await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{first}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Encrypts, in place, every <c>access_token</c> and <c>refresh_token</c> still held in plaintext (as the service this SDK
    /// replaces wrote them) with the current key, bound to its row as the store's own values are. Works in batches of
    /// <paramref name="batchSize"/> rows, one transaction each, and writes one <c>encrypted</c> audit row per token row in the
    /// same transaction: a run stopped half-way loses nothing, and running it again finishes the work (and then does nothing).
    /// Instances running it at the same time share the rows. Returns how many rows were encrypted; the count is logged.
    /// <see cref="MigrateAsync"/> calls it.
    /// </summary>
    public async Task<int> EncryptPlaintextTokensAsync(int batchSize = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 10_000);
        var ring = _cipher.Ring;
        var encrypted = 0;
        try
        {
            while (true)
            {
                await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<(int Id, string UserId, string Username, string InstanceUrl, string Access, string? Refresh)>();
                await using (var select = new NpgsqlCommand(StoreSql.PlaintextSelect, connection, transaction))
                {
                    select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                            reader.IsDBNull(5) ? null : reader.GetString(5)));
                    }
                }

                if (rows.Count == 0)
                {
                    break;
                }

                var ids = new int[rows.Count];
                var accesses = new string[rows.Count];
                var refreshes = new string?[rows.Count];
                var details = new string[rows.Count];
                for (var i = 0; i < rows.Count; i++)
                {
                    var (id, userId, username, instanceUrl, access, refresh) = rows[i];
                    var bound = StoreSql.BoundUsername(username);
                    ids[i] = id;
                    accesses[i] = TokenCipher.IsEncryptedText(access)
                        ? access
                        : TokenCipher.EncryptText(ring, access, TokenCipher.AccessTokenField, userId, bound, instanceUrl);
                    refreshes[i] = refresh is null || TokenCipher.IsEncryptedText(refresh)
                        ? refresh
                        : TokenCipher.EncryptText(ring, refresh, TokenCipher.RefreshTokenField, userId, bound, instanceUrl);
                    details[i] = StoreSql.Details(
                        ("reason", "plaintext token encrypted at rest by the migration"),
                        ("instance_host", StoreSql.HostOf(instanceUrl)),
                        ("key_id", ring.CurrentKeyId));
                }

                await using (var update = new NpgsqlCommand(StoreSql.PlaintextUpdate, connection, transaction))
                {
                    update.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = ids });
                    update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = accesses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    update.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = refreshes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = details, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _timeProvider.GetUtcNow().ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                encrypted += rows.Count;
                if (rows.Count < batchSize)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "encrypt plaintext tokens", _dataSource);
        }

        Log.PlaintextEncrypted(_logger, encrypted, ring.CurrentKeyId);
        return encrypted;
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
