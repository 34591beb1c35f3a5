using System.Reflection;
using System.Runtime.InteropServices;

namespace Atom.Salesforce.Client.Telemetry;

/// <summary>The SDK's version and the User-Agent it sends.</summary>
internal static class SdkInfo
{
    public static readonly string Version =
        typeof(SdkInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(SdkInfo).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    /// <summary><c>[&lt;app id&gt; ]Atom.Salesforce.Client/&lt;version&gt; (&lt;.NET&gt;; &lt;OS&gt;)</c>.</summary>
    public static string UserAgent(string? applicationId)
    {
        var platform = $"({RuntimeInformation.FrameworkDescription}; {RuntimeInformation.OSDescription})";
        // Header comments may not hold parentheses or control characters.
        platform = "(" + new string(platform[1..^1].Select(c => c is '(' or ')' || char.IsControl(c) ? ' ' : c).ToArray()) + ")";
        var product = $"Atom.Salesforce.Client/{Version} {platform}";
        return string.IsNullOrEmpty(applicationId) ? product : $"{applicationId} {product}";
    }
}
