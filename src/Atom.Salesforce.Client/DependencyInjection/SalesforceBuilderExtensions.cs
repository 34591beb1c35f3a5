using System.Diagnostics.CodeAnalysis;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chained setup on <see cref="ISalesforceBuilder"/>.</summary>
public static class SalesforceBuilderExtensions
{
    /// <summary>
    /// Keeps this connected app's tokens in <typeparamref name="TStore"/> instead of the in-memory default. For the default
    /// app it is the <see cref="ITokenStore"/> service; for a named app a keyed service of that name, an instance of its own.
    /// </summary>
    public static ISalesforceBuilder AddTokenStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this ISalesforceBuilder builder)
        where TStore : class, ITokenStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Name.Length == 0)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<ITokenStore, TStore>());
        }
        else
        {
            builder.Services.RemoveAllKeyed<ITokenStore>(builder.Name);
            builder.Services.AddKeyedSingleton<ITokenStore, TStore>(builder.Name);
        }

        return builder;
    }

    /// <summary>
    /// Customises both HTTP pipelines of this connected app (the REST API and the OAuth token endpoint): add a handler, set a
    /// proxy or a primary handler, and so on. The SDK's own resilience and authentication handlers stay in place. Other apps'
    /// pipelines are not changed.
    /// </summary>
    public static ISalesforceBuilder ConfigureHttpClient(this ISalesforceBuilder builder, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        SalesforceRegistration.ConfigureHttpClients(builder.Services, builder.Name, configure);
        return builder;
    }
}
