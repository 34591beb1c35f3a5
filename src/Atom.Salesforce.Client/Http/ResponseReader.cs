using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// What a one-request operation makes of its response (<see cref="SalesforceConnection.RunAsync{T}(string, HttpRequestMessage, ResponseReader{T}, bool, string?, CancellationToken)"/>):
/// an answer it takes without a body (<see cref="TryAnswer"/>: a 304, a 204), then, for a success, the body as it arrived,
/// held in memory. Readers hold no per-call state, so one instance serves every call.
/// </summary>
internal abstract class ResponseReader<T>
{
    /// <summary>Whether the body is read at all (false: <see cref="Read"/> gets an empty body).</summary>
    public virtual bool ReadsBody => true;

    /// <summary>A response this reader answers before the status is checked (a 304 Not Modified, a 204), or false.</summary>
    public virtual bool TryAnswer(HttpResponseMessage response, out T value)
    {
        value = default!;
        return false;
    }

    /// <summary>The result of a success response whose whole body is <paramref name="body"/>.</summary>
    public abstract T Read(HttpResponseMessage response, ReadOnlySpan<byte> body);
}

/// <summary>A success with no body to read (an update, a delete: 204).</summary>
internal sealed class NoContentReader : ResponseReader<bool>
{
    public static readonly NoContentReader Instance = new();

    public override bool ReadsBody => false;

    public override bool Read(HttpResponseMessage response, ReadOnlySpan<byte> body) => true;
}

/// <summary>
/// A body read through System.Text.Json's metadata for <typeparamref name="T"/>. With <c>notModifiedIsNull</c>, a 304 (an
/// <c>If-Modified-Since</c> that matched) answers null.
/// </summary>
internal sealed class JsonResponseReader<T>(JsonTypeInfo<T> info, bool notModifiedIsNull) : ResponseReader<T>
{
    // The last reader made for T: the metadata is the serializer's, the same instance on every call of a client.
    private static JsonResponseReader<T>? s_last;
    private static JsonResponseReader<T>? s_lastNotModified;

    /// <summary>The reader for <paramref name="info"/>, reused while the metadata instance is the same.</summary>
    public static JsonResponseReader<T> For(JsonTypeInfo<T> info, bool notModifiedIsNull = false)
    {
        ref var slot = ref notModifiedIsNull ? ref s_lastNotModified : ref s_last;
        var last = Volatile.Read(ref slot);
        if (last is not null && ReferenceEquals(last._info, info))
        {
            return last;
        }

        var fresh = new JsonResponseReader<T>(info, notModifiedIsNull);
        Volatile.Write(ref slot, fresh);
        return fresh;
    }

    private readonly JsonTypeInfo<T> _info = info;

    public override bool TryAnswer(HttpResponseMessage response, out T value)
    {
        value = default!;
        return notModifiedIsNull && response.StatusCode == HttpStatusCode.NotModified;
    }

    public override T Read(HttpResponseMessage response, ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, _info) ?? throw new SalesforceException($"Salesforce returned an empty {typeof(T).Name} body.");
}
