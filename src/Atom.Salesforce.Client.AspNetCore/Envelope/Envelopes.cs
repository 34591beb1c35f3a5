using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Scoring;

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

/// <summary>
/// The pack's JSON: snake_case names for its own shapes; Salesforce field names (dictionary keys) stay as they are; enums
/// as snake_case strings. Metadata comes from the source-generated <c>EndpointJsonContext</c> (see <see cref="Metadata"/>) (no reflection, so
/// trimming and NativeAOT keep working): every type the envelope's <c>data</c> can hold at run time is listed there.
/// </summary>
internal static class EndpointJson
{
    /// <summary>
    /// The metadata of every type the pack writes or reads (the source-generated context of the layer above, which lists the
    /// routes' types); set once when the assembly loads (<c>Mapping.EndpointJsonMetadata</c>).
    /// </summary>
    internal static Func<IJsonTypeInfoResolver>? Metadata { get; set; }

    /// <summary>The options, made on first use (after <see cref="Metadata"/> is set).</summary>
    public static JsonSerializerOptions Options => Made.Options;

    /// <summary>The metadata of <typeparamref name="T"/> as the pack writes it.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            TypeInfoResolver = (Metadata ?? throw new InvalidOperationException("The pack's JSON metadata was not registered."))(),
        };
        AddEnum<CrossSellKind>(options);
        AddEnum<NextBestActionTrigger>(options);
        AddEnum<ActionPriority>(options);
        AddEnum<ActionTarget>(options);
        AddEnum<BottleneckMeasure>(options);
        AddEnum<AtRiskReasons>(options);
        AddEnum<PipelineDimension>(options);
        AddEnum<AccountDimension>(options);
        AddEnum<ChurnRiskLevel>(options);
        AddEnum<CalendarPeriod>(options);
        AddEnum<ActivityKind>(options);
        AddEnum<SalesDataParts>(options);
        AddEnum<LeadDimension>(options);
        options.MakeReadOnly();
        return options;
    }

    private static class Made
    {
        public static readonly JsonSerializerOptions Options = Create();
    }

    private static void AddEnum<TEnum>(JsonSerializerOptions options)
        where TEnum : struct, Enum =>
        options.Converters.Add(new JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower));
}
