using System.Text.Json;

namespace Atom.Salesforce.Emulator.Apex;

/// <summary>What an Apex REST handler answers: what Apex returns or sets on <c>RestContext.response</c>.</summary>
public sealed class ApexRestResponse
{
    /// <summary>The HTTP status; 200 by default, as for an Apex method that returns normally.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The body; empty by default, as for a <c>void</c> Apex method.</summary>
    public ReadOnlyMemory<byte> ResponseBody { get; init; }

    /// <summary>The body's content type; <c>application/json;charset=UTF-8</c> when null and the body is not empty.</summary>
    public string? ContentType { get; init; }

    /// <summary>Extra response headers (<c>RestContext.response.addHeader</c>).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The answer of an Apex method that returns <paramref name="value"/>: its JSON serialization.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value returned.</param>
    /// <param name="statusCode">The HTTP status; 200 by default.</param>
    /// <returns>A JSON response.</returns>
    public static ApexRestResponse Json<T>(T value, int statusCode = 200) =>
        new() { StatusCode = statusCode, ResponseBody = JsonSerializer.SerializeToUtf8Bytes(value, ApexJson.Options) };

    /// <summary>The answer of a <c>void</c> Apex method: no body.</summary>
    /// <param name="statusCode">The HTTP status; 200 by default.</param>
    /// <returns>An empty response.</returns>
    public static ApexRestResponse Empty(int statusCode = 200) => new() { StatusCode = statusCode };
}

/// <summary>The JSON settings of Apex's serializer as far as the emulator needs them: names as declared, read case-insensitively.</summary>
internal static class ApexJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
