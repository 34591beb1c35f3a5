using System.Text.Json;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
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
/// The pack on the mirror with the mirror's default objects (UserRole among them): <c>leads/score</c> reads the lead, its
/// activities and the training leads from the mirror as the analytics routes do (no Salesforce API call; a lead the user does
/// not see is not found), and a user whose org is not the mirror's (a sandbox keeps its production org's user ids) is served
/// from Salesforce with their own token, never from this org's mirror.
/// </summary>
public sealed class MirrorOrgAndLeadScoreTests
{
    private const string Seller = "seller";
    private const string Stranger = "stranger";
    private const string OtherOrg = "00D5g000000AbCdEAG";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lead_scores_come_from_the_mirror_with_no_API_call_and_a_user_of_another_org_is_served_from_Salesforce()
    {
        var schema = "mo_" + Guid.NewGuid().ToString("N")[..20];
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = 0.2 } });
        await using var host = await MirrorPackHost.StartAsync(emulator, schema);
        try
        {
            var sf = host.Services.GetRequiredService<ISalesforceClientFactory>().ForUser(PackHost.Alice);
            var org = new SalesforceSalesDataSource(sf);
            var data = await org.LoadAsync(SalesDataParts.Leads | SalesDataParts.Activities, cancellationToken: Ct);

            // The seller owns leads; one of them has activities, all the seller's (so the seller's view of it is the org's).
            var seller = data.Leads.GroupBy(l => l.OwnerId).OrderByDescending(g => g.Count()).First().Key!;
            var activities = data.Activities.Where(a => a.WhoId is not null).ToLookup(a => a.WhoId!);
            var lead = data.Leads.Where(l => l.OwnerId == seller && activities[l.Id].All(a => a.OwnerId == seller))
                .OrderByDescending(l => activities[l.Id].Count()).First();
            var hidden = data.Leads.First(l => l.OwnerId != seller);

            var mirror = await MirrorPackHost.LoadOnceAsync(host, Ct);

            Assert.Contains((await mirror.GetStatusAsync(Ct)), s => s.ObjectName == "UserRole"); // a default object

            // The seller in the mirror's org; the stranger is the same user id in another org (a sandbox copy of production).
            foreach (var (user, organization) in new[] { (Seller, "00DHs0000000001MAA"), (Stranger, OtherOrg) })
            {
                await host.TokenStore.SaveAsync(user, new SalesforceToken(emulator.Options.AccessToken!, emulator.InstanceUrl, DateTimeOffset.UtcNow)
                {
                    IdentityUrl = new Uri(emulator.InstanceUrl, $"/id/{organization}/{seller}"),
                }, Ct);
            }

            // The score Salesforce gives: the rules on the lead and its activities.
            var expected = await new LeadScoring().ScoreAsync(sf, lead.Id, cancellationToken: Ct);
            await EmulatorStats.ClearAsync(emulator, Ct);
            var scored = (await host.PostAsync("leads/score", Seller, new { lead_id = lead.Id })).Data;
            Assert.Equal(lead.Id, scored.GetProperty("lead_id").GetString());
            Assert.Equal(expected.Rules.Score, scored.GetProperty("rules").GetProperty("score").GetDouble(), 9);
            Assert.Equal(
                expected.Rules.Reasons.Select(r => r.Factor).ToArray(),
                scored.GetProperty("rules").GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("factor").GetString()).ToArray());
            if (scored.GetProperty("model").ValueKind == JsonValueKind.Object)
            {
                Assert.InRange(scored.GetProperty("model").GetProperty("probability").GetDouble(), 0, 1);
            }

            // A lead another user owns is not one the seller sees: not found, as Salesforce answers for a record out of sight.
            (await host.PostAsync("leads/score", Seller, new { lead_id = hidden.Id })).AssertError(404, "NOT_FOUND");

            // Served from the mirror: training, the lead and its activities, the org check: not one request reached Salesforce.
            foreach (var route in new[] { "analytics/pipeline", "analytics/leads" })
            {
                Assert.Equal(JsonValueKind.Object, (await host.PostAsync(route, Seller, new { })).Data.ValueKind);
            }

            Assert.Equal(0, await EmulatorStats.SalesforceRequestsAsync(emulator, Ct));

            // The stranger's user id is a row of the mirror's User table, but the org is not the mirror's: Salesforce serves them.
            var strangers = (await host.PostAsync("analytics/leads", Stranger, new { })).Data;
            Assert.True(await EmulatorStats.SalesforceRequestsAsync(emulator, Ct) > 0, "the other org's user was served from Salesforce");
            Assert.Equal(data.Leads.Count, strangers.GetProperty("total").GetProperty("leads").GetInt32()); // what their token sees, not the seller's share of the mirror
            Assert.Contains(host.Logs.Lines, l => l.Contains("the user's org is not the org the mirror holds", StringComparison.Ordinal));
        }
        finally
        {
            await MirrorPackHost.DropSchemaAsync(schema);
        }
    }
}
