using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Mirror;
using Atom.Salesforce.Client.Mirror.Analytics;
using Atom.Salesforce.Client.Mirror.DependencyInjection;
using Atom.Salesforce.Client.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the PostgreSQL mirror of the org to <c>AddAtomSalesforce(...)</c>.</summary>
public static class MirrorSalesforceBuilderExtensions
{
    /// <summary>
    /// Registers the PostgreSQL mirror of the org the integration login (<see cref="MirrorOptions.UserId"/>) belongs to:
    /// <see cref="SalesforceMirror"/>, its writer as a hosted service (unless <see cref="MirrorOptions.RunWriter"/> is false),
    /// <see cref="MirrorHealthCheck"/> (add it with <c>AddHealthChecks().AddCheck&lt;MirrorHealthCheck&gt;("salesforce-mirror")</c>),
    /// and <see cref="ISalesDataSource"/> reading the mirror with SQL. Keep objects current with change events by also calling
    /// <c>AddPubSub()</c>. Options are checked here, before the app starts.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforce</c> returned.</param>
    /// <param name="configure">The login, database, objects and intervals.</param>
    /// <returns>The builder, to chain on.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static ISalesforceBuilder AddAtomSalesforceMirror(this ISalesforceBuilder builder, Action<MirrorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MirrorOptions();
        configure(options);
        options.Validate();
        var name = builder.Name;
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp =>
        {
            var dataSource = options.ConnectionString is { } connectionString
                ? NpgsqlDataSource.Create(connectionString)
                : sp.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException("AddAtomSalesforceMirror needs MirrorOptions.ConnectionString or an NpgsqlDataSource in the container.");
            var clients = name.Length == 0 ? sp.GetRequiredService<ISalesforceClientFactory>() : sp.GetRequiredKeyedService<ISalesforceClientFactory>(name);
            var pubSub = name.Length == 0 ? sp.GetService<IPubSubClientFactory>() : sp.GetKeyedService<IPubSubClientFactory>(name);
            var logger = (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger("Atom.Salesforce.Client.Mirror") ?? NullLogger.Instance;
            return new MirrorServices(dataSource, new SalesforceMirror(
                () => options.Username is null ? clients.ForUser(options.UserId) : clients.ForUser(options.UserId, options.Username),
                () => pubSub is null ? null : options.Username is null ? pubSub.ForUser(options.UserId) : pubSub.ForUser(options.UserId, options.Username),
                dataSource, options, sp.GetRequiredService<TimeProvider>(), logger), options);
        });
        builder.Services.TryAddSingleton(static sp => sp.GetRequiredService<MirrorServices>().Mirror);
        builder.Services.TryAddSingleton(static sp => new MirrorHealthCheck(sp.GetRequiredService<SalesforceMirror>(), sp.GetRequiredService<MirrorServices>().Options, sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<ISalesDataSource>(static sp => new MirrorSalesDataSource(sp.GetRequiredService<MirrorServices>().DataSource, sp.GetRequiredService<SalesforceMirror>(), sp.GetRequiredService<MirrorServices>().Options.ReadCacheEntries));
        if (options.RunWriter)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MirrorHostedService>(static sp => new MirrorHostedService(sp.GetRequiredService<SalesforceMirror>())));
        }

        return builder;
    }
}
