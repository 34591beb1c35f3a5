using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client;

/// <summary>One REST API version the org serves (<c>GET /services/data/</c>).</summary>
/// <param name="Version">The version number, for example <c>66.0</c>.</param>
/// <param name="Label">The release name, for example <c>Spring '26</c>.</param>
/// <param name="Url">The version's root, for example <c>/services/data/v66.0</c>.</param>
public sealed record ApiVersionInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("url")] string Url);
