using System.Collections.Concurrent;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Models;
using StackExchange.Redis;

namespace Atom.Salesforce.Client.Redis;

/// <summary>
/// The API budget of each org in Redis, shared by every instance that uses the same Redis and key prefix. An org's budget is
/// one hash (<c>used</c>, <c>max</c> and one <c>lease:*</c> field per block of calls an instance holds) under
/// <c>{prefix}{org host}</c>. Each change is one Lua script, so two instances taking the last calls at once never both get
/// them. The key expires 24 hours after its last change (Salesforce's allocation is a rolling 24-hour window). Keys hold org
/// hosts only: never a token or a user.
/// </summary>
/// <remarks>
/// <para>
/// Calls are taken in blocks (<see cref="BlockSize"/>): one script takes up to that many calls from the shared budget at once
/// (counted as used there, so no other instance can take them), and this instance hands them out one by one in memory; a
/// block never goes past the reserve the call asked for, and near the end of the allocation blocks shrink (at most a
/// sixteenth of what is left) down to one call. Calls an instance did not use go back to the budget when its next block is
/// taken, after <see cref="IdleReturn"/> without a call, after <see cref="LeaseLifetime"/> at the latest, and when the
/// store is disposed. So the instances together never take more than the allocation; near its end a call may be refused
/// while another instance still holds a few unused calls, which come back within <see cref="IdleReturn"/>.
/// </para>
/// <para>
/// With <c>ApiGovernanceOptions.ShareConcurrencyLimits</c> the org's calls in flight across instances are a sorted set under
/// <c>{prefix}{org host}:calls</c> (random call id, scored by when it started); a call an instance never ended (it died)
/// stops counting <see cref="CallLifetime"/> after it started.
/// </para>
/// <para>
/// A <c>/limits</c> answer (exact) sets the calls used to Salesforce's count plus every block still held (they may be sent
/// after Salesforce counted); a block held by an instance that died stops counting <see cref="LeaseLifetime"/> after it was taken.
/// </para>
/// </remarks>
public sealed class RedisApiBudgetStore : IApiBudgetStore, IApiConcurrencyStore, IAsyncDisposable, IDisposable
{
    /// <summary>The default key prefix.</summary>
    public const string DefaultKeyPrefix = "atom-sf:api-budget:";

    /// <summary>The default <see cref="BlockSize"/>.</summary>
    public const int DefaultBlockSize = 100;

    // KEYS[1] the org's hash; ARGV[1] reserve in millionths, ARGV[2] expiry in seconds. Returns {granted, used, max}.
    private const string TakeScript = """
        local v = redis.call('HMGET', KEYS[1], 'used', 'max')
        local used = tonumber(v[1]) or 0
        local max = tonumber(v[2]) or 0
        if max > 0 then
          local reserve = math.floor((max * tonumber(ARGV[1]) + 999999) / 1000000)
          if used + 1 > max - reserve then
            return {0, used, max}
          end
        end
        used = redis.call('HINCRBY', KEYS[1], 'used', 1)
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        return {1, used, max}
        """;

