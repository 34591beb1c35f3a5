using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.DependencyInjection;
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
}
