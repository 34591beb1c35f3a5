using System.Runtime.InteropServices;

namespace Atom.Salesforce.Client.Telemetry;

/// <summary>The SDK's version (<c>Version</c>, a constant written by the build: no reflection at start-up) and the User-Agent it sends.</summary>
internal static partial class SdkInfo
{
    /// <summary><c>[&lt;app id&gt; ]Atom.Salesforce.Client/&lt;version&gt; (&lt;.NET&gt;; &lt;OS&gt;)</c>.</summary>
    public static string UserAgent(string? applicationId)
    {
        var platform = $"({RuntimeInformation.FrameworkDescription}; {RuntimeInformation.OSDescription})";
        // Header comments may not hold parentheses or control characters.
        platform = "(" + string.Create(platform.Length - 2, platform, static (span, p) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = p[i + 1];
                span[i] = c is '(' or ')' || char.IsControl(c) ? ' ' : c;
            }
        }) + ")";
        var product = $"Atom.Salesforce.Client/{Version} {platform}";
        return string.IsNullOrEmpty(applicationId) ? product : $"{applicationId} {product}";
    }
}
