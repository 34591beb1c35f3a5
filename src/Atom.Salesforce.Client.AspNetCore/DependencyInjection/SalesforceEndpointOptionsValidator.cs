using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.DependencyInjection;

/// <summary>Checks the endpoint options when the host starts.</summary>
internal sealed class SalesforceEndpointOptionsValidator : IValidateOptions<SalesforceEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceEndpointOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.UserIdClaimType))
        {
            failures.Add("Salesforce:Endpoints:UserIdClaimType must name a claim.");
        }

        if (options.MaxRequestBodyBytes is < 1_024 or > 16 * 1024 * 1024)
        {
            failures.Add("Salesforce:Endpoints:MaxRequestBodyBytes must be between 1 KiB and 16 MiB.");
        }

        if (options.MaxListLimit is < 1 or > 50_000)
        {
            failures.Add("Salesforce:Endpoints:MaxListLimit must be between 1 and 50,000.");
        }

        if (options.DefaultListLimit < 1 || options.DefaultListLimit > options.MaxListLimit)
        {
            failures.Add("Salesforce:Endpoints:DefaultListLimit must be between 1 and MaxListLimit.");
        }

        if (options.RedirectUri is { } redirect && (!redirect.IsAbsoluteUri || (redirect.Scheme != Uri.UriSchemeHttps && redirect.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Salesforce:Endpoints:RedirectUri must be an absolute http or https URL; got '{redirect}'.");
        }

        if (options.ConnectedRedirectPath is { } path && (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\')))
        {
            failures.Add("Salesforce:Endpoints:ConnectedRedirectPath must be a local path such as /settings.");
        }

        if (string.IsNullOrWhiteSpace(options.OAuthScope))
        {
            failures.Add("Salesforce:Endpoints:OAuthScope must not be empty.");
        }

        if (options.DescribeCacheDuration < TimeSpan.Zero || options.DescribeCacheDuration > TimeSpan.FromDays(1))
        {
            failures.Add("Salesforce:Endpoints:DescribeCacheDuration must be between 0 and 1 day.");
        }

        if (options.AnalyticsCacheDuration < TimeSpan.Zero || options.AnalyticsCacheDuration > TimeSpan.FromDays(1))
        {
            failures.Add("Salesforce:Endpoints:AnalyticsCacheDuration must be between 0 and 1 day.");
        }

        if (options.LeadModelLifetime < TimeSpan.Zero || options.LeadModelLifetime > TimeSpan.FromDays(7))
        {
            failures.Add("Salesforce:Endpoints:LeadModelLifetime must be between 0 and 7 days.");
        }

        if (options.RateLimitEnabled && (options.RateLimitPermits < 1 || options.RateLimitWindow <= TimeSpan.Zero || options.RateLimitWindow > TimeSpan.FromDays(1)))
        {
            failures.Add("Salesforce:Endpoints:RateLimitPermits must be at least 1 and RateLimitWindow between 0 and 1 day (or set RateLimitEnabled to false).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
