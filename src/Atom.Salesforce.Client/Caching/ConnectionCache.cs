using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// One <see cref="SalesforceClient"/>'s view of the cache: builds its keys and tags (org id, API version, a hash of the user,
/// and for queries a hash of the exact SOQL), counts hits and misses, and invalidates on writes. A key never holds a token:
/// the org part is the org id from the token's identity URL (or the instance host), read once per client.
/// </summary>
internal sealed class ConnectionCache(
    CacheBinding binding, string userId, string? username, string version, SalesforceTelemetry telemetry, ILogger logger)
{
    private string? _org;
    private string? _userHash;

    public SalesforceCacheOptions Options => binding.Options;

    public SalesforceCache Cache => binding.Cache;

    /// <summary>
    /// The cached value of <paramref name="keyTail"/> (under the org, version and, when <paramref name="perUser"/>, the user), or
    /// <paramref name="factory"/>'s; straight from <paramref name="factory"/> when <paramref name="duration"/> is not positive
    /// or the user has no token yet (the call then fails as it would uncached).
    /// </summary>
    public async ValueTask<T> GetOrCreateAsync<TState, T>(
        string kind,
        string keyTail,
        bool perUser,
        TimeSpan duration,
        Func<string, IReadOnlyList<string>> tags,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken,
        TimeSpan? localDuration = null)
    {
        var org = duration > TimeSpan.Zero ? await OrgAsync(cancellationToken).ConfigureAwait(false) : null;
        if (org is null)
        {
            return await factory(state, cancellationToken).ConfigureAwait(false);
        }

        var prefix = Options.KeyPrefix;
        var key = perUser
            ? $"{prefix}:{org}:{version}:u:{UserHash()}:{keyTail}"
            : $"{prefix}:{org}:{version}:{keyTail}";
        var flight = new Flight<TState, T>(state, factory);
        var entry = new SalesforceCacheEntryOptions
        {
            Expiration = duration,
            LocalExpiration = localDuration < duration ? localDuration : null,
            Tags = tags($"{prefix}:{org}"),
            Kind = kind,
        };
        var value = await binding.Cache.GetOrCreateAsync(key, flight, static (f, ct) => f.RunAsync(ct), entry, typeInfo, cancellationToken)
            .ConfigureAwait(false);
        telemetry.RecordCacheRequest(kind, hit: !flight.Ran);
        return value;
    }

    /// <summary>
    /// A value Salesforce can revalidate (describe, describeGlobal): from the cache while younger than
    /// <paramref name="duration"/>; once older (and still kept, up to <paramref name="retention"/>), <paramref name="fetch"/> is
    /// called with the time the value was read as If-Modified-Since, and a null answer (304 Not Modified) keeps the value for
    /// another <paramref name="duration"/>. Concurrent readers of a missing value share one call, and so do those of an expired
    /// one (in this process; with a shared level, the revalidated value is written back there for the other instances).
    /// <paramref name="fetch"/> reads the value; given a time, conditionally (null when not modified since then).
    /// </summary>
    public async ValueTask<T> GetOrRevalidateAsync<TState, T>(
        string kind,
        string keyTail,
        TimeSpan duration,
        TimeSpan retention,
        Func<string, IReadOnlyList<string>> tags,
        TState state,
        Func<TState, DateTimeOffset?, CancellationToken, Task<T?>> fetch,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken)
        where T : class
    {
        var org = duration > TimeSpan.Zero ? await OrgAsync(cancellationToken).ConfigureAwait(false) : null;
        if (org is null)
        {
            return await FetchAsync(fetch, state, null, cancellationToken).ConfigureAwait(false);
        }

        var prefix = Options.KeyPrefix;
        var key = $"{prefix}:{org}:{version}:u:{UserHash()}:{keyTail}";
        var keep = retention > duration ? retention : duration;
        var entry = new SalesforceCacheEntryOptions
        {
            Expiration = keep,
            // With a shared level, another instance's revalidation shows there once this instance's copy is due.
            LocalExpiration = keep > duration ? duration : null,
            Tags = tags($"{prefix}:{org}"),
            Kind = kind,
        };
        var info = Validated<T>.TypeInfo(typeInfo);
        var time = binding.Time;
        var flight = new Flight<(TState State, Func<TState, DateTimeOffset?, CancellationToken, Task<T?>> Fetch, TimeProvider Time), Validated<T>>(
            (state, fetch, time),
            static async (s, ct) =>
            {
                var sent = s.Time.GetUtcNow();
                return new Validated<T>(await FetchAsync(s.Fetch, s.State, null, ct).ConfigureAwait(false), sent);
            });
        var cached = await binding.Cache.GetOrCreateAsync(key, flight, static (f, ct) => f.RunAsync(ct), entry, info, cancellationToken)
            .ConfigureAwait(false);
        if (flight.Ran || time.GetUtcNow() - cached.ValidatedAt < duration)
        {
            telemetry.RecordCacheRequest(kind, hit: !flight.Ran);
            return cached.Value;
        }

        // Expired: one conditional call per expired value (the key names the value's time), whatever the number of readers.
        var check = new Flight<Revalidation<TState, T>, Validated<T>>(
            new Revalidation<TState, T>(binding.Cache, key, cached, conditional: retention > duration, state, fetch, time, entry, info),
            static (r, ct) => r.RunAsync(ct));
        var checkEntry = new SalesforceCacheEntryOptions { Expiration = duration, LocalOnly = true, Kind = kind, Tags = entry.Tags };
        var revalidated = await binding.Cache.GetOrCreateAsync(
            $"{key}:revalidate:{cached.ValidatedAt.UtcTicks}", check, static (f, ct) => f.RunAsync(ct), checkEntry, typeInfo: null, cancellationToken)
            .ConfigureAwait(false);
        telemetry.RecordCacheRequest(kind, check.Ran ? "revalidated" : "hit");
        return revalidated.Value;
    }

    private static async Task<T> FetchAsync<TState, T>(
        Func<TState, DateTimeOffset?, CancellationToken, Task<T?>> fetch, TState state, DateTimeOffset? since, CancellationToken cancellationToken)
        where T : class =>
        await fetch(state, since, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("Salesforce answered 304 Not Modified to a request that was not conditional.");

    /// <summary>
    /// After a write: drops the cached queries of <paramref name="sObjectType"/>, or every cached query of the org when the
    /// written types are not known (composite requests, deletes by id). Never fails the write it follows.
    /// </summary>
    public async Task InvalidateAsync(string? sObjectType)
    {
        try
        {
            var org = await OrgAsync(CancellationToken.None).ConfigureAwait(false);
            if (org is null)
            {
                return;
            }

            var prefix = Options.KeyPrefix;
            var tag = sObjectType is null ? QueriesTag(prefix, org) : ObjectTag(prefix, org, sObjectType);
            await binding.Cache.InvalidateAsync(tag).ConfigureAwait(false);
            telemetry.RecordCacheInvalidation(sObjectType is null ? "org" : "object");
        }
#pragma warning disable CA1031 // The write succeeded; a cache that cannot be reached only leaves entries to expire.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CacheInvalidationFailed(logger, sObjectType ?? "(all queries)", e);
        }
    }

    public static string ObjectTag(string orgPrefix, string sObjectType) => $"{orgPrefix}:obj:{sObjectType.ToLowerInvariant()}";

    public static string ObjectTag(string prefix, string org, string sObjectType) => ObjectTag($"{prefix}:{org}", sObjectType);

    public static string QueriesTag(string orgPrefix) => $"{orgPrefix}:queries";

    public static string QueriesTag(string prefix, string org) => QueriesTag($"{prefix}:{org}");

    public static string DescribeTag(string orgPrefix) => $"{orgPrefix}:describe";

    /// <summary>The SHA-256 of <paramref name="text"/>, as 32 lowercase hex digits (128 bits).</summary>
    public static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Convert.ToHexString(digest[..16]).ToLowerInvariant();
    }

    private string UserHash() => _userHash ??= Hash(userId + "\n" + username);

    private async ValueTask<string?> OrgAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _org) is { } known)
        {
            return known;
        }

        var org = await binding.OrgOfAsync(userId, username, cancellationToken).ConfigureAwait(false);
        if (org is not null)
        {
            Volatile.Write(ref _org, org);
        }

        return org;
    }

    /// <summary>One (conditional) read of an expired value; the value it confirms or replaces is written back under its key.</summary>
    private sealed class Revalidation<TState, T>(
        SalesforceCache cache,
        string key,
        Validated<T> expired,
        bool conditional,
        TState state,
        Func<TState, DateTimeOffset?, CancellationToken, Task<T?>> fetch,
        TimeProvider time,
        SalesforceCacheEntryOptions entry,
        JsonTypeInfo<Validated<T>> info)
        where T : class
    {
        public async ValueTask<Validated<T>> RunAsync(CancellationToken cancellationToken)
        {
            var sent = time.GetUtcNow();
            // Without a retention beyond the duration, an expired value is read again in full.
            var changed = conditional
                ? await fetch(state, expired.ValidatedAt, cancellationToken).ConfigureAwait(false)
                : await FetchAsync(fetch, state, null, cancellationToken).ConfigureAwait(false);
            var fresh = new Validated<T>(changed ?? expired.Value, sent);
            try
            {
                await cache.TrySetAsync(key, fresh, entry, info, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The value is good; a cache that cannot store it only means another revalidation later.
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
            }

            return fresh;
        }
    }

    /// <summary>The factory of one caller, and whether it ran (a miss) or another caller's value or a stored one came back (a hit).</summary>
    private sealed class Flight<TState, T>(TState state, Func<TState, CancellationToken, ValueTask<T>> factory)
    {
        public bool Ran { get; private set; }

        public ValueTask<T> RunAsync(CancellationToken cancellationToken)
        {
            Ran = true;
            return factory(state, cancellationToken);
        }
    }
}
