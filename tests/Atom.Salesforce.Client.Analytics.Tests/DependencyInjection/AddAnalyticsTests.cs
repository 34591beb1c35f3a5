using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Tests.Pipeline;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.DependencyInjection;

public sealed class AddAnalyticsTests
{
    [Fact]
    public void Registers_one_pipeline_analytics_that_uses_the_containers_clock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(PipelineSample.Clock());
        services.AddAtomSalesforce(o => o.ClientId = "client").AddAnalytics().AddAnalytics();

        using var provider = services.BuildServiceProvider();
        var analytics = provider.GetRequiredService<PipelineAnalytics>();

        Assert.Single(services, d => d.ServiceType == typeof(PipelineAnalytics));
        Assert.Same(analytics, provider.GetRequiredService<PipelineAnalytics>());
        // The clock decides "overdue": with the sample's today O2 is 10 days overdue.
        Assert.Equal(10, analytics.Analyze(PipelineSample.Set()).AtRisk[0].DaysOverdue);
    }

    [Fact]
    public void A_null_builder_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => AnalyticsSalesforceBuilderExtensions.AddAnalytics(null!));
    }
}
