using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Models;
using StackExchange.Redis;

namespace Atom.Salesforce.Client.Redis;

/// <summary>
/// The API budget of each org in Redis, shared by every instance that uses the same Redis and key prefix. An org's budget is
/// one hash (<c>used</c>, <c>max</c>) under <c>{prefix}{org host}</c>; taking a call and recording Salesforce's report are each
/// one Lua script, so that two instances taking the last call at once never both get it. The key expires 24 hours after its
/// last change (Salesforce's allocation is a rolling 24-hour window). Keys hold org hosts only: never a token or a user.
/// </summary>
public sealed class RedisApiBudgetStore : IApiBudgetStore, IAsyncDisposable, IDisposable
{
    /// <summary>The default key prefix.</summary>
    public const string DefaultKeyPrefix = "atom-sf:api-budget:";

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

    // KEYS[1] the org's hash; ARGV[1] used, ARGV[2] max, ARGV[3] 1 for exact, ARGV[4] expiry in seconds. Returns {used, max}.
    private const string ObserveScript = """
        local used = tonumber(redis.call('HGET', KEYS[1], 'used')) or 0
        local reported = tonumber(ARGV[1])
        if ARGV[3] == '1' or reported > used then
          used = reported
        end
        redis.call('HSET', KEYS[1], 'used', used, 'max', ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return {used, tonumber(ARGV[2])}
        """;

    private static readonly RedisValue Expiry = (long)TimeSpan.FromHours(24).TotalSeconds;
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _owned;
    private readonly string _prefix;
    private Task<IConnectionMultiplexer>? _connection;

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

    /// <inheritdoc />
    public async ValueTask<ApiBudgetTake> TryTakeAsync(string org, int reservePartsPerMillion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(org);
        ArgumentOutOfRangeException.ThrowIfNegative(reservePartsPerMillion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reservePartsPerMillion, 1_000_000);
        var database = await DatabaseAsync().ConfigureAwait(false);
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(TakeScript, [Key(org)], [reservePartsPerMillion, Expiry]).ConfigureAwait(false))!;
        return new ApiBudgetTake((long)result[0] == 1, (long)result[1], (long)result[2]);
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

    /// <summary>Closes the connection when the store opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_owned && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the connection when the store opened it (a container disposed synchronously calls this).</summary>
    public void Dispose()
    {
        if (_owned && _connection is { IsCompletedSuccessfully: true } connection)
        {
            connection.Result.Dispose();
        }
    }

    private RedisKey Key(string org) => _prefix + org;

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
}
