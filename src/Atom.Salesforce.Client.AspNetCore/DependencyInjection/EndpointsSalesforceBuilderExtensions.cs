using Atom.Salesforce.Client.AspNetCore.Health;
using Atom.Salesforce.Client.AspNetCore.Identity;
using Atom.Salesforce.Client.AspNetCore.Leads;
using Atom.Salesforce.Client.AspNetCore.RateLimiting;
using Atom.Salesforce.Client.AspNetCore.Records;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.DependencyInjection;

/// <summary>Registers the endpoint pack on the SDK's builder.</summary>
public static class EndpointsSalesforceBuilderExtensions
{
    /// <summary>The name of the ASP.NET health check the pack registers.</summary>
    public const string HealthCheckName = "atom_salesforce";

    /// <summary>
    /// Registers what <c>app.MapAtomSalesforce()</c> needs, with options bound from the <c>Salesforce:Endpoints</c> section
    /// (when the application has an <c>IConfiguration</c>) and then <paramref name="configure"/>; adds data protection (for the
    /// OAuth state cookie) and the <see cref="HealthCheckName"/> health check. Options are validated when the host starts;
    /// in trusted mode (<see cref="SalesforceEndpointOptions.TrustBodyUserId"/>) the host also refuses to start unless the
    /// pack's routes require authorization.
    /// Calling it twice registers nothing twice.
    /// </summary>
    public static ISalesforceBuilder AddAtomSalesforceEndpoints(this ISalesforceBuilder builder, Action<SalesforceEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var firstCall = !services.Any(d => d.ServiceType == typeof(EndpointServices));
        if (firstCall)
        {
            // Configuration first, code second.
            services.AddSingleton<IConfigureOptions<SalesforceEndpointOptions>>(static sp =>
                new ConfigureNamedOptions<SalesforceEndpointOptions>(Options.DefaultName, o =>
                    sp.GetService<IConfiguration>()?.GetSection(SalesforceEndpointOptions.DefaultSectionName).Bind(o)));
        }

        var options = services.AddOptions<SalesforceEndpointOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!firstCall)
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceEndpointOptions>, SalesforceEndpointOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DescribeCache>();
        services.TryAddSingleton<LeadModelCache>();
        services.TryAddSingleton<EndpointRateLimiter>();
        services.TryAddSingleton<TrustedModeGuard.MappedRoutes>();
        services.AddHostedService<TrustedModeGuard>();
        services.TryAddSingleton<EndpointServices>();
        services.AddHttpClient();
        services.AddDataProtection();
        services.AddHealthChecks().AddCheck<SalesforceHealthCheck>(HealthCheckName, tags: ["salesforce"]);
        return builder;
    }
}

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
