using Atom.Salesforce.Client.Mirror.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>
/// The writer's hold on one mirror schema: a PostgreSQL session holding the advisory lock
/// <c>pg_try_advisory_lock(1397116242, hashtext('&lt;schema&gt;'))</c> (1397116242 is <c>'SFMR'</c>), through which every write
/// of the mirror goes, one at a time. PostgreSQL releases the lock when the session ends, so when the writer's process dies a
/// standby instance gets it at its next try; and since writes go through the locking session, a writer that lost its session
/// can never write again (its statements fail), so two writers never interleave.
/// </summary>
internal sealed class MirrorSession : IAsyncDisposable
{
    /// <summary>First key of the mirror's writer locks ('SFMR').</summary>
    public const int LockNamespace = 0x53464D52;

    private const string StillHeld = """
        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
            AND classid = ($1::bigint & 4294967295)::oid AND objid = (hashtext($2)::bigint & 4294967295)::oid AND objsubid = 2
        """;

    private readonly NpgsqlConnection _connection;
    private readonly string _schema;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _heartbeat;
    private Task _heartbeatTask = Task.CompletedTask;
    private int _disposed;

    private MirrorSession(NpgsqlConnection connection, string schema, TimeSpan heartbeat, ILogger logger)
    {
        _connection = connection;
        _schema = schema;
        _heartbeat = heartbeat;
        _logger = logger;
    }

    /// <summary>Cancelled as soon as the session may have lost the lock.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the writer lock of <paramref name="schema"/>; null when another writer holds it.</summary>
    public static async Task<MirrorSession?> TryAcquireAsync(NpgsqlDataSource dataSource, string schema, TimeSpan heartbeat, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, hashtext($2))", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockNamespace });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var session = new MirrorSession(connection, schema, heartbeat, logger);
        session._heartbeatTask = Task.Run(session.HeartbeatAsync, CancellationToken.None);
        return session;
    }

    /// <summary>Runs work on the locking session, alone; a database failure there loses the lock.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lost.Token);
        await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            _lost.Token.ThrowIfCancellationRequested();
            return await work(_connection, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (_connection.State != System.Data.ConnectionState.Open)
        {
            await LoseAsync(e).ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task RunAsync(Func<NpgsqlConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync<bool>(async (c, ct) =>
        {
            await work(c, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task HeartbeatAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(_heartbeat, _stop.Token).ConfigureAwait(false);
                await _gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    await using var command = new NpgsqlCommand(StillHeld, _connection) { CommandTimeout = 5 };
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockNamespace });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema });
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
            MirrorLog.WriterLockLost(_logger, _schema, cause);
            await _lost.CancelAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeatTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_connection.State is System.Data.ConnectionState.Open)
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1, hashtext($2))", _connection) { CommandTimeout = 5 };
                unlock.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockNamespace });
                unlock.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema });
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // Not sure the session let go: the pool must close this connection rather than keep it (and the lock).
                NpgsqlConnection.ClearPool(_connection);
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stop.Dispose();
        _gate.Dispose();
    }
}
