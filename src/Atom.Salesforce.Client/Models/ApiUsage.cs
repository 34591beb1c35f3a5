using System.Globalization;

namespace Atom.Salesforce.Client.Models;

/// <summary>
/// The org's API calls in the last 24 hours against its allocation, as the <c>Sforce-Limit-Info: api-usage=18/5000</c>
/// header on every REST response reports them.
/// </summary>
/// <param name="Used">Calls made in the last 24 hours.</param>
/// <param name="Max">The 24-hour allocation.</param>
public readonly record struct ApiUsage(long Used, long Max)
{
    /// <summary>Calls left before the allocation runs out (never negative).</summary>
    public long Remaining => Math.Max(0, Max - Used);

    /// <summary>
    /// Reads an <c>Sforce-Limit-Info</c> header value such as <c>api-usage=18/5000</c> or
    /// <c>api-usage=25/5000; per-app-api-usage=17/250(appName=x)</c>. Entries are separated by <c>;</c> (Salesforce) or <c>,</c>
    /// (several header values joined); entries other than <c>api-usage</c> are ignored.
    /// </summary>
    public static bool TryParse(string? headerValue, out ApiUsage usage)
    {
        usage = default;
        if (string.IsNullOrEmpty(headerValue))
        {
            return false;
        }

        // Span by span, without splitting into strings: every response carries this header.
        var rest = headerValue.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(';', ',');
            var part = (end < 0 ? rest : rest[..end]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!part.StartsWith("api-usage=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = part["api-usage=".Length..];
            var slash = value.IndexOf('/');
            if (slash > 0
                && long.TryParse(value[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                && long.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            {
                usage = new ApiUsage(used, max);
                return true;
            }
        }

        return false;
    }
}
