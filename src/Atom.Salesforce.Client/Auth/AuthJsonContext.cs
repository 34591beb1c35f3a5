using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Auth;

/// <summary>Source-generated metadata for the OAuth token response, which only this layer reads.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(OAuthTokenResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
