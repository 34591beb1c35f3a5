using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>Checks the data annotations of <see cref="SalesforceOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>;

/// <summary>Checks what annotations cannot: URLs, the JWT signing key, and the relations between timeouts and delays.</summary>
internal sealed class SalesforceOptionsCrossValidator : IValidateOptions<SalesforceOptions>
{
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromHours(24);
    private static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var failures = new List<string>();
        if (options.LoginUrl is { } login
            && (!login.IsAbsoluteUri || (login.Scheme != Uri.UriSchemeHttps && login.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Salesforce:LoginUrl must be an absolute http or https URL, such as https://login.salesforce.com; got '{login}'.");
        }

        if (options.JwtAudience is { } audience
            && (!audience.IsAbsoluteUri || (audience.Scheme != Uri.UriSchemeHttps && audience.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Salesforce:JwtAudience must be an absolute http or https URL, such as https://login.salesforce.com; got '{audience}'.");
        }

        foreach (var host in options.TrustedInstanceHosts ?? [])
        {
            if (!SalesforceHosts.IsValidPattern(host))
            {
                failures.Add($"Salesforce:TrustedInstanceHosts entries must be host names such as api.example.com or *.example.com (no scheme, port or path); got '{host}'.");
            }
        }

        if (options.SessionTimeout is { } sessionTimeout && (sessionTimeout < ShortestSession || sessionTimeout > LongestTimeout))
        {
            failures.Add("Salesforce:SessionTimeout must be between 1 minute and 24 hours.");
        }

        if (SalesforceJwtSigner.IsConfigured(options))
        {
            // Load the key now, so that a wrong key stops start-up rather than the first JWT login. Messages never quote it.
            using var key = SalesforceJwtSigner.LoadKey(options, out var keyError);
            if (keyError is not null)
            {
                failures.Add(keyError);
            }
        }

        var r = options.Resilience;
        if (r is not null)
        {
            if (r.AttemptTimeout < ShortestTimeout || r.AttemptTimeout > LongestTimeout)
            {
                failures.Add("Salesforce:Resilience:AttemptTimeout must be between 10 ms and 24 hours.");
            }

            if (r.TotalTimeout < ShortestTimeout || r.TotalTimeout > LongestTimeout)
            {
                failures.Add("Salesforce:Resilience:TotalTimeout must be between 10 ms and 24 hours.");
            }

            if (r.TotalTimeout < r.AttemptTimeout)
            {
                failures.Add("Salesforce:Resilience:TotalTimeout must not be shorter than AttemptTimeout.");
            }

            if (r.MaxRetryAttempts > 0 && (r.BaseDelay <= TimeSpan.Zero || r.MaxDelay < r.BaseDelay))
            {
                failures.Add("Salesforce:Resilience:BaseDelay must be positive and MaxDelay at least BaseDelay.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
