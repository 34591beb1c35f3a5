using System.Collections.Concurrent;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Storage;
using Atom.Salesforce.Client.Postgres.Telemetry;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Atom.Salesforce.Client.Postgres.Usage;

/// <summary>
/// Counts API calls, bytes and errors per user and month, and token lookups per login, in memory; <see cref="FlushAsync"/>
/// writes them in one batch (one upsert row per user-month, one update row per login) and is called on a timer, at shutdown
/// and on dispose. Nothing touches the database on the request path. Counts that could not be written are kept for the next
/// batch; counts of users with no stored token (erased or revoked) are dropped by the database.
/// </summary>
internal sealed class PostgresUsageRecorder : ISalesforceUsageRecorder, IAsyncDisposable
{
    private static readonly Func<UsageKey, UsageCounter> NewUsageCounter = static _ => new UsageCounter();
    private static readonly Func<LoginKey, UsageCounter> NewLookupCounter = static _ => new UsageCounter();

    private readonly ConcurrentDictionary<UsageKey, UsageCounter> _usage = new();
    private readonly ConcurrentDictionary<LoginKey, UsageCounter> _lookups = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly TokenStoreDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public PostgresUsageRecorder(TokenStoreDataSource dataSource, TimeProvider timeProvider, ILogger<PostgresUsageRecorder> logger)
    {
        _dataSource = dataSource;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public void Record(string userId, long bytesTransferred, bool failed)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        var key = new UsageKey(userId, (now.Year * 12) + now.Month - 1);
        var bytes = Math.Max(bytesTransferred, 0);
        var errors = failed ? 1 : 0;
        while (!_usage.GetOrAdd(key, NewUsageCounter).TryAdd(1, bytes, errors))
        {
            // Retired by a flush between the lookup and the add: the next lookup finds (or makes) a fresh counter.
        }
    }

    /// <summary>
    /// Counts one lookup of the login row <paramref name="storedUsername"/> (as stored: '' for none) of
    /// <paramref name="userId"/>: its access_count and last_used_at.
    /// </summary>
    public void RecordLookup(string userId, string storedUsername)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        while (!_lookups.GetOrAdd(new LoginKey(userId, storedUsername), NewLookupCounter).TryAddAndRaise(1, now))
        {
        }
    }

    /// <summary>Drops the counts of <paramref name="userId"/> not yet written (the user is being erased).</summary>
    public void Forget(string userId)
    {
        foreach (var key in _usage.Keys)
        {
            if (string.Equals(key.UserId, userId, StringComparison.Ordinal) && _usage.TryRemove(key, out var counter))
            {
                counter.Retire();
            }
        }

        foreach (var key in _lookups.Keys)
        {
            if (string.Equals(key.UserId, userId, StringComparison.Ordinal) && _lookups.TryRemove(key, out var lookups))
            {
                lookups.Retire();
            }
        }
    }

    /// <summary>Writes every count so far in one round trip. On failure the counts are put back and the error is thrown.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var usage = Drain(_usage);
            var lookups = Drain(_lookups);
            if (usage.Count == 0 && lookups.Count == 0)
            {
                return;
            }

            try
            {
                await WriteAsync(usage, lookups, cancellationToken).ConfigureAwait(false);
                Log.UsageFlushed(_logger, usage.Count, lookups.Count);
            }
            catch (Exception e)
            {
                PutBack(usage, lookups);
                if (StoreErrors.IsDatabaseFailure(e))
                {
                    throw StoreErrors.Wrap(e, "write usage counters", _dataSource);
                }

                throw;
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SalesforceException or ObjectDisposedException)
        {
            Log.UsageFlushFailed(_logger, e);
        }
    }

    private static List<(TKey Key, long First, long Second, long Third)> Drain<TKey>(ConcurrentDictionary<TKey, UsageCounter> counters)
        where TKey : notnull
    {
        var drained = new List<(TKey, long, long, long)>();
        foreach (var key in counters.Keys)
        {
            if (counters.TryRemove(key, out var counter))
            {
                counter.Retire();
                if (counter.First != 0 || counter.Second != 0 || counter.Third != 0)
                {
                    drained.Add((key, counter.First, counter.Second, counter.Third));
                }
            }
        }

        return drained;
    }

    private void PutBack(List<(UsageKey Key, long First, long Second, long Third)> usage, List<(LoginKey Key, long First, long Second, long Third)> lookups)
    {
        foreach (var (key, calls, bytes, errors) in usage)
        {
            while (!_usage.GetOrAdd(key, NewUsageCounter).TryAdd(calls, bytes, errors))
            {
            }
        }

        foreach (var (key, count, lastUsed, _) in lookups)
        {
            while (!_lookups.GetOrAdd(key, NewLookupCounter).TryAddAndRaise(count, lastUsed))
            {
            }
        }
    }

    private async Task WriteAsync(
        List<(UsageKey Key, long First, long Second, long Third)> usage,
        List<(LoginKey Key, long First, long Second, long Third)> lookups,
        CancellationToken cancellationToken)
    {
        await using var batch = _dataSource.DataSource.CreateBatch();
        var now = _timeProvider.GetUtcNow();
        if (usage.Count > 0)
        {
            var command = new NpgsqlBatchCommand(StoreSql.UpsertUsage);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. usage.Select(u => u.Key.UserId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. usage.Select(u => MonthText(u.Key.Month))] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. usage.Select(u => u.First)] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. usage.Select(u => u.Second)] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. usage.Select(u => u.Third)] });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }

        if (lookups.Count > 0)
        {
            // Rows in key order, so that two instances flushing at once lock them in the same order.
            lookups.Sort(static (a, b) => a.Key.CompareTo(b.Key));
            var command = new NpgsqlBatchCommand(StoreSql.AddLookups);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. lookups.Select(l => l.Key.UserId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. lookups.Select(l => l.Key.Username)] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. lookups.Select(l => l.First)] });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>
            {
                TypedValue = [.. lookups.Select(l => DateTimeOffset.FromUnixTimeMilliseconds(l.Second))],
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
            });
            batch.BatchCommands.Add(command);
        }

        // A batch without an explicit transaction runs as one implicit transaction: all of it is written, or none.
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The documented <c>date_YYYYMM</c> of a month counted as <c>year * 12 + month - 1</c>: <c>YYYY-MM</c>.</summary>
    private static string MonthText(int month) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{month / 12:D4}-{(month % 12) + 1:D2}");

    private readonly record struct UsageKey(string UserId, int Month);

    /// <summary>One login row: the user and the username as stored ('' for none).</summary>
    private readonly record struct LoginKey(string UserId, string Username) : IComparable<LoginKey>
    {
        public int CompareTo(LoginKey other)
        {
            var byUser = string.CompareOrdinal(UserId, other.UserId);
            return byUser != 0 ? byUser : string.CompareOrdinal(Username, other.Username);
        }
    }
}
