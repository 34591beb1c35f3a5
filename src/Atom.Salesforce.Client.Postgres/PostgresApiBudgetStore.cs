using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Models;
using Npgsql;
using NpgsqlTypes;

namespace Atom.Salesforce.Client.Postgres;

/// <summary>
/// The API budget of each org in PostgreSQL (table <see cref="TableName"/>, created on first use), shared by every instance
/// that uses the same database and schema. Taking a call is one atomic statement (<c>INSERT ... ON CONFLICT DO UPDATE ...
/// WHERE ... RETURNING</c>), so two instances taking the last call at once never both get it. A row not changed for 24 hours
/// counts as unknown again (Salesforce's allocation is a rolling 24-hour window). Rows hold org hosts only: never a token or a user.
/// </summary>
public sealed class PostgresApiBudgetStore : IApiBudgetStore, IAsyncDisposable, IDisposable
{
    /// <summary>The table holding one row per org: <c>org</c>, <c>used</c>, <c>max</c>, <c>updated_at</c>.</summary>
    public const string TableName = "salesforce_api_budget";

    private const string Create = $"""
        CREATE TABLE IF NOT EXISTS {TableName} (
            org        text        PRIMARY KEY CHECK (length(org) BETWEEN 1 AND 255),
            used       bigint      NOT NULL CHECK (used >= 0),
            max        bigint      NOT NULL CHECK (max >= 0),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    // $1 org, $2 reserve in millionths. A row untouched for 24 hours starts again (unknown allocation, this call used).
    private const string Take = $"""
        INSERT INTO {TableName} AS b (org, used, max) VALUES ($1, 1, 0)
        ON CONFLICT (org) DO UPDATE SET
            used = CASE WHEN b.updated_at < now() - interval '24 hours' THEN 1 ELSE b.used + 1 END,
            max = CASE WHEN b.updated_at < now() - interval '24 hours' THEN 0 ELSE b.max END,
            updated_at = now()
        WHERE b.updated_at < now() - interval '24 hours' OR b.max = 0 OR b.used + 1 <= b.max - (b.max * $2 + 999999) / 1000000
        RETURNING used, max
        """;

    private const string Read = $"SELECT used, max FROM {TableName} WHERE org = $1";

    // $1 org, $2 used, $3 max, $4 exact.
    private const string Observe = $"""
        INSERT INTO {TableName} AS b (org, used, max) VALUES ($1, $2, $3)
        ON CONFLICT (org) DO UPDATE SET
            used = CASE WHEN $4 OR b.updated_at < now() - interval '24 hours' THEN $2 ELSE GREATEST(b.used, $2) END,
            max = $3,
            updated_at = now()
        RETURNING used, max
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _owned;
    private Task? _created;

    /// <summary>Uses the application's data source (which the application disposes).</summary>
    /// <param name="dataSource">The database holding <see cref="TableName"/> (its search path decides the schema).</param>
    public PostgresApiBudgetStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Opens its own data source from <paramref name="connectionString"/> (disposed with the store).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public PostgresApiBudgetStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _owned = true;
    }

    /// <inheritdoc />
    public async ValueTask<ApiBudgetTake> TryTakeAsync(string org, int reservePartsPerMillion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        ArgumentOutOfRangeException.ThrowIfNegative(reservePartsPerMillion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reservePartsPerMillion, 1_000_000);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand(Take, connection))
        {
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = org, NpgsqlDbType = NpgsqlDbType.Text });
            take.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reservePartsPerMillion, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new ApiBudgetTake(true, reader.GetInt64(0), reader.GetInt64(1));
            }
        }

        await using var read = new NpgsqlCommand(Read, connection);
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = org, NpgsqlDbType = NpgsqlDbType.Text });
        await using var row = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ApiBudgetTake(false, row.GetInt64(0), row.GetInt64(1))
            : new ApiBudgetTake(false, 0, 0);
    }

    /// <inheritdoc />
    public async ValueTask<ApiUsage> ObserveAsync(string org, ApiUsage usage, bool exact, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(Observe);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = org, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(0, usage.Used), NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(0, usage.Max), NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = exact, NpgsqlDbType = NpgsqlDbType.Boolean });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ApiUsage(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Disposes the data source when the store opened it.</summary>
    public ValueTask DisposeAsync() => _owned ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Disposes the data source when the store opened it (a container disposed synchronously calls this).</summary>
    public void Dispose()
    {
        if (_owned)
        {
            _dataSource.Dispose();
        }
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var created = Volatile.Read(ref _created);
        if (created is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            var fresh = CreateTableAsync(cancellationToken);
            created = Interlocked.CompareExchange(ref _created, fresh, created) == created ? fresh : _created!;
        }

        return created;
    }

    private async Task CreateTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(Create);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another instance created it at the same moment.
        }
    }
}
