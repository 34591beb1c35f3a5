using System.Net.Sockets;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Storage;

/// <summary>
/// A session-level PostgreSQL advisory lock, <c>pg_try_advisory_lock(&lt;namespace&gt;, hashtext('&lt;key&gt;'))</c>, held on a
/// connection of its own for as long as this object lives: the change event subscriber lease of this package and the
/// mirror's writer lock (Atom.Salesforce.Client.Mirror compiles this same file, so both share one implementation without a
/// package dependency or internals across packages).
/// <para>
/// PostgreSQL releases the lock when the session ends, so when the holder's process dies its lock goes with its connection
/// and a standby gets it at its next try. The holder checks its session every heartbeat (<c>pg_locks</c> of its own backend);
/// when the check or a statement on the session fails (connection lost, lock gone), <see cref="Lost"/> is cancelled and the
/// session refuses further work. Work that must only happen while the lock is held (a replay id commit, a mirror write) runs
/// through <see cref="RunAsync{T}"/>, on the locking session itself, one piece at a time: it can only succeed while the lock
/// is held, so a holder that lost its session can never write after the next holder has.
/// </para>
/// </summary>
internal sealed class AdvisoryLockSession : IAsyncDisposable
{
    private const string TryLock = "SELECT pg_try_advisory_lock($1, hashtext($2))";
    private const string Unlock = "SELECT pg_advisory_unlock($1, hashtext($2))";
    private const string StillHeld = """
        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
            AND classid = ($1::bigint & 4294967295)::oid AND objid = (hashtext($2)::bigint & 4294967295)::oid AND objsubid = 2
        """;

    private readonly NpgsqlConnection _connection;
    private readonly int _namespace;
    private readonly TimeSpan _heartbeat;
    private readonly Action<Exception?> _onLost;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeatTask = Task.CompletedTask;
    private int _disposed;
    private int _lostOnce;

    private AdvisoryLockSession(NpgsqlConnection connection, int lockNamespace, string key, TimeSpan heartbeat, Action<Exception?> onLost)
    {
        _connection = connection;
        _namespace = lockNamespace;
        Key = key;
        _heartbeat = heartbeat;
        _onLost = onLost;
    }

    /// <summary>The lock's second key, hashed with <c>hashtext</c>.</summary>
    public string Key { get; }

    /// <summary>Cancelled as soon as the holder can no longer be sure it holds the lock.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Takes the lock on a new connection of <paramref name="dataSource"/>; null (and the connection given back) when another
    /// session holds it. <paramref name="onLost"/> is called once, when the lock is lost (with the failure, if any).
    /// </summary>
    public static async Task<AdvisoryLockSession?> TryAcquireAsync(
        NpgsqlDataSource dataSource, int lockNamespace, string key, TimeSpan heartbeat, Action<Exception?> onLost, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(TryLock, connection);
            AddLockKey(command, lockNamespace, key);
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

        var session = new AdvisoryLockSession(connection, lockNamespace, key, heartbeat, onLost);
        session._heartbeatTask = Task.Run(session.HeartbeatAsync, CancellationToken.None);
        return session;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the locking session, alone (heartbeats and other work wait). Throws
    /// <see cref="OperationCanceledException"/> once the lock is lost; a database failure on the session loses it.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_lost.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The PostgreSQL advisory lock {Key} was lost.", _lost.Token);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lost.Token);
        await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            _lost.Token.ThrowIfCancellationRequested();
            return await work(_connection, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsSessionFailure(e) || _connection.State is not System.Data.ConnectionState.Open)
        {
            await LoseAsync(e).ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(Func<NpgsqlConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync<bool>(async (c, ct) =>
        {
            await work(c, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Gives the lock back (or, when unsure the session let go, makes the pool close its connection).</summary>
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
                // Given back explicitly: the connection returns to the pool, where its session would keep the lock.
                await using var unlock = new NpgsqlCommand(Unlock, _connection) { CommandTimeout = 5 };
                AddLockKey(unlock, _namespace, Key);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (IsSessionFailure(e))
            {
                // Not sure the session let go: make the pool close this connection instead of keeping it (and the lock).
                NpgsqlConnection.ClearPool(_connection);
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stop.Dispose();
        _gate.Dispose();
    }

    /// <summary>A failure of the database or of the way to it (as opposed to the work's own errors).</summary>
    private static bool IsSessionFailure(Exception e) => e is NpgsqlException or IOException or SocketException or TimeoutException;

    private static void AddLockKey(NpgsqlCommand command, int lockNamespace, string key)
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = lockNamespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
    }

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
                    AddLockKey(command, _namespace, Key);
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
        if (Interlocked.Exchange(ref _lostOnce, 1) == 0)
        {
            _onLost(cause);
            await _lost.CancelAsync().ConfigureAwait(false);
        }
    }
}
