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
    private readonly SalesforceOptionsCrossValidator _cross = new();
    private SalesforceOptionsValidator? _annotations;

    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        // The generated validator builds DataAnnotations attributes and their regular expressions, which loads five
        // assemblies and compiles two patterns at start-up (issue 22). It runs only when the plain check below sees a broken
        // annotation, so that its failures, and only its failures, say what they always said.
        var annotations = SalesforceOptionsAnnotations.AreSatisfied(options)
            ? ValidateOptionsResult.Success
            : (_annotations ??= new SalesforceOptionsValidator()).Validate(name, options);
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

/// <summary>
/// The data annotations of <see cref="SalesforceOptions"/> and its resilience options, checked without DataAnnotations or
/// regular expressions: true only when <see cref="SalesforceOptionsValidator"/> would find nothing wrong. Never more lenient
/// than the annotations (a doubt answers false, and the generated validator decides).
/// </summary>
internal static class SalesforceOptionsAnnotations
{
    public static bool AreSatisfied(SalesforceOptions options)
    {
        // [Required] LoginUrl; [Required] + [RegularExpression(^v?[1-9][0-9]{1,2}\.0$)] ApiVersion; [Required] ClientId
        // (no empty or white-space strings); [RegularExpression(^[A-Za-z0-9._\-/]{1,64}$)] ApplicationId (null or empty passes).
        if (options.LoginUrl is null
            || string.IsNullOrWhiteSpace(options.ApiVersion) || !IsApiVersion(options.ApiVersion)
            || string.IsNullOrWhiteSpace(options.ClientId)
            || !IsApplicationId(options.ApplicationId))
        {
            return false;
        }

        // [ValidateObjectMembers] Resilience and its CircuitBreaker: their [Range]s, when they are set.
        if (options.Resilience is { } resilience)
        {
            if (resilience.MaxRetryAttempts is < 0 or > 10)
            {
                return false;
            }

            if (resilience.CircuitBreaker is { } breaker
                && (!(breaker.FailureRatio >= 0.01 && breaker.FailureRatio <= 1.0) || breaker.MinimumThroughput < 2))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>^v?[1-9][0-9]{1,2}\.0$</c> over the whole value.</summary>
    internal static bool IsApiVersion(string value)
    {
        var s = value.AsSpan();
        if (s.Length > 0 && s[0] == 'v')
        {
            s = s[1..];
        }

        // 2 or 3 digits, the first not 0, then ".0": 4 or 5 characters.
        if (s.Length is < 4 or > 5 || s[0] is < '1' or > '9' || !s.EndsWith(".0", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in s[1..^2])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>^[A-Za-z0-9._\-/]{1,64}$</c> over the whole value; null or empty passes, as RegularExpressionAttribute has it.</summary>
    internal static bool IsApplicationId(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (value.Length > 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '/'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Checks what annotations cannot: URLs, the JWT signing key, and the relations between timeouts and delays.</summary>
internal sealed class SalesforceOptionsCrossValidator : IValidateOptions<SalesforceOptions>
{
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromHours(24);
    private static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(1);

    /// <summary>The floor for a breaker's sampling and break durations (Polly's, whose breaker semantics the SDK's keeps).</summary>
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
