using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Resilience;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Configuration;

/// <summary>
/// How the SDK reaches Salesforce. Bound from configuration (the <c>Salesforce</c> section by convention) and validated when
/// the host starts.
/// </summary>
public sealed class SalesforceOptions
{
    /// <summary>The API version used when none is configured.</summary>
    public const string DefaultApiVersion = "66.0";

    /// <summary>
    /// Where OAuth requests go: <c>https://login.salesforce.com</c> (production, the default), <c>https://test.salesforce.com</c>
    /// (sandboxes), a My Domain, or any http(s) URL with any port and path base, such as the emulator's
    /// <c>http://127.0.0.1:PORT</c>. The authorize, token and revoke endpoints are <c>/services/oauth2/*</c> under it.
    /// </summary>
    [Required]
    public Uri LoginUrl { get; set; } = new("https://login.salesforce.com");

    /// <summary>
    /// Hosts besides Salesforce's own that a token response may name as its <c>instance_url</c> or identity URL, for example
    /// a proxy in front of Salesforce: <c>api.example.com</c>, or <c>*.example.com</c> for every subdomain. Empty by default:
    /// the SDK then sends tokens only over https to <c>salesforce.com</c>, <c>force.com</c>, <c>salesforce.mil</c>,
    /// <c>cloudforce.com</c> and their subdomains (loopback too when <see cref="LoginUrl"/> is loopback, as for the emulator).
    /// A host listed here is also accepted when a token renewal moves a user from its stored host to it. https is still required.
    /// </summary>
    public IList<string> TrustedInstanceHosts { get; set; } = [];

    /// <summary>The REST API version, <c>66.0</c> by default (<c>v66.0</c> is accepted too).</summary>
    [Required]
    [RegularExpression(@"^v?[1-9][0-9]{1,2}\.0$", ErrorMessage = "ApiVersion must look like 66.0 or v66.0.")]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The connected app's consumer key.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>
    /// The connected app's consumer secret: sent with the web server and refresh flows when set, and required by the
    /// client-credentials flow.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The JWT bearer flow's signing key as PEM text (<c>-----BEGIN PRIVATE KEY-----</c> or
    /// <c>-----BEGIN RSA PRIVATE KEY-----</c>, unencrypted): the private key of the certificate uploaded to the connected app.
    /// Set at most one of <see cref="JwtPrivateKeyPem"/>, <see cref="JwtPrivateKeyPath"/> and <see cref="JwtCertificate"/>.
    /// </summary>
    public string? JwtPrivateKeyPem { get; set; }

    /// <summary>The path of a PEM file holding the JWT bearer flow's RSA private key (see <see cref="JwtPrivateKeyPem"/>).</summary>
    public string? JwtPrivateKeyPath { get; set; }

    /// <summary>
    /// A certificate with an RSA private key that signs the JWT bearer flow's assertions (code only, for keys kept in a
    /// certificate store or a key vault).
    /// </summary>
    public X509Certificate2? JwtCertificate { get; set; }

    /// <summary>
    /// The <c>aud</c> claim of JWT bearer assertions; <see cref="LoginUrl"/> when not set. Salesforce expects
    /// <c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c> or an Experience Cloud site URL, so set it when
    /// <see cref="LoginUrl"/> is a My Domain.
    /// </summary>
    public Uri? JwtAudience { get; set; }

    /// <summary>
    /// The org's or connected app's session timeout, when you know it. Salesforce's token response carries no expiry, so by
    /// default an access token is replaced when Salesforce refuses it (401 <c>INVALID_SESSION_ID</c>). When this is set, a token
    /// older than its issue time plus this timeout is replaced before it is used. Between 1 minute and 24 hours.
    /// </summary>
    public TimeSpan? SessionTimeout { get; set; }

    /// <summary>
    /// An application name put first in the User-Agent header (<c>MyApp Atom.Salesforce.Client/1.0.0 (...)</c>), so that
    /// Salesforce event logs show who called.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9._\-/]{1,64}$", ErrorMessage = "ApplicationId must be 1 to 64 letters, digits, '.', '_', '-' or '/'.")]
    public string? ApplicationId { get; set; }

    /// <summary>Retries and timeouts.</summary>
    [ValidateObjectMembers]
    public SalesforceResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// Optional JSON metadata for your record types, such as a source-generated <c>JsonSerializerContext</c>. Consulted before
    /// reflection; the SDK's own date, time and record converters still apply. In a trimmed or NativeAOT app, where
    /// System.Text.Json reflection is off, it is where the metadata of your record types comes from.
    /// </summary>
    public IJsonTypeInfoResolver? TypeInfoResolver { get; set; }

    /// <summary>The API version in path form, <c>v66.0</c>.</summary>
    internal string VersionSegment => ApiVersion.StartsWith('v') ? ApiVersion : "v" + ApiVersion;
}
