using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client;

/// <summary>One REST API version the org serves (<c>GET /services/data/</c>).</summary>
public sealed record ApiVersionInfo
{
    [JsonConstructor]
    internal ApiVersionInfo()
    {
    }

    /// <summary>The version number, for example <c>66.0</c>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = string.Empty;

    /// <summary>The release name, for example <c>Spring '26</c>.</summary>
    [JsonPropertyName("label")]
    public string Label { get; init; } = string.Empty;

    /// <summary>The version's root, for example <c>/services/data/v66.0</c>.</summary>
    [JsonPropertyName("url")]
    public string Url { get; init; } = string.Empty;
}
