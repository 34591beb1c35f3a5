using Atom.Salesforce.Client.Mirror.Telemetry;
using Atom.Salesforce.Client.Postgres.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>
/// The writer's hold on one mirror schema: a PostgreSQL session holding the advisory lock
/// <c>pg_try_advisory_lock(1397116242, hashtext('&lt;schema&gt;'))</c> (1397116242 is <c>'SFMR'</c>), through which every write
/// of the mirror goes, one at a time. PostgreSQL releases the lock when the session ends, so when the writer's process dies a
/// standby instance gets it at its next try; and since writes go through the locking session, a writer that lost its session
/// can never write again (its statements fail), so two writers never interleave. The lock, its heartbeat and the turn-taking
/// on its session are <see cref="AdvisoryLockSession"/>, shared with the change event lease of Atom.Salesforce.Client.Postgres
/// (the same source file, compiled into both packages).
/// </summary>
internal sealed class MirrorSession : IAsyncDisposable
{
    /// <summary>First key of the mirror's writer locks ('SFMR').</summary>
    public const int LockNamespace = 0x53464D52;

    private readonly AdvisoryLockSession _lock;

    private MirrorSession(AdvisoryLockSession held) => _lock = held;

    /// <summary>Cancelled as soon as the session may have lost the lock.</summary>
    public CancellationToken Lost => _lock.Lost;

    /// <summary>Takes the writer lock of <paramref name="schema"/>; null when another writer holds it.</summary>
    public static async Task<MirrorSession?> TryAcquireAsync(NpgsqlDataSource dataSource, string schema, TimeSpan heartbeat, ILogger logger, CancellationToken cancellationToken)
    {
        var held = await AdvisoryLockSession.TryAcquireAsync(
            dataSource, LockNamespace, schema, heartbeat, cause => MirrorLog.WriterLockLost(logger, schema, cause), cancellationToken).ConfigureAwait(false);
        return held is null ? null : new MirrorSession(held);
    }

    /// <summary>Runs work on the locking session, alone; a database failure there loses the lock.</summary>
    public Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) => _lock.RunAsync(work, cancellationToken);

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(Func<NpgsqlConnection, CancellationToken, Task> work, CancellationToken cancellationToken) => _lock.RunAsync(work, cancellationToken);

    public ValueTask DisposeAsync() => _lock.DisposeAsync();
}
