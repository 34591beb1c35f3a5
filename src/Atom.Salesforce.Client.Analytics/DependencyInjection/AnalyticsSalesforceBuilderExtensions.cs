using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Duplicates;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the analytics on the SDK's builder.</summary>
public static class AnalyticsSalesforceBuilderExtensions
{
    /// <summary>
    /// Registers every analytics service as a singleton: <see cref="PipelineAnalytics"/>, <see cref="LeadAnalytics"/>,
    /// <see cref="LeadScoring"/> (default rules), <see cref="WinProbabilityScoring"/>, <see cref="DuplicateDetector"/>,
    /// <see cref="AccountAnalytics"/>, <see cref="PerformanceAnalytics"/>, <see cref="AccountScoring"/> and
    /// <see cref="NextBestActions"/>, using the container's <see cref="TimeProvider"/> (the system
    /// clock when there is none). Calling it twice registers nothing twice.
    /// </summary>
    public static ISalesforceBuilder AddAnalytics(this ISalesforceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(static sp => new PipelineAnalytics(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(static sp => new LeadAnalytics(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(static sp => new LeadScoring(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(static sp => new WinProbabilityScoring(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<DuplicateDetector>();
        builder.Services.TryAddSingleton(static sp => new AccountAnalytics(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(static sp => new PerformanceAnalytics(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(static sp => new AccountScoring(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(static sp => new NextBestActions(sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
