using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.AspNetCore.Envelope;

/// <summary>Every success: <c>{"ok": true, "data": ...}</c>.</summary>
internal sealed record SuccessEnvelope([property: JsonPropertyOrder(1)] object? Data)
{
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A JSON property of the envelope: System.Text.Json does not serialize static properties.")]
    [JsonPropertyOrder(0)]
    public bool Ok => true;
}

/// <summary>
/// Every error, in the seed's shape: <c>{"ok": false, "error", "message", "status_code", "error_code", "service"}</c>;
/// <c>error</c> is one of <see cref="SalesforceEndpointErrors"/>.
/// </summary>
internal sealed record ErrorEnvelope(
    [property: JsonPropertyOrder(1)] string Error,
    [property: JsonPropertyOrder(2)] string Message,
    [property: JsonPropertyOrder(3)] int StatusCode,
    [property: JsonPropertyOrder(4)] string ErrorCode)
{
    public const string ServiceName = "salesforce_enhanced";

    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A JSON property of the envelope: System.Text.Json does not serialize static properties.")]
    [JsonPropertyOrder(0)]
    public bool Ok => false;

    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A JSON property of the envelope: System.Text.Json does not serialize static properties.")]
    [JsonPropertyOrder(5)]
    public string Service => ServiceName;

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
