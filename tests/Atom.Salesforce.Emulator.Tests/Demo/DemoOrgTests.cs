using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Tests.Demo;

/// <summary>The default demo org (scale 1): its size, its integrity, and the patterns analytics are meant to find.</summary>
public sealed class DemoOrgTests(ScaleOneDemoOrg demo) : IClassFixture<ScaleOneDemoOrg>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DemoOrgs.Clock.UtcDateTime);

    private readonly SalesforceEmulator _org = demo.Emulator;

    [Fact]
    public void Scale_one_has_the_documented_counts()
    {
        var users = _org.Records("User");
        var converted = _org.Records("Lead").Count(l => l["IsConverted"] is true);

        Assert.Equal(500, _org.Records("Account").Count);
        Assert.Equal(2_000, _org.Records("Contact").Count);
        Assert.Equal(3_000, _org.Records("Lead").Count);
        Assert.Equal(2_500, _org.Records("Opportunity").Count);
        Assert.Equal(7_000, _org.Records("Task").Count);
        Assert.Equal(3_000, _org.Records("Event").Count);
        Assert.Equal(26, _org.Records("Campaign").Count);
        Assert.InRange(users.Count(u => (string?)u["Department"] == "Sales"), 18, 24);
        Assert.InRange(_org.Records("OpportunityHistory").Count, 2_500 * 3, 2_500 * 8);
        Assert.InRange(_org.Records("OpportunityContactRole").Count, 2_500, 2_500 * 3);
        Assert.InRange(_org.Records("CampaignMember").Count, 500, 4_000);
        Assert.InRange(converted, 300, 900);
    }

    [Fact]
    public void Every_reference_points_at_an_existing_record()
    {
        var accounts = _org.ById("Account");
        var contacts = _org.ById("Contact");
        var opportunities = _org.ById("Opportunity");
        var users = _org.ById("User");
        var leads = _org.ById("Lead");

        Assert.All(contacts.Values, c => Assert.Contains((string)c["AccountId"]!, accounts.Keys));
        Assert.All(opportunities.Values, o => Assert.Contains((string)o["AccountId"]!, accounts.Keys));
        Assert.All(accounts.Values.Where(a => a["ParentId"] is not null), a => Assert.Contains((string)a["ParentId"]!, accounts.Keys));
        Assert.InRange(accounts.Values.Count(a => a["ParentId"] is not null), 10, 100);
        Assert.All(users.Values.Where(u => (string?)u["Title"] is "Account Executive" or "Senior Account Executive"), u => Assert.Contains((string)u["ManagerId"]!, users.Keys));
        Assert.All(_org.Records("OpportunityContactRole"), r =>
        {
            var opportunity = opportunities[(string)r["OpportunityId"]!];
            Assert.Equal(opportunity["AccountId"], contacts[(string)r["ContactId"]!]["AccountId"]);
        });
        Assert.All(_org.Records("Task").Concat(_org.Records("Event")), a =>
        {
            var who = (string)a["WhoId"]!;
            Assert.True(contacts.ContainsKey(who) || leads.ContainsKey(who));
            Assert.True(a["WhatId"] is null || accounts.ContainsKey((string)a["WhatId"]!) || opportunities.ContainsKey((string)a["WhatId"]!));
            Assert.Contains((string)a["OwnerId"]!, users.Keys);
        });
    }

    [Fact]
    public void Converted_leads_point_at_the_account_contact_and_opportunity_they_became()
    {
        var accounts = _org.ById("Account");
        var contacts = _org.ById("Contact");
        var opportunities = _org.ById("Opportunity");
        var leads = _org.Records("Lead");
        var converted = leads.Where(l => l["IsConverted"] is true).ToList();

        Assert.All(converted, lead =>
        {
            Assert.Equal("Closed - Converted", lead["Status"]);
            var day = Assert.IsType<DateOnly>(lead["ConvertedDate"]);
            Assert.True(day >= DateOnly.FromDateTime(((DateTimeOffset)lead["CreatedDate"]!).UtcDateTime));
            var account = accounts[(string)lead["ConvertedAccountId"]!];
            Assert.Equal(lead["Company"], account["Name"]);
            Assert.Equal(account.Id, contacts[(string)lead["ConvertedContactId"]!]["AccountId"]);
            if (lead["ConvertedOpportunityId"] is string opportunityId)
            {
                Assert.Equal(account.Id, opportunities[opportunityId]["AccountId"]);
                Assert.Equal(lead["LeadSource"], opportunities[opportunityId]["LeadSource"]);
            }
        });
        Assert.True(converted.Count(l => l["ConvertedOpportunityId"] is not null) > converted.Count * 3 / 4);
        Assert.All(leads.Where(l => l["IsConverted"] is false), l => Assert.NotEqual("Closed - Converted", l["Status"]));
        Assert.Equal(
            ["Closed - Converted", "Closed - Not Converted", "Open - Not Contacted", "Working - Contacted"],
            leads.Select(l => (string)l["Status"]!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_opportunity_has_dated_history_ending_in_its_current_state()
    {
        var history = _org.Records("OpportunityHistory").GroupBy(h => (string)h["OpportunityId"]!).ToDictionary(g => g.Key, g => g.ToList());

        Assert.All(_org.Records("Opportunity"), opportunity =>
        {
            var rows = history[opportunity.Id];
            var dates = rows.Select(h => (DateTimeOffset)h["CreatedDate"]!).ToList();
            Assert.Equal(dates.Order(), dates);
            Assert.Equal(opportunity["CreatedDate"], dates[0]);
            Assert.True(dates[^1] <= DemoOrgs.Clock);
            Assert.Equal(opportunity["LastModifiedDate"], dates[^1]);
            var last = rows[^1];
            Assert.Equal((opportunity["StageName"], opportunity["Amount"], opportunity["CloseDate"], opportunity["Probability"], opportunity["ForecastCategory"]),
                (last["StageName"], last["Amount"], last["CloseDate"], last["Probability"], last["ForecastCategory"]));
            if (opportunity["IsClosed"] is true)
            {
                Assert.True(rows.Count >= 2);
                Assert.Equal(DateOnly.FromDateTime(dates[^1].UtcDateTime), opportunity["CloseDate"]);
            }
        });
    }

    [Fact]
    public void Records_and_their_changes_are_made_by_their_owners_not_the_admin()
    {
        var opportunities = _org.ById("Opportunity");

        Assert.All(opportunities.Values, o => Assert.Equal((o["OwnerId"], o["OwnerId"]), (o["CreatedById"], o["LastModifiedById"])));
        Assert.All(_org.Records("OpportunityHistory"), h => Assert.Equal(opportunities[(string)h["OpportunityId"]!]["OwnerId"], h["CreatedById"]));
        Assert.All(_org.Records("Lead").Where(l => l["Status"] is not "Open - Not Contacted"), l => Assert.Equal(l["OwnerId"], l["LastModifiedById"]));
        Assert.DoesNotContain(_org.Records("Account"), a => Equals(a["CreatedById"], _org.Org.AdminUserId));
    }

    [Fact]
    public void Records_are_dated_over_the_two_years_before_the_clock_and_ids_grow_with_time()
    {
        var from = DemoOrgs.Clock.AddDays(-730);
        foreach (var objectName in new[] { "Account", "Contact", "Lead", "Opportunity", "OpportunityHistory", "Task", "Event", "Campaign", "CampaignMember" })
        {
            var records = _org.Records(objectName);
            var created = records.Select(r => (DateTimeOffset)r["CreatedDate"]!).ToList();

            Assert.All(records, r => Assert.InRange((DateTimeOffset)r["CreatedDate"]!, from, DemoOrgs.Clock));
            Assert.All(records, r => Assert.InRange((DateTimeOffset)r["LastModifiedDate"]!, (DateTimeOffset)r["CreatedDate"]!, DemoOrgs.Clock));
            Assert.Equal(created.Order(), created);
            Assert.True(created.Count(c => c < from.AddDays(365)) > created.Count / 5, objectName);
        }
    }

    [Fact]
    public void Win_rates_differ_by_lead_source_and_industry()
    {
        var accounts = _org.ById("Account");
        var closed = _org.Records("Opportunity").Where(o => o["IsClosed"] is true).ToList();
        double WinRate(IEnumerable<StoredRecord> deals) => deals.Average(o => o["IsWon"] is true ? 1.0 : 0.0);

        var bySource = closed.GroupBy(o => (string)o["LeadSource"]!).ToDictionary(g => g.Key, g => WinRate(g));
        var byIndustry = closed.GroupBy(o => (string)accounts[(string)o["AccountId"]!]["Industry"]!).Where(g => g.Count() >= 100).ToDictionary(g => g.Key, g => WinRate(g));

        Assert.Equal(5, bySource.Count);
        Assert.True(bySource["Partner Referral"] > 2 * bySource["Purchased List"], string.Join(", ", bySource));
        Assert.True(bySource["Partner Referral"] > bySource["Web"]);
        Assert.True(byIndustry.Values.Max() > byIndustry.Values.Min() + 0.1, string.Join(", ", byIndustry));
        Assert.InRange(WinRate(closed), 0.15, 0.45);
    }

    [Fact]
    public void Lead_conversion_differs_by_source_and_rating()
    {
        var leads = _org.Records("Lead");
        double Conversion(IEnumerable<StoredRecord> group) => group.Average(l => l["IsConverted"] is true ? 1.0 : 0.0);

        var bySource = leads.GroupBy(l => (string)l["LeadSource"]!).ToDictionary(g => g.Key, g => Conversion(g));
        var byRating = leads.GroupBy(l => (string)l["Rating"]!).ToDictionary(g => g.Key, g => Conversion(g));

        Assert.True(bySource["Partner Referral"] > 3 * bySource["Purchased List"], string.Join(", ", bySource));
        Assert.True(byRating["Hot"] > byRating["Warm"] && byRating["Warm"] > byRating["Cold"], string.Join(", ", byRating));
    }

    [Fact]
    public void Deal_sizes_are_log_normal_with_the_median_well_below_the_mean()
    {
        var amounts = _org.Records("Opportunity").Select(o => (double)(decimal)o["Amount"]!).Order().ToList();
        var median = amounts[amounts.Count / 2];
        var logs = amounts.Select(a => Math.Log(a)).ToList();
        var logMean = logs.Average();
        var logSpread = Math.Sqrt(logs.Average(l => (l - logMean) * (l - logMean)));

        Assert.True(median < 0.75 * amounts.Average(), $"median {median}, mean {amounts.Average()}");
        Assert.InRange(Math.Abs(Math.Log(median) - logMean), 0, 0.2);
        Assert.InRange(logSpread, 0.7, 1.4);
        Assert.True(amounts[^1] > 10 * median);
    }

    [Fact]
    public void The_open_pipeline_sits_in_every_open_stage_mostly_with_future_close_dates()
    {
        var open = _org.Records("Opportunity").Where(o => o["IsClosed"] is false).ToList();

        Assert.InRange(open.Count, 150, 600);
        Assert.Equal(8, open.Select(o => o["StageName"]).Distinct().Count());
        Assert.True(open.Count(o => (DateOnly)o["CloseDate"]! >= Today) > open.Count * 3 / 4);
        Assert.Contains(open, o => (DateOnly)o["CloseDate"]! < Today);
        Assert.All(_org.Records("Opportunity").Where(o => o["IsClosed"] is true), o => Assert.True((DateOnly)o["CloseDate"]! <= Today));
    }

    [Fact]
    public void Reps_call_the_forecast_and_sometimes_move_probability_off_the_stage_default()
    {
        var deals = _org.Records("Opportunity");
        var open = deals.Where(o => o["IsClosed"] is false).ToList();
        var defaults = Schema.StandardObjects.Stages.ToDictionary(s => s.Name, s => (decimal)s.Probability);
        double Share(string[] stages, string category)
        {
            var inStages = open.Where(o => stages.Contains((string)o["StageName"]!)).ToList();
            return (double)inStages.Count(o => (string?)o["ForecastCategoryName"] == category) / inStages.Count;
        }

        // Planned: 70% of deals entering Negotiation/Review (and those already committed) go to Commit; 30% entering
        // Proposal/Price Quote to Commit and 25% to Best Case; 20% entering Value Proposition..Perception Analysis to
        // Best Case; 2.5% per stage change to Omitted; 12% of stage changes move Probability 5–15 points.
        Assert.InRange(Share(["Negotiation/Review"], "Commit"), 0.6, 0.95);
        Assert.InRange(Share(["Proposal/Price Quote"], "Commit"), 0.15, 0.5);
        Assert.InRange(Share(["Proposal/Price Quote"], "Best Case"), 0.15, 0.5);
        Assert.InRange(Share(["Value Proposition", "Id. Decision Makers", "Perception Analysis"], "Best Case"), 0.1, 0.5);
        Assert.Equal(0, Share(["Prospecting"], "Commit") + Share(["Prospecting"], "Best Case"));
        Assert.InRange(open.Count(o => (string?)o["ForecastCategoryName"] == "Omitted"), 1, open.Count / 10);
        Assert.InRange(open.Count(o => (decimal)o["Probability"]! != defaults[(string)o["StageName"]!]), open.Count / 20, open.Count / 4);

        // Closed deals carry what their stage forces; the API name always matches the label.
        Assert.All(deals.Where(o => o["IsClosed"] is true), o => Assert.Equal(
            o["IsWon"] is true ? (100m, "Closed") : (0m, "Omitted"),
            ((decimal)o["Probability"]!, (string)o["ForecastCategoryName"]!)));
        Assert.All(deals, o => Assert.Equal(o["ForecastCategoryName"], Schema.StandardObjects.ForecastCategoryNames[(string)o["ForecastCategory"]!]));
    }

    [Fact]
    public void Activities_cover_deals_leads_and_accounts_with_some_planned_ahead()
    {
        var tasks = _org.Records("Task");
        var events = _org.Records("Event");

        Assert.Contains(tasks, t => ((string?)t["WhatId"])?.StartsWith("006", StringComparison.Ordinal) == true);
        Assert.Contains(tasks, t => ((string)t["WhoId"]!).StartsWith("00Q", StringComparison.Ordinal) && t["WhatId"] is null);
        Assert.Contains(events, e => ((string?)e["WhatId"])?.StartsWith("001", StringComparison.Ordinal) == true);
        Assert.Contains(tasks, t => t["Status"] is "Not Started" && (DateOnly)t["ActivityDate"]! > Today);
        Assert.Contains(events, e => (DateTimeOffset)e["StartDateTime"]! > DemoOrgs.Clock);
        Assert.True(tasks.Count(t => t["Status"] is "Completed") > tasks.Count * 3 / 4);
        Assert.All(tasks.Where(t => t["WhatId"] is not null || ((string)t["WhoId"]!).StartsWith("003", StringComparison.Ordinal)), t => Assert.NotNull(t["AccountId"]));
    }
}
