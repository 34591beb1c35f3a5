using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK with options bound from <paramref name="configuration"/> (conventionally the <c>Salesforce</c> section):
    /// <c>ClientId</c>, <c>ClientSecret</c>, <c>LoginUrl</c>, <c>ApiVersion</c>, <c>ApplicationId</c>, <c>Resilience:*</c>.
    /// Options are validated when the host starts. This is the default connected app (<see cref="Options.Options.DefaultName"/>):
    /// resolve <see cref="ISalesforceClientFactory"/> and <see cref="Atom.Salesforce.Client.Auth.ISalesforceOAuth"/> without a key.
    /// </summary>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, IConfiguration configuration) =>
        services.AddAtomSalesforce(Options.Options.DefaultName, configuration);

    /// <summary>Registers the SDK (the default connected app) with options set in code. Options are validated when the host starts.</summary>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, Action<SalesforceOptions> configure) =>
        services.AddAtomSalesforce(Options.Options.DefaultName, configure);

    /// <summary>
    /// Registers one more connected app under <paramref name="name"/>, like <c>AddHttpClient(name)</c>, with options bound from
    /// <paramref name="configuration"/> (for example the <c>Salesforce:Apps:partner-org</c> section). The app has its own
    /// options (validated when the host starts, failures naming the app), token store (in memory unless the returned builder
    /// sets one), token refresh, HTTP pipelines, retries and circuit breakers: its tokens are never used by another app.
    /// Resolve it with <c>[FromKeyedServices("partner-org")] ISalesforceClientFactory</c> (and <see cref="Atom.Salesforce.Client.Auth.ISalesforceOAuth"/>
    /// the same way). <see cref="Options.Options.DefaultName"/> (empty) names the default app.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The app's name: 1 to 64 letters, digits, '-', '_' or '.'; empty for the default app.</param>
    /// <param name="configuration">The app's configuration section.</param>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        SalesforceRegistration.CheckName(name);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SalesforceOptions>(name).Configure(options => SalesforceOptionsBinding.Bind(configuration, options));
        // Reload when the configuration does, as OptionsBuilder.Bind would.
        services.AddSingleton<IOptionsChangeTokenSource<SalesforceOptions>>(
            new ConfigurationChangeTokenSource<SalesforceOptions>(name, configuration));
        return SalesforceRegistration.AddCore(services, name);
    }

    /// <summary>
    /// Registers one more connected app under <paramref name="name"/> with options set in code; see
    /// <see cref="AddAtomSalesforce(IServiceCollection, string, IConfiguration)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The app's name: 1 to 64 letters, digits, '-', '_' or '.'; empty for the default app.</param>
    /// <param name="configure">Sets the app's options.</param>
    public static ISalesforceBuilder AddAtomSalesforce(this IServiceCollection services, string name, Action<SalesforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        SalesforceRegistration.CheckName(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SalesforceOptions>(name).Configure(configure);
        return SalesforceRegistration.AddCore(services, name);
    }
}
