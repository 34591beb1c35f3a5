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
        try
        {
            var name = key.ToString();
            var session = await AdvisoryLockSession.TryAcquireAsync(
                _dataSource.DataSource, LeaseNamespace, name, HeartbeatInterval, cause => Log.ChangeEventLeaseLost(_logger, name, cause), cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return null;
            }

            var lease = new Lease(this, key, session);
            _held[key.Tuple()] = lease;
            return lease;
        }
        catch (Exception e) when (StoreErrors.IsDatabaseFailure(e))
        {
            throw StoreErrors.Wrap(e, "ask for a change event subscriber lease", _dataSource);
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

    /// <summary>
    /// A held lease: the advisory lock's session. It stays in <c>_held</c> until disposed, even once lost, so that a commit for
    /// the key fails instead of going through another connection.
    /// </summary>
    private sealed class Lease(PostgresChangeEventStore owner, SubscriptionKey key, AdvisoryLockSession session) : IChangeEventLease
    {
        public CancellationToken Lost => session.Lost;

        /// <summary>Runs a statement on the lease's session; a failure there means the lease is lost.</summary>
        public Task RunAsync(string sql, Action<NpgsqlCommand> parameters, CancellationToken cancellationToken) =>
            session.RunAsync(async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                parameters(command);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            owner._held.TryRemove(new KeyValuePair<(string, string, string), Lease>(key.Tuple(), this));
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The key as a value, for dictionaries.</summary>
internal static class SubscriptionKeyExtensions
{
    public static (string, string, string) Tuple(this SubscriptionKey key) => (key.Org, key.Consumer, key.Topic);
}
