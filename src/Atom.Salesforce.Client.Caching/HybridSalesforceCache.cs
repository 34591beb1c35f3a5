using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// <see cref="SalesforceCache"/> on <see cref="HybridCache"/>: its single flight (one factory run per key at a time, in this
/// process), its in-memory L1 and, when a distributed cache (Redis) is registered (<paramref name="shared"/>), its shared L2
/// and tag invalidation. Values
/// are kept boxed in a type HybridCache treats as immutable, so an in-memory hit returns the instance without reading JSON.
/// </summary>
internal sealed class HybridSalesforceCache(HybridCache cache, SerializerRegistry serializers, bool shared) : SalesforceCache
{
    public override ValueTask<T> GetOrCreateAsync<TState, T>(
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

        var local = shared && !options.LocalOnly ? options.LocalExpiration ?? options.Expiration : options.Expiration;
        var flags = options.LocalOnly ? HybridCacheEntryFlags.DisableDistributedCache : HybridCacheEntryFlags.None;
        if (local <= TimeSpan.Zero)
        {
            // Every read asks the shared level, where another instance's tag invalidation shows.
            flags |= HybridCacheEntryFlags.DisableLocalCache;
        }

        var entry = new HybridCacheEntryOptions
        {
            Expiration = options.Expiration,
            LocalCacheExpiration = local > TimeSpan.Zero ? local : null,
            Flags = flags,
        };
        return UnboxAsync(cache.GetOrCreateAsync(
            key, (State: state, Factory: factory), static async (s, ct) => new CacheBox<T>(await s.Factory(s.State, ct).ConfigureAwait(false)),
            entry, options.Tags.Count == 0 ? null : options.Tags, cancellationToken));
    }

    public override ValueTask InvalidateAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return cache.RemoveByTagAsync(tag, cancellationToken);
    }

    private static async ValueTask<T> UnboxAsync<T>(ValueTask<CacheBox<T>> boxed) => (await boxed.ConfigureAwait(false)).Value;
}

/// <summary>A cached value. Marked immutable so that HybridCache keeps the instance in memory instead of its JSON.</summary>
[ImmutableObject(true)]
internal sealed class CacheBox<T>(T value)
{
    public T Value { get; } = value;
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

    /// <summary>A value kept in memory only: HybridCache never needs to write it, and if it tried, it would fail loudly.</summary>
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

    private sealed class LocalOnlySerializer<T> : IHybridCacheSerializer<CacheBox<T>>
    {
        public CacheBox<T> Deserialize(ReadOnlySequence<byte> source) => throw NotSerializable();

        public void Serialize(CacheBox<T> value, IBufferWriter<byte> target) => throw NotSerializable();

        private static InvalidOperationException NotSerializable() =>
            new($"A cached {typeof(T).Name} is kept in this process only and is never serialized.");
    }

    /// <summary>Writes the boxed value as the JSON of <typeparamref name="T"/>, and reads it back.</summary>
    private sealed class BoxSerializer<T>(JsonTypeInfo<T> typeInfo) : IHybridCacheSerializer<CacheBox<T>>
    {
        public CacheBox<T> Deserialize(ReadOnlySequence<byte> source)
        {
            var reader = new Utf8JsonReader(source);
            return new CacheBox<T>(JsonSerializer.Deserialize(ref reader, typeInfo)!);
        }

        public void Serialize(CacheBox<T> value, IBufferWriter<byte> target)
        {
            using var writer = new Utf8JsonWriter(target);
            JsonSerializer.Serialize(writer, value.Value, typeInfo);
        }
    }
}
