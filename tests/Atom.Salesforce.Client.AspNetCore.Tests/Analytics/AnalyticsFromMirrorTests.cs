using System.Text.Json;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Mirror;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Analytics;

/// <summary>
/// The analytics routes on the PostgreSQL mirror (<c>AnalyticsFromMirror</c>): each user sees the records they own and those of
/// the users below their role (Salesforce's role hierarchy, set up in the emulated org), never the mirror's whole org; a route
/// served from the mirror makes no Salesforce API call (the emulator's request log and its API usage count); a login the rule cannot place is served
/// from Salesforce with its own token.
/// </summary>
public sealed class AnalyticsFromMirrorTests
{
    private const string Manager = "manager";
    private const string Rep = "rep";
    private const string Peer = "peer";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_user_sees_their_own_and_their_role_hierarchy_records_and_the_routes_make_no_API_call()
    {
        var schema = "mp_" + Guid.NewGuid().ToString("N")[..20];
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = 0.2 } });
        await using var host = await MirrorPackHost.StartAsync(emulator, schema);
        try
        {
            var sf = host.Services.GetRequiredService<ISalesforceClientFactory>().ForUser(PackHost.Alice);

            // Three owners of deals: a manager, a rep in a role below the manager's, and a peer in a sibling role.
            var owners = new List<string>();
            await foreach (var row in sf.Query.QueryAsync<SObject>("SELECT OwnerId, COUNT(Id) n FROM Opportunity GROUP BY OwnerId ORDER BY COUNT(Id) DESC", cancellationToken: Ct))
            {
                owners.Add(row.Get<string>("OwnerId")!);
            }

            Assert.True(owners.Count >= 3, "the demo org has at least three deal owners");
            var (managerId, repId, peerId) = (owners[0], owners[1], owners[2]);
            string? ceo = null;
            await foreach (var role in sf.Query.QueryAsync<SObject>("SELECT Id FROM UserRole WHERE ParentRoleId = null", cancellationToken: Ct))
            {
                ceo = role.Id;
            }

            var managerRole = await sf.SObjects.CreateAsync("UserRole", new SObject("UserRole") { ["Name"] = "Sales Manager", ["ParentRoleId"] = ceo }, Ct);
            var repRole = await sf.SObjects.CreateAsync("UserRole", new SObject("UserRole") { ["Name"] = "Sales Rep", ["ParentRoleId"] = managerRole }, Ct);
            var peerRole = await sf.SObjects.CreateAsync("UserRole", new SObject("UserRole") { ["Name"] = "Partner Manager", ["ParentRoleId"] = ceo }, Ct);
            await sf.SObjects.UpdateAsync("User", managerId, new SObject("User") { ["UserRoleId"] = managerRole }, Ct);
            await sf.SObjects.UpdateAsync("User", repId, new SObject("User") { ["UserRoleId"] = repRole }, Ct);
            await sf.SObjects.UpdateAsync("User", peerId, new SObject("User") { ["UserRoleId"] = peerRole }, Ct);

            // The mirror loaded once (its writer stopped), then each app user connected with their Salesforce identity.
            var mirror = await MirrorPackHost.LoadOnceAsync(host, Ct);

            foreach (var (user, id) in new[] { (Manager, managerId), (Rep, repId), (Peer, peerId) })
            {
                await host.TokenStore.SaveAsync(user, new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, DateTimeOffset.UtcNow)
                {
                    IdentityUrl = new Uri(emulator.InstanceUrl, $"/id/00DHs0000000001MAA/{id}"),
                }, Ct);
            }

            // The same report Salesforce gives for the owners the rule allows: the rep alone; the manager with the rep.
            var analytics = new PipelineAnalytics();
            foreach (var (user, visible) in new[] { (Rep, new[] { repId }), (Manager, new[] { managerId, repId }), (Peer, new[] { peerId }) })
            {
                var expected = await analytics.AnalyzeAsync(sf, new PipelineQuery { Owners = visible, GroupBy = PipelineDimension.Owner }, Ct);
                Assert.True(expected.Count > 0);
                var data = (await host.PostAsync("analytics/pipeline", user, new { group_by = "owner" })).Data;
                Assert.Equal(expected.Count, data.GetProperty("count").GetInt32());
                Assert.Equal(expected.OpenCount, data.GetProperty("open_count").GetInt32());
                Assert.Equal(expected.WonCount, data.GetProperty("won_count").GetInt32());
                Assert.Equal(expected.OpenAmount, data.GetProperty("open_amount").GetDouble(), 6);
                Assert.Equal(expected.WeightedAmount, data.GetProperty("weighted_amount").GetDouble(), 6);
                var keys = data.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToList();
                Assert.All(keys, k => Assert.Contains(k, visible));
                Assert.All(data.GetProperty("groups").EnumerateArray(), g => Assert.False(string.IsNullOrEmpty(g.GetProperty("owner_name").GetString())));

                // An owner filter outside what the user may see selects nothing rather than widening the scope.
                var outside = (await host.PostAsync("analytics/pipeline", user, new { filters = new { owners = new[] { owners.First(o => !visible.Contains(o)) } } })).Data;
                Assert.Equal(0, outside.GetProperty("count").GetInt32());
            }

            // The manager's lead report counts only the leads the manager and the rep own.
            var leads = 0;
            await foreach (var row in sf.Query.QueryAsync<SObject>($"SELECT COUNT(Id) n FROM Lead WHERE OwnerId IN ('{managerId}', '{repId}')", cancellationToken: Ct))
            {
                leads = row.Get<int>("n");
            }

            var leadReport = (await host.PostAsync("analytics/leads", Manager, new { })).Data;
            Assert.Equal(leads, leadReport.GetProperty("total").GetProperty("leads").GetInt32());

            // Served from the mirror: not one request reaches Salesforce, for any analytics route, and the org's API usage (what
            // /limits reports as used, the emulator's count of the calls it served) does not move.
            await EmulatorStats.ClearAsync(emulator, Ct);
            var used = await EmulatorStats.ApiUsageAsync(emulator, Ct);
            foreach (var route in new[] { "analytics/pipeline", "analytics/leads", "analytics/accounts", "analytics/performance" })
            {
                var reply = await host.PostAsync(route, Manager, new { });
                Assert.Equal(JsonValueKind.Object, reply.Data.ValueKind);
            }

            Assert.Equal(used, await EmulatorStats.ApiUsageAsync(emulator, Ct));
            Assert.Equal(0, await EmulatorStats.SalesforceRequestsAsync(emulator, Ct));
            used = await EmulatorStats.ApiUsageAsync(emulator, Ct);

            // Alice's stored login has no identity URL: the rule cannot place her, so she is served from Salesforce with her own
            // token (what her token sees), not from the mirror org-wide.
            var alice = (await host.PostAsync("analytics/pipeline", PackHost.Alice, new { })).Data;
            Assert.True(await EmulatorStats.ApiUsageAsync(emulator, Ct) > used);
            Assert.True(await EmulatorStats.SalesforceRequestsAsync(emulator, Ct) > 0);
            Assert.Equal((await analytics.AnalyzeAsync(sf, null, Ct)).Count, alice.GetProperty("count").GetInt32());
        }
        finally
        {
            await MirrorPackHost.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task Opting_in_without_a_data_source_stops_the_host_from_mapping_the_routes()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PackHost.StartAsync(o => o.AnalyticsFromMirror = true));
        Assert.Contains("AddAtomSalesforceMirror", error.Message, StringComparison.Ordinal);
    }
}
