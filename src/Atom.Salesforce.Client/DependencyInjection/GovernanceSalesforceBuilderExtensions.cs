using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the per-org API budget, priorities and concurrency caps on the SDK's builder.</summary>
public static class GovernanceSalesforceBuilderExtensions
{
    /// <summary>
    /// Governs every Salesforce REST call of every connected app in the container, per org (instance host): a cap on calls in
    /// flight with a queue (interactive calls first, then background ones, each waiting at most
    /// <see cref="ApiGovernanceOptions.QueueTimeout"/>), a lower cap on long-running calls, and a daily API budget that follows
    /// <c>Sforce-Limit-Info</c> and <c>/limits</c>, slows background calls down and stops them before the org runs out, and keeps
    /// a hard reserve. The budget is counted in this process (<see cref="InMemoryApiBudgetStore"/>) unless a shared store is
    /// registered (<c>.AddRedisApiBudget(...)</c>, <c>.AddPostgresApiBudget(...)</c>). Calling it twice registers nothing twice;
    /// the options of each call apply, in order. Refused calls throw a transient <c>SalesforceException</c> with
    /// <c>API_BUDGET_EXHAUSTED</c> or <c>QUEUE_TIMEOUT</c>; nothing was sent.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="configure">Thresholds, caps and the queue timeout; defaults when null.</param>
    public static ISalesforceBuilder AddApiGovernance(this ISalesforceBuilder builder, Action<ApiGovernanceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ApiGovernanceOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiGovernanceOptions>, ApiGovernanceOptionsValidator>(
            static _ => new ApiGovernanceOptionsValidator()));
        services.TryAddSingleton<IApiBudgetStore>(static _ => new InMemoryApiBudgetStore());
        services.TryAddSingleton(static sp => new ApiGovernor(
            sp.GetRequiredService<IApiBudgetStore>(),
            sp.GetRequiredService<IOptionsMonitor<ApiGovernanceOptions>>(),
            sp.GetRequiredService<SalesforceTelemetry>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Atom.Salesforce.Client.Governance")));
        return builder;
    }

    /// <summary>
    /// Counts the API budget in <paramref name="store"/> (shared by every instance that uses the same store) instead of in
    /// memory. Registers <see cref="AddApiGovernance"/> with its defaults when it was not registered.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="store">Makes the store from the container.</param>
    public static ISalesforceBuilder AddApiBudgetStore(this ISalesforceBuilder builder, Func<IServiceProvider, IApiBudgetStore> store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        return builder.AddApiGovernance();
    }
}
