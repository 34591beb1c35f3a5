using System.Collections.Concurrent;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Postgres.Telemetry;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.ChangeEvents;

/// <summary>
/// The hosted change event consumer's replay store and subscriber lease in PostgreSQL, next to the token store's tables (same
/// database and schema: a named app's own <c>Search Path</c>).
/// <para>
/// Lease: a session-level advisory lock, <c>pg_try_advisory_lock(1397113669, hashtext('&lt;org&gt;/&lt;consumer&gt;/&lt;topic&gt;'))</c>
/// (1397113669 is <c>'SFCE'</c>; the token store's locks use other first keys), held on a connection of its own for as long
/// as the instance is the topic's active subscriber. PostgreSQL releases it when that session ends, so when the holder's
/// process dies its lock goes with its connection and a standby instance gets it at its next try. The holder checks its
/// session every <see cref="HeartbeatInterval"/>; when the check fails (connection lost, lock gone) the lease is lost and the
/// consumer stops at once. Two different keys whose 32-bit hashes collide share one lock: they are then consumed one after
/// the other's instance, never lost.
/// </para>
/// <para>
/// Replay ids are committed through the lease's own session: a commit can only succeed while this instance still holds the
/// lock, so an instance that lost its lease (a dropped connection) can never move the replay id past what the new holder
/// has done.
/// </para>
/// </summary>
internal sealed class PostgresChangeEventStore : IReplayStore, IChangeEventLeaseProvider
{
    /// <summary>First key of the subscriber leases ('SFCE').</summary>
    public const int LeaseNamespace = 0x53464345;

    private const string TryLock = "SELECT pg_try_advisory_lock($1, hashtext($2))";
    private const string Unlock = "SELECT pg_advisory_unlock($1, hashtext($2))";
    private const string StillHeld = """
        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
            AND classid = ($1::bigint & 4294967295)::oid AND objid = (hashtext($2)::bigint & 4294967295)::oid AND objsubid = 2
        """;

    private const string Select = $"SELECT replay_id FROM {TokenStoreSchema.ReplayIdsTable} WHERE org_id = $1 AND consumer = $2 AND topic = $3";
    private const string Upsert = $"""
        INSERT INTO {TokenStoreSchema.ReplayIdsTable} (org_id, consumer, topic, replay_id, updated_at) VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (org_id, consumer, topic) DO UPDATE SET replay_id = EXCLUDED.replay_id, updated_at = EXCLUDED.updated_at
        """;

    private readonly TokenStoreDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string, string, string), Lease> _held = new();

    public PostgresChangeEventStore(TokenStoreDataSource dataSource, ILogger<PostgresChangeEventStore> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>How often a held lease checks its session (default one second).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<ReplayId?> GetAsync(SubscriptionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await using var command = _dataSource.DataSource.CreateCommand(Select);
            AddKey(command, key);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] id ? new ReplayId(id) : null;
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "read a change event replay id", _dataSource);
        }
    }

    public async Task SaveAsync(SubscriptionKey key, ReplayId replayId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (replayId.IsEmpty)
        {
            throw new ArgumentException("A replay id has at least one byte.", nameof(replayId));
        }

        try
        {
            if (_held.TryGetValue(key.Tuple(), out var lease))
            {
                await lease.RunAsync(Upsert, c => { AddKey(c, key); AddReplayId(c, replayId); }, cancellationToken).ConfigureAwait(false);
                return;
            }

            await using var command = _dataSource.DataSource.CreateCommand(Upsert);
            AddKey(command, key);
            AddReplayId(command, replayId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "commit a change event replay id", _dataSource);
        }
    }

    public async Task<IChangeEventLease?> TryAcquireAsync(SubscriptionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(TryLock, connection))
            {
                AddLockKey(command, key);
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
            }

            var lease = new Lease(this, key, connection);
            connection = null;
            _held[key.Tuple()] = lease;
            lease.Start();
            return lease;
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "ask for a change event subscriber lease", _dataSource);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void AddKey(NpgsqlCommand command, SubscriptionKey key)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Org });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Consumer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Topic });
    }

    private static void AddReplayId(NpgsqlCommand command, ReplayId replayId) =>
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = replayId.ToArray() });

    private static void AddLockKey(NpgsqlCommand command, SubscriptionKey key)
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LeaseNamespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.ToString() });
    }

    /// <summary>A held lock: its connection, a heartbeat, and a gate so that commits and heartbeats take turns on the connection.</summary>
    private sealed class Lease(PostgresChangeEventStore owner, SubscriptionKey key, NpgsqlConnection connection) : IChangeEventLease
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private Task _heartbeat = Task.CompletedTask;
        private int _disposed;

        public CancellationToken Lost => _lost.Token;

        public void Start() => _heartbeat = Task.Run(HeartbeatAsync);

        /// <summary>Runs a statement on the lease's session; a failure there means the lease is lost.</summary>
        public async Task RunAsync(string sql, Action<NpgsqlCommand> parameters, CancellationToken cancellationToken)
        {
            if (_lost.IsCancellationRequested)
            {
                throw new OperationCanceledException("The change event subscriber lease was lost.", _lost.Token);
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var command = new NpgsqlCommand(sql, connection);
                parameters(command);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
            {
                await LoseAsync(e).ConfigureAwait(false);
                throw;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task HeartbeatAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await Task.Delay(owner.HeartbeatInterval, _stop.Token).ConfigureAwait(false);
                    await _gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                    try
                    {
                        await using var command = new NpgsqlCommand(StillHeld, connection) { CommandTimeout = 5 };
                        AddLockKey(command, key);
                        if (await command.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false) is not 1L)
                        {
                            await LoseAsync(null).ConfigureAwait(false);
                            return;
                        }
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                await LoseAsync(e).ConfigureAwait(false);
            }
        }

        private async Task LoseAsync(Exception? cause)
        {
            if (!_lost.IsCancellationRequested)
            {
                // Kept in _held until disposed, so that a commit for the key fails instead of going through another connection.
                Log.ChangeEventLeaseLost(owner._logger, key.ToString(), cause);
                await _lost.CancelAsync().ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            owner._held.TryRemove(new KeyValuePair<(string, string, string), Lease>(key.Tuple(), this));
            await _stop.CancelAsync().ConfigureAwait(false);
            await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (connection.State is System.Data.ConnectionState.Open)
            {
                try
                {
                    // Given back explicitly: the connection returns to the pool, where its session would keep the lock.
                    await using var unlock = new NpgsqlCommand(Unlock, connection) { CommandTimeout = 5 };
                    AddLockKey(unlock, key);
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
                {
                    // Not sure the session let go: make the pool close this connection instead of keeping it (and the lock).
                    NpgsqlConnection.ClearPool(connection);
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            _lost.Dispose();
            _stop.Dispose();
            _gate.Dispose();
        }
    }
}

/// <summary>The key as a value, for dictionaries.</summary>
internal static class SubscriptionKeyExtensions
{
    public static (string, string, string) Tuple(this SubscriptionKey key) => (key.Org, key.Consumer, key.Topic);
}
