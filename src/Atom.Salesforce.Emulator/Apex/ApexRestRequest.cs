using System.Text.Json;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Apex;

/// <summary>The request an Apex REST handler gets: what Apex reads from <c>RestContext.request</c>.</summary>
public sealed class ApexRestRequest
{
    internal ApexRestRequest(
        string httpMethod, string requestUri, string resourcePath, IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> requestBody, string userId)
    {
        HttpMethod = httpMethod;
        RequestUri = requestUri;
        ResourcePath = resourcePath;
        Params = parameters;
        Headers = headers;
        RequestBody = requestBody;
        UserId = userId;
    }

    /// <summary>The HTTP method: <c>GET</c>, <c>HEAD</c>, <c>POST</c>, <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</summary>
    public string HttpMethod { get; }

    /// <summary>The path after <c>/services/apexrest</c>, for example <c>/Orders/42</c>.</summary>
    public string RequestUri { get; }

    /// <summary>The resource's mapping under <c>/services/apexrest</c>, for example <c>/services/apexrest/Orders/*</c>.</summary>
    public string ResourcePath { get; }

    /// <summary>The query parameters.</summary>
    public IReadOnlyDictionary<string, string> Params { get; }

    /// <summary>The request headers (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body as sent.</summary>
    public ReadOnlyMemory<byte> RequestBody { get; }

    /// <summary>The id of the user whose session made the request (<c>UserInfo.getUserId()</c>).</summary>
    public string UserId { get; }

    /// <summary>
    /// The body read as JSON into <typeparamref name="T"/> (property names matched case-insensitively, as Apex does). Malformed
    /// JSON ends the request with 400 <c>JSON_PARSER_ERROR</c>, as Salesforce answers it.
    /// </summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <returns>The body, or <see langword="default"/> when it is empty.</returns>
    public T? ReadJson<T>()
    {
        if (RequestBody.IsEmpty)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(RequestBody.Span, ApexJson.Options);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, "JSON_PARSER_ERROR", $"Unexpected character or end of input at [line:{(e.LineNumber ?? 0) + 1}, column:{(e.BytePositionInLine ?? 0) + 1}]");
        }
    }
}
