using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The analytics' records read from the mirror (SQL, filters pushed down) are the records read from the org (SOQL, the same
/// filters in WHERE clauses), on the emulator's demo org: same rows, hence the same numbers.
/// </summary>
public sealed class AnalyticsFromMirrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_mirror_data_source_returns_what_the_Salesforce_data_source_returns_with_and_without_filters()
    {
        await using var harness = await MirrorHarness.StartAsync(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = 1 } });
        var app = await harness.AppAsync(o => o.UseChangeEvents = false, pubSub: false);
        var sf = MirrorHarness.Client(app);
        var mirror = app.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");
        await stop.CancelAsync();
        await writer;

        var fromMirror = app.GetRequiredService<ISalesDataSource>();
        var fromOrg = new SalesforceSalesDataSource(sf);
        var owner = (await fromOrg.LoadAsync(SalesDataParts.Opportunities, cancellationToken: Ct)).Opportunities.GroupBy(o => o.OwnerId).OrderByDescending(g => g.Count()).First().Key!;

        // Leads with tasks or events (lead scoring reads one lead and its activities with LeadIds), and one id that is no lead's.
        var scored = (await fromOrg.LoadAsync(SalesDataParts.Activities, cancellationToken: Ct)).Activities
            .Select(a => a.WhoId).OfType<string>().Where(id => id.StartsWith("00Q", StringComparison.Ordinal)).Distinct().Take(3).ToList();
        Assert.NotEmpty(scored);
        SalesDataFilter?[] filters =
        [
            null,
            new SalesDataFilter { OwnerIds = [owner] },
            new SalesDataFilter { CloseDateFrom = new DateOnly(2025, 1, 1), StageNames = ["Prospecting", "Closed Won", "Negotiation/Review"] },
            new SalesDataFilter { CreatedFrom = DateTimeOffset.UtcNow.AddDays(-200), CreatedBefore = DateTimeOffset.UtcNow.AddDays(-20) },
            new SalesDataFilter { LeadIds = [.. scored, "00Q000000000000AAA"] },
        ];
        foreach (var filter in filters)
        {
            var expected = await fromOrg.LoadAsync(SalesDataParts.All | SalesDataParts.UserRoles, filter, Ct);
            var actual = await fromMirror.LoadAsync(SalesDataParts.All | SalesDataParts.UserRoles, filter, Ct);
            Assert.NotEmpty(expected.Opportunities);
            Assert.Equal(Sorted(expected.Opportunities, o => o.Id), Sorted(actual.Opportunities, o => o.Id));
            Assert.Equal(Sorted(expected.OpportunityHistory, h => h.OpportunityId + h.CreatedDate.ToString("O") + h.StageName), Sorted(actual.OpportunityHistory, h => h.OpportunityId + h.CreatedDate.ToString("O") + h.StageName));
            Assert.Equal(Sorted(expected.Leads, l => l.Id), Sorted(actual.Leads, l => l.Id));
            Assert.Equal(Sorted(expected.Accounts, a => a.Id), Sorted(actual.Accounts, a => a.Id));
            Assert.Equal(Sorted(expected.Contacts, c => c.Id), Sorted(actual.Contacts, c => c.Id));
            Assert.Equal(Sorted(expected.Activities, a => a.Id), Sorted(actual.Activities, a => a.Id));
            Assert.Equal(Sorted(expected.Campaigns, c => c.Id), Sorted(actual.Campaigns, c => c.Id));
            Assert.Equal(Sorted(expected.CampaignMembers, m => m.Id), Sorted(actual.CampaignMembers, m => m.Id));
            Assert.Equal(Sorted(expected.Users, u => u.Id), Sorted(actual.Users, u => u.Id));

            // UserRole is mirrored by default (the pack's role-hierarchy rule reads it).
            Assert.NotEmpty(expected.UserRoles);
            Assert.Equal(Sorted(expected.UserRoles, r => r.Id), Sorted(actual.UserRoles, r => r.Id));
            if (filter?.LeadIds is { } leadIds)
            {
                Assert.Equal(scored.Order(StringComparer.Ordinal), actual.Leads.Select(l => l.Id).Order(StringComparer.Ordinal));
                Assert.NotEmpty(actual.Activities);
                Assert.All(actual.Activities, a => Assert.Contains(a.WhoId, leadIds));
            }

            var expectedSet = await fromOrg.LoadOpportunitiesAsync(filter, Ct);
            var actualSet = await fromMirror.LoadOpportunitiesAsync(filter, Ct);
            Assert.Equal(expectedSet.Count, actualSet.Count);
            Assert.Equal(expectedSet.HistoryCount, actualSet.HistoryCount);
            Assert.Equal(expectedSet.Stages, actualSet.Stages);
        }
    }

    private static List<T> Sorted<T>(IEnumerable<T> rows, Func<T, string> key) => [.. rows.OrderBy(key, StringComparer.Ordinal)];
}
