using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Tests.Leads;

/// <summary>Every expected value is worked out by hand from <see cref="LeadSample"/>.</summary>
public sealed class LeadAnalyticsTests
{
    private readonly LeadAnalytics _analytics = new(LeadSample.Clock());

    [Fact]
    public void Conversion_time_to_convert_and_won_revenue_by_source()
    {
        var report = _analytics.Analyze(LeadSample.Data());

        Assert.Equal(LeadDimension.LeadSource, report.GroupBy);
        Assert.Equal(["Purchased List", "Web", "Partner Referral", null, "Other"], report.Groups.Select(g => g.Key));
        var web = Group(report, "Web");
        // Web: L1-L4, L1 and L2 converted after 10 and 30 days into O1 (won 10,000) and O2 (lost).
        Assert.Equal((4, 2, 0.5, 20.0, 20.0, 2, 1, 10_000.0), (web.Leads, web.Converted, web.ConversionRate, web.MeanDaysToConvert, web.MedianDaysToConvert, web.Opportunities, web.WonOpportunities, web.WonRevenue));
        var partner = Group(report, "Partner Referral");
        Assert.Equal((2, 1, 0.5, 2.0, 2.0, 1, 1, 20_000.0), (partner.Leads, partner.Converted, partner.ConversionRate, partner.MeanDaysToConvert, partner.MedianDaysToConvert, partner.Opportunities, partner.WonOpportunities, partner.WonRevenue));
        var purchased = Group(report, "Purchased List");
        Assert.Equal((4, 0, 0.0, 0, 0.0), (purchased.Leads, purchased.Converted, purchased.ConversionRate, purchased.Opportunities, purchased.WonRevenue));
        Assert.Null(purchased.MeanDaysToConvert);
        Assert.Null(purchased.MedianDaysToConvert);
        var none = Group(report, null);
        Assert.Equal((1, 1, 1.0, 4.0, 0), (none.Leads, none.Converted, none.ConversionRate, none.MedianDaysToConvert, none.Opportunities));

        // All twelve: 4 converted after 2, 4, 10 and 30 days: mean 11.5, median (4 + 10) / 2 = 7.
        var total = report.Total;
        Assert.Null(total.Key);
        Assert.Equal((12, 4, 3, 2, 30_000.0), (total.Leads, total.Converted, total.Opportunities, total.WonOpportunities, total.WonRevenue));
        Assert.Equal(1 / 3.0, total.ConversionRate!.Value, 12);
        Assert.Equal(11.5, total.MeanDaysToConvert);
        Assert.Equal(7.0, total.MedianDaysToConvert);
    }

    [Fact]
    public void Campaign_cost_is_split_over_lead_members_and_gives_each_source_its_roi()
    {
        var report = _analytics.Analyze(LeadSample.Data());

        // Web: L1 gets 1,000 from C1 and 1,000 from C2, L2 1,000 from C1; L3's campaign has no cost. (10,000 − 3,000) / 3,000.
        Assert.Equal(3_000, Group(report, "Web").Cost);
        Assert.Equal(7_000 / 3_000.0, Group(report, "Web").Roi!.Value, 12);
        // Partner Referral: L5 1,000 from C1, L6 250 from C4 (500 over two lead members, one not in the data). (20,000 − 1,250) / 1,250.
        Assert.Equal(1_250, Group(report, "Partner Referral").Cost);
        Assert.Equal(15, Group(report, "Partner Referral").Roi!.Value, 12);
        // Purchased List: L7, L8, L9 1,000 each from C2 (budget, no actual cost), nothing won.
        Assert.Equal(3_000, Group(report, "Purchased List").Cost);
        Assert.Equal(-1, Group(report, "Purchased List").Roi);
        Assert.Null(Group(report, "Other").Cost);
        Assert.Null(Group(report, "Other").Roi);
        Assert.Equal(7_250, report.Total.Cost);
        Assert.Equal(22_750 / 7_250.0, report.Total.Roi!.Value, 12);

        Assert.Equal(
            [
                new LeadCampaign
                {
                    CampaignId = "C1",
                    Name = "Webinar",
                    Members = 3,
                    Converted = 3,
                    WonRevenue = 30_000,
                    Cost = 3_000,
                    Roi = 9,
                },
                new LeadCampaign
                {
                    CampaignId = "C2",
                    Name = "Ads",
                    Members = 4,
                    Converted = 1,
                    WonRevenue = 10_000,
                    Cost = 4_000,
                    Roi = 1.5,
                },
                new LeadCampaign { CampaignId = "C3", Name = "Free", Members = 1, Converted = 0, WonRevenue = 0 },
                new LeadCampaign
                {
                    CampaignId = "C4",
                    Name = "Partner day",
                    Members = 1,
                    Converted = 0,
                    WonRevenue = 0,
                    Cost = 250,
                    Roi = -1,
                },
            ],
            report.Campaigns);
    }

