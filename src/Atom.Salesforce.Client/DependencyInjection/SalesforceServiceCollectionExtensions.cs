using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK with options bound from <paramref name="configuration"/> (conventionally the <c>Salesforce</c> section):
    /// <c>ClientId</c>, <c>ClientSecret</c>, <c>LoginUrl</c>, <c>ApiVersion</c>, <c>ApplicationId</c>, <c>Resilience:*</c>.
    /// Options are validated when the host starts.
    /// </summary>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SalesforceOptions>().Bind(configuration);
        return SalesforceRegistration.AddCore(services);
    }

    /// <summary>Registers the SDK with options set in code. Options are validated when the host starts.</summary>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, Action<SalesforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SalesforceOptions>().Configure(configure);
        return SalesforceRegistration.AddCore(services);
    }
}
