using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Configuration;
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
    public static ISalesforceBuilder AddApiGovernance(this ISalesforceBuilder builder) => AddCore(builder, configure: null);

    /// <summary>
    /// Registers <see cref="AddApiGovernance(ISalesforceBuilder)"/> with options set in code.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="configure">Thresholds, caps and the queue timeout.</param>
    public static ISalesforceBuilder AddApiGovernance(this ISalesforceBuilder builder, Action<ApiGovernanceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, configure);
    }

    private static ISalesforceBuilder AddCore(ISalesforceBuilder builder, Action<ApiGovernanceOptions>? configure)
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiGovernanceOptions>, SharedConcurrencyValidator>(
            static sp => new SharedConcurrencyValidator(sp)));
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
    /// Registers <see cref="AddApiGovernance(ISalesforceBuilder)"/> with options bound from
    /// <paramref name="configuration"/> (conventionally the <c>Salesforce:Governance</c> section), by the configuration binding
    /// source generator like <c>AddAtomSalesforce(IConfiguration)</c>: every <see cref="ApiGovernanceOptions"/> property by name
    /// (<c>MaxConcurrentRequests</c>, <c>BackgroundStopThreshold</c>, <c>QueueTimeout</c> as <c>00:00:30</c>, ...); keys absent
    /// keep their defaults. The options reload with the configuration and are validated when the host starts (a value that does
    /// not parse, or breaks a rule, fails start-up naming the option).
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="configuration">The governance's configuration section.</param>
    public static ISalesforceBuilder AddApiGovernance(this ISalesforceBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddApiGovernance(options => configuration.Bind(options));
        // Reload when the configuration does, as OptionsBuilder.Bind would.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<ApiGovernanceOptions>>(
            new ConfigurationChangeTokenSource<ApiGovernanceOptions>(Options.Options.DefaultName, configuration));
        return builder;
    }

    /// <summary>
    /// Counts the API budget in <paramref name="store"/> (shared by every instance that uses the same store) instead of in
    /// memory. Registers <see cref="AddApiGovernance(ISalesforceBuilder)"/> with its defaults when it was not registered.
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
