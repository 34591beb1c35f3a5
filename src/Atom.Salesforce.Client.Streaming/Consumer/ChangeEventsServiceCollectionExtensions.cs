using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the hosted change event consumer.</summary>
public static class ChangeEventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a hosted service that subscribes to the change events of every object given a handler
    /// (<c>.AddHandler&lt;Opportunity, OpportunityHandler&gt;("Opportunity")</c>) and delivers them, in order, at least once:
    /// an event's replay id is committed only after its handler succeeded (or the event went to the dead letter). Replay ids
    /// and the subscriber lease are kept in memory (one instance); <c>.UsePostgres()</c> keeps them in PostgreSQL so that one
    /// instance of several is the active subscriber of each topic and another takes over when it stops.
    /// Events come from the Pub/Sub API client of the app named by <see cref="ChangeEventsOptions.AppName"/>, which must have
    /// <c>AddPubSub()</c>, as the <see cref="ChangeEventsOptions.UserId"/> user. Options are validated when the host starts.
    /// </summary>
    public static IChangeEventsBuilder AddAtomSalesforceChangeEvents(this IServiceCollection services, Action<ChangeEventsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ChangeEventsOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeEventsOptions>, ChangeEventsOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReplayStore, MemoryReplayStore>();
        services.TryAddSingleton<IChangeEventLeaseProvider, InProcessLeaseProvider>();
        services.TryAddSingleton<ChangeEventsStatus>(static _ => new ChangeEventsStatus());
        services.TryAddSingleton<ConsumerTelemetry>();
        services.TryAddSingleton<IChangeEventSource, PubSubEventSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChangeEventsHostedService>());
        return new ChangeEventsBuilder(services);
    }
}
