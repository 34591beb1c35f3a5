using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres;
using Atom.Salesforce.Client.Postgres.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL token store on the SDK's builder.</summary>
public static class PostgresSalesforceBuilderExtensions
{
    /// <summary>
    /// Keeps tokens in PostgreSQL at <paramref name="connectionString"/>. The other settings, the encryption keys first, are
    /// bound from the <c>Salesforce:TokenStore</c> configuration section when the application has an <c>IConfiguration</c>.
    /// </summary>
    /// <remarks>
    /// On a named connected app's builder (<c>AddAtomSalesforce("partner-org", ...)</c>) the store is that app's alone: its
    /// connection string must set <c>Search Path</c> to a schema of its own (created by the migrations when missing), which
    /// holds the documented tables for that app; start-up fails, naming the app, when it does not.
    /// </remarks>
    public static ISalesforceBuilder AddPostgresTokenStore(this ISalesforceBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return AddCore(builder, bindDefaultSection: true, o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps tokens in PostgreSQL with settings from the <c>Salesforce:TokenStore</c> configuration section (when the
    /// application has an <c>IConfiguration</c>) and then from <paramref name="configure"/>. Without a
    /// <see cref="PostgresTokenStoreOptions.ConnectionString"/>, the <c>NpgsqlDataSource</c> registered in the container is used.
    /// </summary>
    /// <remarks>
    /// On a named connected app's builder (<c>AddAtomSalesforce("partner-org", ...)</c>) the store is that app's alone: its
    /// connection string must set <c>Search Path</c> to a schema of its own (created by the migrations when missing), which
    /// holds the documented tables for that app; start-up fails, naming the app, when it does not.
    /// </remarks>
    public static ISalesforceBuilder AddPostgresTokenStore(this ISalesforceBuilder builder, Action<PostgresTokenStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, bindDefaultSection: true, configure);
    }

    /// <summary>
    /// Keeps tokens in PostgreSQL with settings bound from <paramref name="configuration"/> (a section shaped like
    /// <c>Salesforce:TokenStore</c>: <c>ConnectionString</c>, <c>MigrateOnStart</c>, <c>Encryption:CurrentKeyId</c>,
    /// <c>Encryption:Keys:*</c>, …). Without a connection string, the <c>NpgsqlDataSource</c> registered in the container is used.
    /// </summary>
    /// <remarks>
    /// On a named connected app's builder (<c>AddAtomSalesforce("partner-org", ...)</c>) the store is that app's alone: its
    /// connection string must set <c>Search Path</c> to a schema of its own (created by the migrations when missing), which
    /// holds the documented tables for that app; start-up fails, naming the app, when it does not.
    /// </remarks>
    public static ISalesforceBuilder AddPostgresTokenStore(this ISalesforceBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, bindDefaultSection: false, options => configuration.Bind(options));
    }

    private static ISalesforceBuilder AddCore(ISalesforceBuilder builder, bool bindDefaultSection, Action<PostgresTokenStoreOptions> configure)
    {
        if (builder.Name.Length != 0)
        {
            AddNamed(builder.Services, builder.Name, bindDefaultSection, configure);
            return builder;
        }

        PostgresTokenStoreServices.Add(builder.Services, bindDefaultSection, configure);
        return builder;
    }

    /// <summary>
    /// A named connected app's store: its named options (the <c>Salesforce:TokenStore</c> section first, as for the default
    /// app, so the encryption keys can be shared, then the caller's settings), validated at start, and a store of its own
    /// (<see cref="NamedPostgresTokenStore"/>) as the app's keyed <see cref="ITokenStore"/>.
    /// </summary>
    private static void AddNamed(IServiceCollection services, string name, bool bindDefaultSection, Action<PostgresTokenStoreOptions> configure)
    {
        if (bindDefaultSection)
        {
            services.AddSingleton<IConfigureOptions<PostgresTokenStoreOptions>>(sp =>
                new ConfigureNamedOptions<PostgresTokenStoreOptions>(name, o =>
                    sp.GetService<IConfiguration>()?.GetSection(PostgresTokenStoreOptions.DefaultSectionName).Bind(o)));
        }

        services.AddOptions<PostgresTokenStoreOptions>(name).Configure(configure).ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(NamedPostgresTokenStore.NamedStoreMarker) && d.ImplementationInstance is NamedPostgresTokenStore.NamedStoreMarker m && m.Name == name))
        {
            return;
        }

        services.AddSingleton(new NamedPostgresTokenStore.NamedStoreMarker(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresTokenStoreOptions>, PostgresTokenStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresTokenStoreOptions>, NamedPostgresTokenStore.Validator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(name, static (sp, key) => new NamedPostgresTokenStore(
            sp.GetRequiredService<IOptionsMonitor<PostgresTokenStoreOptions>>().Get((string)key!),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.RemoveAllKeyed<ITokenStore>(name);
        services.AddKeyedSingleton<ITokenStore>(name, static (sp, key) => sp.GetRequiredKeyedService<NamedPostgresTokenStore>(key).Store);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<NamedPostgresTokenStore>(name));
    }
}
