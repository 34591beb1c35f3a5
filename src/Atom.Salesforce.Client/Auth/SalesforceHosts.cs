using System.Net;
using Atom.Salesforce.Client.Configuration;

namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Which URLs a token response may point the SDK at. The bearer token is sent to the token's <c>instance_url</c> (and its
/// identity URL), so both must be https on a Salesforce domain (<c>salesforce.com</c>, <c>force.com</c>,
/// <c>salesforce.mil</c>, <c>cloudforce.com</c> and their subdomains, which hold the My Domain, sandbox and instanced forms),
/// or on <see cref="SalesforceOptions.TrustedInstanceHosts"/>. Loopback (http or https) is accepted only when
/// <see cref="SalesforceOptions.LoginUrl"/> is itself loopback, as it is for the emulator.
/// </summary>
internal static class SalesforceHosts
{
    /// <summary>The registrable domains Salesforce serves orgs from; the host must be one of them or a subdomain.</summary>
    internal static readonly string[] Domains = ["salesforce.com", "force.com", "salesforce.mil", "cloudforce.com"];

    /// <summary>Null when <paramref name="url"/> may receive the user's token; otherwise why not, naming only its host.</summary>
    public static string? Refusal(Uri url, SalesforceOptions options)
    {
        if (!url.IsAbsoluteUri)
        {
            return "it is not an absolute URL";
        }

        var host = Normalize(url.IdnHost);
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return $"'{host}' carries user information";
        }

        if (IsLoopback(url) && IsLoopback(options.LoginUrl))
        {
            return url.Scheme is "http" or "https" ? null : $"'{url.Scheme}://{host}' is neither http nor https";
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return $"'{url.Scheme}://{host}' is not https";
        }

        return IsSalesforceHost(host) || IsTrusted(host, options)
            ? null
            : $"'{host}' is not a Salesforce host (salesforce.com, force.com, salesforce.mil, cloudforce.com) nor on Salesforce:TrustedInstanceHosts";
    }

    /// <summary>True when <paramref name="host"/> is one of <see cref="Domains"/> or a subdomain of one.</summary>
    public static bool IsSalesforceHost(string host)
    {
        host = Normalize(host);
        return Domains.Any(d => MatchesDomain(host, d));
    }

    /// <summary>True when <paramref name="host"/> matches an entry of <see cref="SalesforceOptions.TrustedInstanceHosts"/>.</summary>
    public static bool IsTrusted(string host, SalesforceOptions options)
    {
        host = Normalize(host);
        foreach (var entry in options.TrustedInstanceHosts ?? [])
        {
            var pattern = Normalize(entry);
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern[1..], StringComparison.Ordinal) && host.Length > pattern.Length - 1
                : string.Equals(host, pattern, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the entry is a DNS host name, optionally prefixed by <c>*.</c> for its subdomains.</summary>
    public static bool IsValidPattern(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }

        // A name with at least two labels, so that a wildcard never covers a whole top-level domain.
        var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return name.Trim('.').Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(name) == UriHostNameType.Dns;
    }

    /// <summary>Whether two URLs name the same host (ports and paths aside).</summary>
    public static bool SameHost(Uri a, Uri b) => string.Equals(Normalize(a.IdnHost), Normalize(b.IdnHost), StringComparison.Ordinal);

    public static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    private static bool MatchesDomain(string host, string domain) =>
        host == domain || (host.Length > domain.Length && host.EndsWith(domain, StringComparison.Ordinal) && host[^(domain.Length + 1)] == '.');

    private static bool IsLoopback(Uri url) =>
        url.IsAbsoluteUri && (url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
}
