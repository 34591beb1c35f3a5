using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.AspNetCore.Envelope;

/// <summary>Every success: <c>{"ok": true, "data": ...}</c>.</summary>
internal sealed record SuccessEnvelope([property: JsonPropertyOrder(1)] object? Data)
{
    [JsonPropertyOrder(0)]
    public bool Ok => true;
}

/// <summary>Every error, in the seed's shape: <c>{"ok": false, "error", "message", "status_code", "error_code", "service"}</c>.</summary>
internal sealed record ErrorEnvelope(
    [property: JsonPropertyOrder(1)] string Error,
    [property: JsonPropertyOrder(2)] string Message,
    [property: JsonPropertyOrder(3)] int StatusCode,
    [property: JsonPropertyOrder(4)] string ErrorCode)
{
    public const string ServiceName = "salesforce_enhanced";

    [JsonPropertyOrder(0)]
    public bool Ok => false;

    [JsonPropertyOrder(5)]
    public string Service => ServiceName;

    /// <summary>The short category of a status, the envelope's <c>error</c>.</summary>
    public static string Category(int statusCode) => statusCode switch
    {
        400 => "validation_error",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        413 => "request_too_large",
        429 => "rate_limited",
        502 => "salesforce_error",
        503 => "salesforce_unavailable",
        _ => "internal_error",
    };
}

/// <summary>The pack's JSON: snake_case names for its own shapes; Salesforce field names (dictionary keys) stay as they are.</summary>
internal static class EndpointJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
