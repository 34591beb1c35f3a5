namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>
/// An OAuth request the org refuses: the <c>error</c> and <c>error_description</c> Salesforce answers with. Neither ever
/// quotes what the client sent, so no secret can come back in a response.
/// </summary>
internal sealed class OAuthException(string error, string description) : Exception($"{error}: {description}")
{
    public string Error { get; } = error;

    public string Description { get; } = description;

    public static OAuthException InvalidClientId() => new("invalid_client_id", "client identifier invalid");

    public static OAuthException InvalidClient() => new("invalid_client", "invalid client credentials");

    public static OAuthException InvalidGrant(string description) => new("invalid_grant", description);
}
