using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// <see cref="SalesforceCache"/> on <see cref="HybridCache"/>: its single flight (one factory run per key at a time, in this
/// process), its in-memory L1 and, when a distributed cache (Redis) is registered (<paramref name="shared"/>), its shared L2.
/// Values are kept boxed in a type HybridCache treats as immutable, so an in-memory hit returns the instance without reading
/// JSON. HybridCache's tag invalidation reaches this process at once; another process learns a tag's invalidation time only
/// the first time it meets the tag, so with a shared level an invalidation is also written as a stamp of its own
/// (<c>{tag}:invalidated</c>), read on each hit of a tagged value that is not kept in memory (cached queries, by default): a
/// value made before its tag's stamp is made again.
/// </summary>
internal sealed class HybridSalesforceCache(
    HybridCache cache, SerializerRegistry serializers, IDistributedCache? shared, TimeProvider time) : SalesforceCache
{
    /// <summary>Clock skew between instances tolerated: a value made up to this long after an invalidation is made again too.</summary>
    private static readonly TimeSpan SkewMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a stamp is kept: longer than any value (SalesforceCacheOptions allows at most one day).</summary>
    private static readonly DistributedCacheEntryOptions StampLifetime = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(2) };

    public override async ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        SalesforceCacheEntryOptions options,
        JsonTypeInfo<T>? typeInfo,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        var (entry, tags) = Entry<T>(options, typeInfo);
        var distributed = shared is not null && !options.LocalOnly;
        var local = entry.LocalCacheExpiration ?? TimeSpan.Zero;
        var made = new StrongBox<bool>();
        var box = await GetAsync(key, state, factory, entry, tags, made, cancellationToken).ConfigureAwait(false);
        // Only a value read from the shared level every time (no local copy) is checked: one kept in memory is answered from
        // memory, and an invalidation elsewhere reaches it when it expires.
        if (!made.Value && distributed && tags is not null && local <= TimeSpan.Zero
            && await InvalidatedAfterAsync(tags, box.CreatedAt, cancellationToken).ConfigureAwait(false))
        {
            await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            box = await GetAsync(key, state, factory, entry, tags, made, cancellationToken).ConfigureAwait(false);
        }

        return box.Value;
    }

    public override async ValueTask<bool> TrySetAsync<T>(
        string key, T value, SalesforceCacheEntryOptions options, JsonTypeInfo<T>? typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(options);
        var (entry, tags) = Entry<T>(options, typeInfo);
        await cache.SetAsync(key, new CacheBox<T>(value, time.GetUtcNow()), entry, tags, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override async ValueTask InvalidateAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        await cache.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        if (shared is not null)
        {
            var stamp = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(stamp, time.GetUtcNow().UtcTicks);
            await shared.SetAsync(StampKey(tag), stamp, StampLifetime, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>HybridCache's entry options and tags for <paramref name="options"/>; registers the value's serializer.</summary>
    private (HybridCacheEntryOptions Entry, IReadOnlyList<string>? Tags) Entry<T>(SalesforceCacheEntryOptions options, JsonTypeInfo<T>? typeInfo)
    {
        if (typeInfo is not null)
        {
            serializers.Register(typeInfo);
        }
        else if (options.LocalOnly)
        {
            serializers.RegisterLocalOnly<T>();
        }
        else
        {
            throw new ArgumentNullException(nameof(typeInfo), "A value that may reach a distributed cache needs its JSON metadata.");
        }

        var distributed = shared is not null && !options.LocalOnly;
        var local = distributed ? options.LocalExpiration ?? options.Expiration : options.Expiration;
        var flags = options.LocalOnly ? HybridCacheEntryFlags.DisableDistributedCache : HybridCacheEntryFlags.None;
        if (local <= TimeSpan.Zero)
        {
            // Every read asks the shared level, where another instance's invalidation shows.
            flags |= HybridCacheEntryFlags.DisableLocalCache;
        }

        var entry = new HybridCacheEntryOptions
        {
            Expiration = options.Expiration,
            LocalCacheExpiration = local > TimeSpan.Zero ? local : null,
            Flags = flags,
        };
        return (entry, options.Tags.Count == 0 ? null : options.Tags);
    }

    private static string StampKey(string tag) => tag + ":invalidated";

    private ValueTask<CacheBox<T>> GetAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions entry,
        IReadOnlyList<string>? tags, StrongBox<bool> made, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            key, (State: state, Factory: factory, Made: made, Time: time),
            static async (s, ct) =>
            {
                s.Made.Value = true;
                var createdAt = s.Time.GetUtcNow();
                return new CacheBox<T>(await s.Factory(s.State, ct).ConfigureAwait(false), createdAt);
            },
            entry, tags, cancellationToken);

    private async ValueTask<bool> InvalidatedAfterAsync(IReadOnlyList<string> tags, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
        {
            var stamp = await shared!.GetAsync(StampKey(tag), cancellationToken).ConfigureAwait(false);
            if (stamp is { Length: 8 } && createdAt < new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(stamp), TimeSpan.Zero) + SkewMargin)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A cached value. Marked immutable so that HybridCache keeps the instance in memory instead of its JSON.</summary>
[ImmutableObject(true)]
internal sealed class CacheBox<T>(T value, DateTimeOffset createdAt)
{
    public T Value { get; } = value;

    /// <summary>When the factory started making the value (an invalidation after it makes the value stale).</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;
}

/// <summary>
/// The serializers of the values the SDK caches: System.Text.Json with the source-generated metadata each call passes, so
/// nothing is serialized by reflection (trimming and NativeAOT safe). Registered with HybridCache as a serializer factory.
/// </summary>
internal sealed class SerializerRegistry : IHybridCacheSerializerFactory
{
    private readonly ConcurrentDictionary<Type, object> _serializers = new();

    public void Register<T>(JsonTypeInfo<T> typeInfo)
    {
        if (!_serializers.ContainsKey(typeof(CacheBox<T>)))
        {
            _serializers.TryAdd(typeof(CacheBox<T>), new BoxSerializer<T>(typeInfo));
        }
    }

    /// <summary>A value kept in memory only (<see cref="SalesforceCacheEntryOptions.LocalOnly"/>): never written to the distributed cache.</summary>
    public void RegisterLocalOnly<T>()
    {
        if (!_serializers.ContainsKey(typeof(CacheBox<T>)))
        {
            _serializers.TryAdd(typeof(CacheBox<T>), new LocalOnlySerializer<T>());
        }
    }

    public bool TryCreateSerializer<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = _serializers.TryGetValue(typeof(T), out var found) ? found as IHybridCacheSerializer<T> : null;
        return serializer is not null;
    }

    /// <remarks>
    /// HybridCache serializes every value it keeps, even one kept in memory only and even an immutable one: it takes the
    /// byte count as the entry's size for a memory cache with a <c>SizeLimit</c>. Throwing there failed every call (HybridCache
    /// does not catch a serializer's exception), which is why the endpoint pack's trained models once answered 500. So
    /// <see cref="Serialize"/> writes nothing (the entry's size is zero) and only <see cref="Deserialize"/>, which a value
    /// that never reaches the distributed cache never meets, throws.
    /// </remarks>
    private sealed class LocalOnlySerializer<T> : IHybridCacheSerializer<CacheBox<T>>
    {
        public CacheBox<T> Deserialize(ReadOnlySequence<byte> source) => throw NotSerializable();

        public void Serialize(CacheBox<T> value, IBufferWriter<byte> target)
        {
        }

        private static InvalidOperationException NotSerializable() =>
            new($"A cached {typeof(T).Name} is kept in this process only and is never serialized.");
    }

    /// <summary>Writes the boxed value as the JSON of <typeparamref name="T"/>, and reads it back.</summary>
    private sealed class BoxSerializer<T>(JsonTypeInfo<T> typeInfo) : IHybridCacheSerializer<CacheBox<T>>
    {
        // Eight bytes of creation time (UTC ticks, little-endian), then the value's JSON.
        public CacheBox<T> Deserialize(ReadOnlySequence<byte> source)
        {
            Span<byte> ticks = stackalloc byte[8];
            source.Slice(0, 8).CopyTo(ticks);
            var reader = new Utf8JsonReader(source.Slice(8));
            return new CacheBox<T>(
                JsonSerializer.Deserialize(ref reader, typeInfo)!, new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(ticks), TimeSpan.Zero));
        }

        public void Serialize(CacheBox<T> value, IBufferWriter<byte> target)
        {
            BinaryPrimitives.WriteInt64LittleEndian(target.GetSpan(8), value.CreatedAt.UtcTicks);
            target.Advance(8);
            using var writer = new Utf8JsonWriter(target);
            JsonSerializer.Serialize(writer, value.Value, typeInfo);
        }
    }
}