    // KEYS[1] the org's hash; ARGV[1] reserve in millionths, ARGV[2] expiry in seconds, ARGV[3] calls wanted, ARGV[4] the new
    // block's id, ARGV[5] its lifetime in ms, ARGV[6] the previous block's id ('' for none), ARGV[7] its unused calls.
    // Gives the previous block's unused calls back, then takes up to ARGV[3]. Returns {calls taken, used, max}.
    private const string TakeBlockScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local v = redis.call('HMGET', KEYS[1], 'used', 'max')
        local used = tonumber(v[1]) or 0
        local max = tonumber(v[2]) or 0
        if ARGV[6] ~= '' then
          local old = redis.call('HGET', KEYS[1], 'lease:' .. ARGV[6])
          if old then
            local sep = string.find(old, ':', 1, true)
            if tonumber(string.sub(old, sep + 1)) > now then
              used = math.max(0, used - tonumber(ARGV[7]))
            end
            redis.call('HDEL', KEYS[1], 'lease:' .. ARGV[6])
          end
        end
        local n = 1
        if max > 0 then
          local left = max - math.floor((max * tonumber(ARGV[1]) + 999999) / 1000000) - used
          if left < 1 then
            redis.call('HSET', KEYS[1], 'used', used)
            redis.call('EXPIRE', KEYS[1], ARGV[2])
            return {0, used, max}
          end
          n = math.min(tonumber(ARGV[3]), math.max(1, math.floor(left / 16)))
        end
        used = used + n
        redis.call('HSET', KEYS[1], 'used', used, 'lease:' .. ARGV[4], n .. ':' .. (now + tonumber(ARGV[5])))
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        return {n, used, max}
        """;

    // KEYS[1] the org's hash; ARGV[1] the block's id, ARGV[2] its unused calls. Returns {used, max}.
    private const string ReturnScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local old = redis.call('HGET', KEYS[1], 'lease:' .. ARGV[1])
        if old then
          local sep = string.find(old, ':', 1, true)
          if tonumber(string.sub(old, sep + 1)) > now and tonumber(ARGV[2]) > 0 then
            local used = tonumber(redis.call('HGET', KEYS[1], 'used')) or 0
            redis.call('HSET', KEYS[1], 'used', math.max(0, used - tonumber(ARGV[2])))
          end
          redis.call('HDEL', KEYS[1], 'lease:' .. ARGV[1])
        end
        local v = redis.call('HMGET', KEYS[1], 'used', 'max')
        return {tonumber(v[1]) or 0, tonumber(v[2]) or 0}
        """;

