using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Auth;

/// <summary>The body of a successful <c>/services/oauth2/token</c> call. It has no <c>expires_in</c>.</summary>
internal sealed class OAuthTokenResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }
    [JsonPropertyName("instance_url")] public string? InstanceUrl { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("issued_at")] public string? IssuedAt { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("token_type")] public string? TokenType { get; init; }
    [JsonPropertyName("signature")] public string? Signature { get; init; }

    public override string ToString() => $"OAuthTokenResponse {{ InstanceUrl = {InstanceUrl}, IssuedAt = {IssuedAt} }}";
}
