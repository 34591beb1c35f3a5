using System.Security.Cryptography.X509Certificates;

namespace Atom.Salesforce.Emulator.OAuth;

/// <summary>A connected app of the emulated org: the client that OAuth flows authenticate.</summary>
public sealed class ConnectedApp
{
    /// <summary>Creates an app with the given client id (consumer key) and no secret.</summary>
    /// <param name="clientId">The client id clients send as <c>client_id</c> and as the <c>iss</c> of JWT assertions.</param>
    public ConnectedApp(string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ClientId = clientId;
    }

    /// <summary>The client id (consumer key).</summary>
    public string ClientId { get; set; }

    /// <summary>
    /// The client secret (consumer secret). Required by the client-credentials and password flows, by the code exchange
    /// unless PKCE was used, and by refresh unless the grant came from a PKCE exchange without a secret. Null: a public
    /// client, which can use PKCE and JWT bearer only.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>The callback URLs the authorize endpoint accepts, compared exactly; empty accepts any.</summary>
    public IList<Uri> CallbackUrls { get; } = [];

    /// <summary>The certificate whose public key verifies the RS256 signature of JWT bearer assertions; null refuses the flow.</summary>
    public X509Certificate2? JwtCertificate { get; set; }

    /// <summary>Whether each refresh returns a new refresh token and invalidates the one it was given.</summary>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>The username the client-credentials flow runs as; the admin when null.</summary>
    public string? RunAsUsername { get; set; }
}
