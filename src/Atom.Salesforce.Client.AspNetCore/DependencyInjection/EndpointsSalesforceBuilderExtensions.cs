using Atom.Salesforce.Client.AspNetCore;
using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.AspNetCore.Health;
using Atom.Salesforce.Client.AspNetCore.Mapping;
using Atom.Salesforce.Client.AspNetCore.RateLimiting;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the endpoint pack on the SDK's builder.</summary>
public static class EndpointsSalesforceBuilderExtensions
{
    /// <summary>The name of the ASP.NET health check the pack registers.</summary>
    public const string HealthCheckName = "atom_salesforce";

    /// <summary>
    /// Registers what <c>app.MapAtomSalesforce()</c> needs, with options bound from the <c>Salesforce:Endpoints</c> section
    /// (when the application has an <c>IConfiguration</c>) and then <paramref name="configure"/>; adds data protection (for the
    /// OAuth state cookie), the SDK's cache (<c>AddCaching()</c>: describes, with <see cref="SalesforceEndpointOptions.DescribeCacheDuration"/>)
    /// and the <see cref="HealthCheckName"/> health check. Options are validated when the host starts;
    /// in trusted mode (<see cref="SalesforceEndpointOptions.TrustBodyUserId"/>) the host also refuses to start unless the
    /// pack's routes require authorization.
    /// Calling it twice registers nothing twice.
    /// </summary>
    public static ISalesforceBuilder AddEndpoints(this ISalesforceBuilder builder, Action<SalesforceEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var firstCall = !services.Any(d => d.ServiceType == typeof(EndpointServices));
        if (firstCall)
        {
            // Configuration first, code second.
            services.AddSingleton<IConfigureOptions<SalesforceEndpointOptions>>(static sp =>
                new ConfigureNamedOptions<SalesforceEndpointOptions>(Microsoft.Extensions.Options.Options.DefaultName, o =>
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
        // The SDK's cache keeps the describes requests are checked against, for the pack's DescribeCacheDuration.
        builder.AddCaching();
        services.AddOptions<SalesforceCacheOptions>().Configure<IOptions<SalesforceEndpointOptions>>(
            static (cache, endpoints) =>
            {
                try
                {
                    cache.DescribeDuration = endpoints.Value.DescribeCacheDuration;
                }
                catch (OptionsValidationException)
                {
                    // Invalid endpoint options stop the host through their own validation; reported once, there.
                }
            });
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