    // KEYS[1] the org's hash; ARGV[1] used, ARGV[2] max, ARGV[3] 1 for exact, ARGV[4] expiry in seconds. Returns {used, max}.
    // Exact: Salesforce's count plus every block still held (expired ones are dropped); else only ever raised.
    private const string ObserveScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local used = tonumber(redis.call('HGET', KEYS[1], 'used')) or 0
        local reported = tonumber(ARGV[1])
        if ARGV[3] == '1' then
          local held = 0
          local all = redis.call('HGETALL', KEYS[1])
          for i = 1, #all, 2 do
            if string.sub(all[i], 1, 6) == 'lease:' then
              local sep = string.find(all[i + 1], ':', 1, true)
              if tonumber(string.sub(all[i + 1], sep + 1)) > now then
                held = held + tonumber(string.sub(all[i + 1], 1, sep - 1))
              else
                redis.call('HDEL', KEYS[1], all[i])
              end
            end
          end
          used = reported + held
        elseif reported > used then
          used = reported
        end
        redis.call('HSET', KEYS[1], 'used', used, 'max', ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return {used, tonumber(ARGV[2])}
        """;

    // KEYS[1] the org's calls in flight; ARGV[1] the call's id, ARGV[2] the most in flight, ARGV[3] the most long-running,
    // ARGV[4] the long-running threshold in ms, ARGV[5] the call lifetime in ms. Returns 1 when the call entered.
    private const string EnterScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[5]))
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
          return 0
        end
        if redis.call('ZCOUNT', KEYS[1], '-inf', now - tonumber(ARGV[4])) >= tonumber(ARGV[3]) then
          return 0
        end
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    private static readonly RedisValue Expiry = (long)TimeSpan.FromHours(24).TotalSeconds;
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _owned;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<(string Org, int Reserve), Block> _blocks = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private Task<IConnectionMultiplexer>? _connection;
    private ITimer? _sweeper;
    private int _disposed;

    /// <summary>
    /// Uses the application's Redis connection (which the application disposes), for example with
    /// <c>.AddApiBudgetStore(sp =&gt; new RedisApiBudgetStore(sp.GetRequiredService&lt;IConnectionMultiplexer&gt;(), RedisApiBudgetStore.DefaultKeyPrefix))</c>.
    /// </summary>
    /// <param name="redis">The connection.</param>
    /// <param name="keyPrefix">Put before each org host in the key; instances share a budget when they share the prefix.</param>
    public RedisApiBudgetStore(IConnectionMultiplexer redis, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _connection = Task.FromResult(redis);
        _connect = () => Task.FromResult(redis);
        _prefix = keyPrefix;
    }

    /// <summary>Connects to Redis on first use with a StackExchange.Redis configuration string (for example <c>redis:6379</c>).</summary>
    /// <param name="configuration">The StackExchange.Redis configuration string.</param>
    /// <param name="keyPrefix">Put before each org host in the key; instances share a budget when they share the prefix.</param>
    public RedisApiBudgetStore(string configuration, string keyPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _connect = async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        _owned = true;
        _prefix = keyPrefix;
    }

    /// <summary>
    /// The most calls taken from Redis at once and handed out from this instance's memory (see the remarks). 1 takes every
    /// call with its own script (one Redis round trip per call). Default <see cref="DefaultBlockSize"/> (100): about one
    /// round trip per 100 calls.
    /// </summary>
    public int BlockSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100_000);
            field = value;
        }
    } = DefaultBlockSize;

    /// <summary>Unused calls of a block go back to the budget once no call has taken one for this long. Default 1 s.</summary>
    public TimeSpan IdleReturn
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a block counts as held in Redis (an instance that dies holding one stops holding it then). The instance uses a
    /// block for at most half of it. Default 60 s.
    /// </summary>
    public TimeSpan LeaseLifetime
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(2));
            field = value;
        }
    } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a call in flight counts among the org's shared calls at most (see <c>ApiGovernanceOptions.ShareConcurrencyLimits</c>):
    /// the slot of an instance that died holding it frees then. Longer than any call (the attempt timeout). Default 10 minutes.
    /// </summary>
    public TimeSpan CallLifetime
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            field = value;
        }
    } = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public async ValueTask<bool> TryEnterAsync(
        string org, string callId, int maxInFlight, int maxLongRunning, TimeSpan longRunningThreshold, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLongRunning, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(longRunningThreshold, TimeSpan.Zero);
        var database = await DatabaseAsync().ConfigureAwait(false);
        var entered = await database.ScriptEvaluateAsync(
            EnterScript,
            [CallsKey(org)],
            [callId, maxInFlight, maxLongRunning, (long)Math.Ceiling(longRunningThreshold.TotalMilliseconds), (long)CallLifetime.TotalMilliseconds]).ConfigureAwait(false);
        return (long)entered == 1;
    }

    /// <inheritdoc />
    public async ValueTask LeaveAsync(string org, string callId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var database = await DatabaseAsync().ConfigureAwait(false);
        await database.SortedSetRemoveAsync(CallsKey(org), callId).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ApiBudgetTake> TryTakeAsync(string org, int reservePartsPerMillion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        ArgumentOutOfRangeException.ThrowIfNegative(reservePartsPerMillion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reservePartsPerMillion, 1_000_000);
        if (BlockSize == 1)
        {
            return TakeOneAsync(org, reservePartsPerMillion);
        }

        var block = _blocks.GetOrAdd((org, reservePartsPerMillion), static _ => new Block());
        var now = _time.GetTimestamp();
        lock (block)
        {
            if (block.Left > 0 && now < block.UsableUntil)
            {
                block.Left--;
                block.LastUse = now;
                return new(new ApiBudgetTake(true, block.Used, block.Max));
            }
        }

        return TakeFromNewBlockAsync(org, reservePartsPerMillion, block, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ApiUsage> ObserveAsync(string org, ApiUsage usage, bool exact, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        var database = await DatabaseAsync().ConfigureAwait(false);
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            ObserveScript, [Key(org)], [usage.Used, usage.Max, exact ? 1 : 0, Expiry]).ConfigureAwait(false))!;
        return new ApiUsage((long)result[0], (long)result[1]);
    }

    /// <summary>Gives every unused call of the blocks this instance holds back to the budget now.</summary>
    /// <param name="cancellationToken">Cancels the wait (calls already given back stay given back).</param>
    public async Task ReturnUnusedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (key, block) in _blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ReturnAsync(key.Org, block, force: true).ConfigureAwait(false);
        }
    }

    /// <summary>Gives unused calls back, then closes the connection when the store opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _sweeper?.Dispose();
        try
        {
            await ReturnUnusedAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The blocks stop counting LeaseLifetime after they were taken.
        }

        if (_owned && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Gives unused calls back and closes the connection when the store opened it (a container disposed synchronously calls this).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask<ApiBudgetTake> TakeOneAsync(string org, int reservePartsPerMillion)
    {
        var database = await DatabaseAsync().ConfigureAwait(false);
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(TakeScript, [Key(org)], [reservePartsPerMillion, Expiry]).ConfigureAwait(false))!;
        return new ApiBudgetTake((long)result[0] == 1, (long)result[1], (long)result[2]);
    }

    /// <summary>One caller at a time per block takes the next one (giving the old one's unused calls back); the others wait and share it.</summary>
    private async ValueTask<ApiBudgetTake> TakeFromNewBlockAsync(string org, int reserve, Block block, CancellationToken cancellationToken)
    {
        await block.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? previous;
            long unused;
            var now = _time.GetTimestamp();
            lock (block)
            {
                if (block.Left > 0 && now < block.UsableUntil)
                {
                    block.Left--;
                    block.LastUse = now;
                    return new ApiBudgetTake(true, block.Used, block.Max);
                }

                (previous, unused) = (block.Id, block.Left);
                (block.Id, block.Left) = (null, 0);
            }

            var id = Guid.NewGuid().ToString("N");
            var database = await DatabaseAsync().ConfigureAwait(false);
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                TakeBlockScript,
                [Key(org)],
                [reserve, Expiry, BlockSize, id, (long)LeaseLifetime.TotalMilliseconds, previous ?? string.Empty, unused]).ConfigureAwait(false))!;
            var (taken, used, max) = ((long)result[0], (long)result[1], (long)result[2]);
            EnsureSweeper();
            lock (block)
            {
                block.Used = used;
                block.Max = max;
                if (taken == 0)
                {
                    return new ApiBudgetTake(false, used, max);
                }

                block.Id = id;
                block.Left = taken - 1;
                block.LastUse = _time.GetTimestamp();
                block.UsableUntil = block.LastUse + (long)(LeaseLifetime.TotalSeconds / 2 * _time.TimestampFrequency);
                return new ApiBudgetTake(true, used, max);
            }
        }
        finally
        {
            block.Gate.Release();
        }
    }

    /// <summary>Gives a block's unused calls back when it is idle, past its use, or <paramref name="force"/>d.</summary>
    private async Task ReturnAsync(string org, Block block, bool force)
    {
        if (!await block.Gate.WaitAsync(force ? Timeout.InfiniteTimeSpan : TimeSpan.Zero).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            string? id;
            long unused;
            var now = _time.GetTimestamp();
            lock (block)
            {
                if (block.Id is null || (!force && _time.GetElapsedTime(block.LastUse, now) < IdleReturn && now < block.UsableUntil))
                {
                    return;
                }

                (id, unused) = (block.Id, block.Left);
                (block.Id, block.Left) = (null, 0);
            }

            var database = await DatabaseAsync().ConfigureAwait(false);
            await database.ScriptEvaluateAsync(ReturnScript, [Key(org)], [id, unused]).ConfigureAwait(false);
        }
        finally
        {
            block.Gate.Release();
        }
    }

    private void EnsureSweeper()
    {
        if (Volatile.Read(ref _sweeper) is null)
        {
            var period = IdleReturn < TimeSpan.FromSeconds(1) ? IdleReturn : TimeSpan.FromSeconds(1);
            var timer = _time.CreateTimer(static state => ((RedisApiBudgetStore)state!).Sweep(), this, period, period);
            if (Interlocked.CompareExchange(ref _sweeper, timer, null) is not null || Volatile.Read(ref _disposed) != 0)
            {
                timer.Dispose();
            }
        }
    }

    private void Sweep()
    {
        foreach (var (key, block) in _blocks)
        {
            _ = SweepOneAsync(key.Org, block);
        }
    }

    private async Task SweepOneAsync(string org, Block block)
    {
        try
        {
            await ReturnAsync(org, block, force: false).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Tried again at the next sweep; the block stops counting LeaseLifetime after it was taken.
        }
    }

    private RedisKey Key(string org) => _prefix + org;

    private RedisKey CallsKey(string org) => _prefix + org + ":calls";

    private async Task<IDatabase> DatabaseAsync()
    {
        var connecting = Volatile.Read(ref _connection);
        if (connecting is null || connecting.IsFaulted)
        {
            var fresh = _connect();
            connecting = Interlocked.CompareExchange(ref _connection, fresh, connecting) == connecting ? fresh : _connection!;
        }

        return (await connecting.ConfigureAwait(false)).GetDatabase();
    }

    /// <summary>The block of calls this instance holds for one org and reserve.</summary>
    private sealed class Block : IDisposable
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public string? Id;
        public long Left;
        public long LastUse;
        public long UsableUntil;
        public long Used;
        public long Max;

        public void Dispose() => Gate.Dispose();
    }
}
