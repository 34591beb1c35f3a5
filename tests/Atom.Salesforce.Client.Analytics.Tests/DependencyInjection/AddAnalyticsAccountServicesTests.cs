using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Accounts;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.DependencyInjection;

public sealed class AddAnalyticsAccountServicesTests
{
    [Fact]
    public void Registers_the_account_performance_and_scoring_services_once_with_the_containers_clock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(AccountSample.Clock());
        services.AddAtomSalesforce(o => o.ClientId = "client").AddAnalytics().AddAnalytics();

        using var provider = services.BuildServiceProvider();

        foreach (var type in new[] { typeof(AccountAnalytics), typeof(PerformanceAnalytics), typeof(AccountScoring), typeof(NextBestActions) })
        {
            Assert.Single(services, d => d.ServiceType == type);
            Assert.Same(provider.GetRequiredService(type), provider.GetRequiredService(type));
        }

        // The sample's today puts A1's last activity 10 days back.
        var report = provider.GetRequiredService<AccountAnalytics>().Analyze(AccountSample.Data());
        Assert.Equal(10, report.Accounts.Single(a => a.AccountId == "A1").Engagement.DaysSinceLastActivity);
    }

    [Fact]
    public void A_subclass_registered_first_replaces_the_service_as_a_test_double_would()
    {
        var services = new ServiceCollection();
        var fake = new FixedScoring();
        services.AddSingleton<AccountScoring>(fake);
        services.AddAtomSalesforce(o => o.ClientId = "client").AddAnalytics();

        using var provider = services.BuildServiceProvider();

        Assert.Same(fake, provider.GetRequiredService<AccountScoring>());
        Assert.Empty(provider.GetRequiredService<AccountScoring>().ScoreContacts(AccountSample.Data()));
    }

    private sealed class FixedScoring : AccountScoring
    {
        public override IReadOnlyList<ContactEngagementScore> ScoreContacts(Client.Analytics.Data.SalesData data) => [];
    }
}
