using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Atom.Salesforce.Client.Caching;

/// <summary>
/// A cached value that can be revalidated (a describe): the value and when Salesforce last confirmed it, the time sent as
/// If-Modified-Since once the value's duration has passed. Immutable: a revalidation makes a new one.
/// </summary>
internal sealed class Validated<T>(T value, DateTimeOffset validatedAt)
    where T : class
{
    public T Value { get; } = value;

    /// <summary>When the request that read or confirmed the value was sent (a change after it shows at the next revalidation).</summary>
    public DateTimeOffset ValidatedAt { get; } = validatedAt;

    /// <summary>
    /// The JSON metadata of <see cref="Validated{T}"/> over <paramref name="value"/>'s (source-generated, so trimming and
    /// NativeAOT safe): <c>{"at":ticks,"value":...}</c>. Made once per value type.
    /// </summary>
    public static JsonTypeInfo<Validated<T>> TypeInfo(JsonTypeInfo<T> value) => Cached.For(value);

    private static class Cached
    {
        private static JsonTypeInfo<Validated<T>>? _info;

        public static JsonTypeInfo<Validated<T>> For(JsonTypeInfo<T> value)
        {
            var info = Volatile.Read(ref _info);
            if (info is null || !ReferenceEquals(((Converter)info.Converter).Value, value))
            {
                info = JsonMetadataServices.CreateValueInfo<Validated<T>>(new JsonSerializerOptions(value.Options), new Converter(value));
                Volatile.Write(ref _info, info);
            }

            return info;
        }
    }

    private sealed class Converter(JsonTypeInfo<T> value) : JsonConverter<Validated<T>>
    {
        public JsonTypeInfo<T> Value { get; } = value;

        public override Validated<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            long? at = null;
            T? read = null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A cached value is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("at"u8))
                {
                    reader.Read();
                    at = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    read = JsonSerializer.Deserialize(ref reader, Value);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return at is { } ticks && read is not null
                ? new Validated<T>(read, new DateTimeOffset(ticks, TimeSpan.Zero))
                : throw new JsonException("A cached value lacks its time or its value.");
        }

        public override void Write(Utf8JsonWriter writer, Validated<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("at"u8, value.ValidatedAt.UtcTicks);
            writer.WritePropertyName("value"u8);
            JsonSerializer.Serialize(writer, value.Value, Value);
            writer.WriteEndObject();
        }
    }
}
