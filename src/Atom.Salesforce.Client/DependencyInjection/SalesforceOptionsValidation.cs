using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>Checks the data annotations of <see cref="SalesforceOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>;

/// <summary>
/// The one validator the SDK registers: the annotations, then the cross checks. A named connected app's failures start with
/// its name (<c>Salesforce app 'partner-org': ...</c>), so that a host with several apps says which one is wrong.
/// </summary>
internal sealed class SalesforceOptionsValidation : IValidateOptions<SalesforceOptions>
{
    private readonly SalesforceOptionsValidator _annotations = new();
    private readonly SalesforceOptionsCrossValidator _cross = new();

    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var annotations = _annotations.Validate(name, options);
        var cross = _cross.Validate(name, options);
        if (!annotations.Failed && !cross.Failed)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = (annotations.Failures ?? []).Concat(cross.Failures ?? []);
        if (!string.IsNullOrEmpty(name))
        {
            failures = failures.Select(f => $"Salesforce app '{name}': {f}");
        }

        return ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks what annotations cannot: URLs, the JWT signing key, and the relations between timeouts and delays.</summary>
internal sealed class SalesforceOptionsCrossValidator : IValidateOptions<SalesforceOptions>
{
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromHours(24);
    private static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(1);

    /// <summary>Polly's own floor for a breaker's sampling and break durations.</summary>
    private static readonly TimeSpan ShortestBreak = TimeSpan.FromMilliseconds(500);

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

            if (r.CircuitBreaker is { } breaker)
            {
                if (breaker.SamplingDuration < ShortestBreak || breaker.SamplingDuration > LongestTimeout)
                {
                    failures.Add("Salesforce:Resilience:CircuitBreaker:SamplingDuration must be between 0.5 seconds and 24 hours.");
                }

                if (breaker.BreakDuration < ShortestBreak || breaker.BreakDuration > LongestTimeout)
                {
                    failures.Add("Salesforce:Resilience:CircuitBreaker:BreakDuration must be between 0.5 seconds and 24 hours.");
                }
            }
            else
            {
                failures.Add("Salesforce:Resilience:CircuitBreaker must not be null.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
