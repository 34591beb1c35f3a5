using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Leads;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.DependencyInjection;

public sealed class AddAnalyticsLeadTests
{
    [Fact]
    public void Registers_one_lead_analytics_and_one_lead_scoring_that_use_the_containers_clock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(LeadSample.Clock());
        services.AddAtomSalesforce(o => o.ClientId = "client").AddAnalytics().AddAnalytics();

        using var provider = services.BuildServiceProvider();
        var analytics = provider.GetRequiredService<LeadAnalytics>();
        var scoring = provider.GetRequiredService<LeadScoring>();

        Assert.Single(services, d => d.ServiceType == typeof(LeadAnalytics));
        Assert.Single(services, d => d.ServiceType == typeof(LeadScoring));
        Assert.Same(analytics, provider.GetRequiredService<LeadAnalytics>());
        Assert.Same(LeadScoringRules.Default, scoring.Rules);
        // The clock decides the ages: with the sample's today L12 is 181 days old.
        Assert.Equal(181, analytics.Analyze(LeadSample.Data()).Stale[0].AgeDays);
    }
}
