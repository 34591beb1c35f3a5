using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Resilience;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client;

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
    /// (sandboxes), a My Domain, or any http(s) URL such as the emulator's <c>http://127.0.0.1:PORT</c>.
    /// </summary>
    [Required]
    public Uri LoginUrl { get; set; } = new("https://login.salesforce.com");

    /// <summary>The REST API version, <c>66.0</c> by default (<c>v66.0</c> is accepted too).</summary>
    [Required]
    [RegularExpression(@"^v?[1-9][0-9]{1,2}\.0$", ErrorMessage = "ApiVersion must look like 66.0 or v66.0.")]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The connected app's consumer key.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The connected app's consumer secret, when the app requires it for refresh.</summary>
    public string? ClientSecret { get; set; }

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
    /// reflection; the SDK's own date, time and record converters still apply.
    /// </summary>
    public IJsonTypeInfoResolver? TypeInfoResolver { get; set; }

    /// <summary>The API version in path form, <c>v66.0</c>.</summary>
    internal string VersionSegment => ApiVersion.StartsWith('v') ? ApiVersion : "v" + ApiVersion;
}
