using Atom.Salesforce.Client.AspNetCore.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.Configuration;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the SDK from the seed's environment variables (see <see cref="SalesforceEnvironmentConfiguration"/>).
/// </summary>
public static class SalesforceEnvironmentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK and the endpoint pack from the <c>SALESFORCE_*</c> variables of <paramref name="configuration"/>.
    /// Chain <c>.AddPostgresTokenStore(SalesforceEnvironmentConfiguration.DatabaseConnectionString(configuration))</c> for the database.
    /// </summary>
    /// <exception cref="InvalidOperationException">SALESFORCE_ENVIRONMENT, SALESFORCE_LOGIN_URL or SALESFORCE_REDIRECT_URI is not valid.</exception>
    public static ISalesforceBuilder AddAtomSalesforceFromEnvironment(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var loginUrl = SalesforceEnvironmentConfiguration.LoginUrl(configuration);
        var redirectUri = SalesforceEnvironmentConfiguration.OptionalUrl(configuration, "SALESFORCE_REDIRECT_URI");
        var clientId = configuration["SALESFORCE_CLIENT_ID"];
        var clientSecret = configuration["SALESFORCE_CLIENT_SECRET"];
        return services
            .AddAtomSalesforce(o =>
            {
                o.ClientId = clientId ?? string.Empty;
                o.ClientSecret = string.IsNullOrEmpty(clientSecret) ? null : clientSecret;
                o.LoginUrl = loginUrl;
            })
            .AddEndpoints(o =>
            {
                if (redirectUri is not null)
                {
                    o.RedirectUri = redirectUri;
                }
            });
    }
}
