using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chained setup on <see cref="ISalesforceBuilder"/>.</summary>
public static class SalesforceBuilderExtensions
{
    /// <summary>Keeps tokens in <typeparamref name="TStore"/> instead of the in-memory default.</summary>
    public static ISalesforceBuilder AddTokenStore<TStore>(this ISalesforceBuilder builder)
        where TStore : class, ITokenStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ITokenStore, TStore>());
        return builder;
    }

    /// <summary>
    /// Customises both HTTP pipelines of the SDK (the REST API and the OAuth token endpoint): add a handler, set a proxy or a
    /// primary handler, and so on. The SDK's own resilience and authentication handlers stay in place.
    /// </summary>
    public static ISalesforceBuilder ConfigureHttpClient(this ISalesforceBuilder builder, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        SalesforceRegistration.ConfigureHttpClients(builder.Services, configure);
        return builder;
    }
}