    [Fact]
    public void A_date_range_keeps_each_campaigns_cost_per_member_and_attributes_only_the_members_in_range()
    {
        var report = _analytics.Analyze(LeadSample.Data(), new LeadQuery { CreatedDate = DateRange.Between(new(2026, 1, 1), new(2026, 1, 31)) });

        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31)), (report.Start!.Value, report.End!.Value));
        Assert.Equal(3, report.Total.Leads); // L1, L2, L5
        Assert.Equal(3_000, Group(report, "Web").Cost);
        Assert.Equal(1_000, Group(report, "Partner Referral").Cost);
        Assert.Equal(
            [new LeadCampaign
            {
                CampaignId = "C1",
                Name = "Webinar",
                Members = 3,
                Converted = 3,
                WonRevenue = 30_000,
                Cost = 3_000,
                Roi = 9,
            }, new LeadCampaign
            {
                CampaignId = "C2",
                Name = "Ads",
                Members = 1,
                Converted = 1,
                WonRevenue = 10_000,
                Cost = 1_000,
                Roi = 9,
            }],
            report.Campaigns);
    }

    [Fact]
    public void Filters_select_by_source_status_owner_and_industry_case_insensitively()
    {
        var byStatus = _analytics.Analyze(LeadSample.Data(), new LeadQuery { LeadSources = ["web", "PURCHASED LIST"], Statuses = ["Working - Contacted"] });
        var byOwner = _analytics.Analyze(LeadSample.Data(), new LeadQuery { Owners = ["A"] });
        var byIndustry = _analytics.Analyze(LeadSample.Data(), new LeadQuery { Industries = ["Technology"] });

        Assert.Equal(4, byStatus.Total.Leads); // L3, L8, L9, L10
        Assert.Equal((4, 4), (byOwner.Total.Leads, byOwner.Total.Converted)); // L1, L2, L5, L11
        Assert.Equal((2, 30_000.0), (byIndustry.Total.Leads, byIndustry.Total.WonRevenue)); // L1, L5
    }

    [Fact]
    public void Groups_by_owner_when_asked()
    {
        var report = _analytics.Analyze(LeadSample.Data(), new LeadQuery { GroupBy = LeadDimension.Owner });

        Assert.Equal([("B", 8, 0), ("A", 4, 4)], report.Groups.Select(g => (g.Key!, g.Leads, g.Converted)));
    }

    [Fact]
    public void Monthly_trends_show_volume_conversion_quality_and_lead_velocity_rate()
    {
        var report = _analytics.Analyze(LeadSample.Data(), new LeadQuery { ScoringRules = LeadSample.RatingOnlyRules() });

        // Qualified: converted, or Working - Contacted. LVR = (this − last) / last, null after a month with none.
        Assert.Equal(
            [
                new LeadMonth
                {
                    Month = new(2025, 12, 1),
                    Leads = 1,
                    Converted = 0,
                    ConversionRate = 0,
                    HotShare = 0,
                    MeanRuleScore = 0,
                    Qualified = 0,
                },               // L12
                new LeadMonth
                {
                    Month = new(2026, 1, 1),
                    Leads = 3,
                    Converted = 3,
                    ConversionRate = 1,
                    HotShare = 2 / 3.0,
                    MeanRuleScore = 40,
                    Qualified = 3,
                },         // L1 Hot 50, L2 Warm 20, L5 Hot 50
                new LeadMonth
                {
                    Month = new(2026, 2, 1),
                    Leads = 2,
                    Converted = 0,
                    ConversionRate = 0,
                    HotShare = 0,
                    MeanRuleScore = 0,
                    Qualified = 1,
                    VelocityRate = (1 - 3) / 3.0,
                },       // L3 qualified, L4 closed
                new LeadMonth
                {
                    Month = new(2026, 3, 1),
                    Leads = 2,
                    Converted = 1,
                    ConversionRate = 0.5,
                    HotShare = 0.5,
                    MeanRuleScore = 35,
                    Qualified = 1,
                    VelocityRate = 0,
                },              // L6 Warm 20, L11 Hot 50 converted
                new LeadMonth { Month = new(2026, 4, 1), Leads = 0, Converted = 0, Qualified = 0, VelocityRate = -1 },
                new LeadMonth
                {
                    Month = new(2026, 5, 1),
                    Leads = 1,
                    Converted = 0,
                    ConversionRate = 0,
                    HotShare = 0,
                    MeanRuleScore = 0,
                    Qualified = 1,
                },                // L9
                new LeadMonth
                {
                    Month = new(2026, 6, 1),
                    Leads = 3,
                    Converted = 0,
                    ConversionRate = 0,
                    HotShare = 0,
                    MeanRuleScore = 0,
                    Qualified = 2,
                    VelocityRate = 1,
                },                   // L7, L8 and L10 (both qualified)
            ],
            report.Months);
    }

    [Fact]
    public void Qualified_statuses_are_configurable()
    {
        var report = _analytics.Analyze(LeadSample.Data(), new LeadQuery { QualifiedStatuses = [] });

        // Only conversions count now: Jan 3, Feb 0, Mar 1.
        Assert.Equal([0, 3, 0, 1, 0, 0, 0], report.Months.Select(m => m.Qualified));
        Assert.Equal([null, null, -1, null, -1, null, null], report.Months.Select(m => m.VelocityRate));
    }

    [Fact]
    public void Open_leads_fall_in_aging_buckets_with_inclusive_upper_bounds()
    {
        var report = _analytics.Analyze(LeadSample.Data());

        // Open: L3 (149 days), L6 (121), L7 (7), L8 (8), L9 (30), L10 (29), L12 (181); L4 is closed, the rest converted.
        Assert.Equal(
            [new LeadAgingBucket
            {
                MinDays = 0,
                MaxDays = 7,
                Count = 1,
            }, new LeadAgingBucket { MinDays = 8, MaxDays = 30, Count = 3 }, new LeadAgingBucket
            {
                MinDays = 31,
                MaxDays = 90,
                Count = 0,
            }, new LeadAgingBucket
            {
                MinDays = 91,
                MaxDays = 180,
                Count = 2,
            }, new LeadAgingBucket
            {
                MinDays = 181,
                Count = 1,
            }],
            report.Aging);

        var custom = _analytics.Analyze(LeadSample.Data(), new LeadQuery { AgingBounds = [30] });
        Assert.Equal([new LeadAgingBucket
        {
            MinDays = 0,
            MaxDays = 30,
            Count = 4,
        }, new LeadAgingBucket { MinDays = 31, Count = 3 }], custom.Aging);
    }

    [Fact]
    public void Stale_leads_have_no_change_and_no_activity_for_the_threshold_and_are_listed_oldest_first()
    {
        var report = _analytics.Analyze(LeadSample.Data());

        // L12: untouched since created (181 days); L3: changed 02-05 but a task on 05-01 (60 days); L9: exactly 30 days.
        // Not stale: L10 (29 days), L6 (a task on 06-20), L7 and L8 (new).
        Assert.Equal(3, report.StaleCount);
        Assert.Equal(
            [
                new StaleLead
                {
                    LeadId = "L12",
                    Company = "Company L12",
                    Status = "Open - Not Contacted",
                    LeadSource = "Other",
                    OwnerId = "B",
                    CreatedDate = new(2025, 12, 31),
                    AgeDays = 181,
                    DaysInactive = 181,
                },
                new StaleLead
                {
                    LeadId = "L3",
                    Company = "Company L3",
                    Status = "Working - Contacted",
                    LeadSource = "Web",
                    OwnerId = "B",
                    CreatedDate = new(2026, 2, 1),
                    AgeDays = 149,
                    DaysInactive = 60,
                },
                new StaleLead
                {
                    LeadId = "L9",
                    Company = "Company L9",
                    Status = "Working - Contacted",
                    LeadSource = "Purchased List",
                    OwnerId = "B",
                    CreatedDate = new(2026, 5, 31),
                    AgeDays = 30,
                    DaysInactive = 30,
                },
            ],
            report.Stale);

        var limited = _analytics.Analyze(LeadSample.Data(), new LeadQuery { StaleAfterDays = 60, StaleLimit = 1 });
        Assert.Equal(2, limited.StaleCount);
        Assert.Equal(["L12"], limited.Stale.Select(s => s.LeadId));
    }

    [Fact]
    public void Scoring_accuracy_counts_only_leads_old_enough_to_have_converted()
    {
        var report = _analytics.Analyze(LeadSample.Data());

        // Converted: L1, L2, L5, L11. Unconverted and older than 30 days: L3, L4, L6, L12 (L9 is exactly 30 days old).
        Assert.Equal(8, report.Scoring.TrainingCount + report.Scoring.HeldOutCount);
    }

    [Fact]
    public void Rule_score_accuracy_reads_each_score_band_as_its_training_conversion_rate()
    {
        // Training: 4 Hot (3 converted), 4 Cold (1 converted). Held out: Hot converted, Hot not, 2 Cold not, Warm converted.
        var leads = new List<LeadRecord>();
        var ids = Ids(heldOut: false).GetEnumerator();
        var heldIds = Ids(heldOut: true).GetEnumerator();
        foreach (var (rating, converted) in new[] { ("Hot", true), ("Hot", true), ("Hot", true), ("Hot", false), ("Cold", true), ("Cold", false), ("Cold", false), ("Cold", false) })
        {
            ids.MoveNext();
            leads.Add(Old(ids.Current, rating, converted));
        }

        foreach (var (rating, converted) in new[] { ("Hot", true), ("Hot", false), ("Cold", false), ("Cold", false), ("Warm", true) })
        {
            heldIds.MoveNext();
            leads.Add(Old(heldIds.Current, rating, converted));
        }

        var report = _analytics.Analyze(new SalesData { Leads = leads }, new LeadQuery { HoldoutShare = 0.5, ScoringRules = LeadSample.RatingOnlyRules() });

        // Hot (band 50-59) → 3/4, Cold (band 0-9) → 1/4, Warm (band 20-29, no training lead) → the overall 4/8.
        // Brier: (0.25² + 0.75² + 0.25² + 0.25² + 0.5²) / 5 = 0.2. AUC: positives 0.75, 0.5 against negatives 0.75, 0.25, 0.25:
        // (0.5 + 1 + 1 + 0 + 1 + 1) / 6 = 0.75.
        var rules = report.Scoring.Rules!;
        Assert.Equal((8, 5), (report.Scoring.TrainingCount, report.Scoring.HeldOutCount));
        Assert.Equal(5, rules.Count);
        Assert.Equal(0.2, rules.BrierScore, 12);
        Assert.Equal(0.75, rules.Auc!.Value, 12);
        Assert.NotNull(report.Scoring.Model);

        static LeadRecord Old(string id, string rating, bool converted) => new()
        {
            Id = id, Rating = rating, CreatedDate = LeadSample.Day("2026-01-01"), IsConverted = converted,
            ConvertedDate = converted ? new DateOnly(2026, 1, 20) : null, Status = converted ? "Closed - Converted" : "Working - Contacted",
        };
    }

    [Fact]
    public void No_leads_give_an_empty_report()
    {
        var report = _analytics.Analyze(SalesData.Empty);

        Assert.Equal(0, report.Total.Leads);
        Assert.Null(report.Total.ConversionRate);
        Assert.Empty(report.Groups);
        Assert.Empty(report.Months);
        Assert.All(report.Aging, b => Assert.Equal(0, b.Count));
        Assert.Equal(new LeadScoringAccuracy { TrainingCount = 0, HeldOutCount = 0 }, report.Scoring);
    }

    public static TheoryData<LeadQuery, string> BadQueries => new()
    {
        { new LeadQuery { StaleAfterDays = -1 }, "StaleAfterDays" },
        { new LeadQuery { StaleLimit = -1 }, "StaleLimit" },
        { new LeadQuery { NegativeAfterDays = -1 }, "NegativeAfterDays" },
        { new LeadQuery { HoldoutShare = 1 }, "HoldoutShare" },
        { new LeadQuery { HoldoutShare = double.NaN }, "HoldoutShare" },
        { new LeadQuery { AgingBounds = [30, 7] }, "AgingBounds" },
        { new LeadQuery { AgingBounds = [0, 7] }, "AgingBounds" },
        { new LeadQuery { GroupBy = (LeadDimension)42 }, "grouping" },
        { new LeadQuery { QualifiedStatuses = null! }, "QualifiedStatuses" },
        { new LeadQuery { ScoringRules = new LeadScoringRules { HasEmailPoints = 500 } }, "HasEmailPoints" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_is_refused_with_a_message_naming_the_setting_before_any_call(LeadQuery query, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => _analytics.Analyze(LeadSample.Data(), query));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);

        // The client is never used: the check comes first.
        var org = await Infrastructure.DemoOrg.Shared;
        await Assert.ThrowsAsync<ArgumentException>(() => _analytics.AnalyzeAsync(org.Client, query, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => _analytics.Analyze(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((SalesforceClient)null!, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _analytics.AnalyzeAsync((global::Atom.Salesforce.Client.Analytics.Data.ISalesDataSource)null!, cancellationToken: TestContext.Current.CancellationToken));
    }

    private static LeadGroup Group(LeadReport report, string? key) => Assert.Single(report.Groups, g => g.Key == key);

    private static IEnumerable<string> Ids(bool heldOut)
    {
        for (var i = 0; ; i++)
        {
            var id = $"00Q{i:D12}";
            if (HoldoutSplit.IsHeldOut(id, 0.5) == heldOut)
            {
                yield return id;
            }
        }
    }
}
