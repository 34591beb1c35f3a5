using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Leads;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

public sealed class LeadScoringTests
{
    private readonly LeadScoring _scoring = new(LeadSample.Clock());

    [Fact]
    public void Default_rules_add_the_points_of_every_rule_that_fired_and_list_them_largest_first()
    {
        var lead = new LeadRecord
        {
            Id = "00Q000000000001AAA", LeadSource = "Partner Referral", Rating = "Hot", Industry = "Technology", Title = "VP Sales",
            NumberOfEmployees = 2_500, AnnualRevenue = 1_000, Email = "a@b.example", Phone = "+1 555 0100",
        };

        var score = _scoring.Score(lead, recentActivityCount: 3);

        // 20 source + 20 Hot + 15 VP + 10 (2,000+ employees) + 6 (3 activities × 2) + 5 industry + 5 e-mail + 5 phone = 86.
        Assert.Equal(86, score.Score);
        Assert.Equal("00Q000000000001AAA", score.LeadId);
        Assert.Equal(
            [
                ("lead_source", 20.0), ("rating", 20.0), ("title", 15.0), ("company_size", 10.0), ("recent_activity", 6.0),
                ("industry", 5.0), ("has_email", 5.0), ("has_phone", 5.0),
            ],
            score.Reasons.Select(r => (r.Factor, r.Impact)));
        Assert.Equal("Lead source is Partner Referral", score.Reasons[0].Description);
        Assert.Equal("Title contains 'VP'", score.Reasons[2].Description);
        Assert.Equal("2,000+ employees", score.Reasons[3].Description);
        Assert.Equal("3 activities in the last 90 days", score.Reasons[4].Description);
    }

    [Theory]
    [InlineData("Director of IT", 10)]
    [InlineData("Chief Revenue Officer", 15)]
    [InlineData("vp, head of sales", 15)]          // the best keyword counts, not the sum
    [InlineData("Headquarters Coordinator", 0)]    // whole words only
    [InlineData("Vice President Operations", 15)]  // a keyword of two words
    [InlineData(null, 0)]
    public void Title_keywords_match_whole_words_and_only_the_best_counts(string? title, double points)
    {
        var score = _scoring.Score(new LeadRecord { Id = "x", Title = title });

        Assert.Equal(points, score.Score);
    }

    [Fact]
    public void Company_size_reads_revenue_only_when_the_head_count_is_unknown_and_activity_points_are_capped()
    {
        var byRevenue = _scoring.Score(new LeadRecord { Id = "x", AnnualRevenue = 600_000_000 });
        var byEmployees = _scoring.Score(new LeadRecord { Id = "x", AnnualRevenue = 600_000_000, NumberOfEmployees = 150 });
        var busy = _scoring.Score(new LeadRecord { Id = "x" }, recentActivityCount: 40);

        Assert.Equal(10, byRevenue.Score);
        Assert.Equal("Annual revenue 500,000,000+", byRevenue.Reasons.Single().Description);
        Assert.Equal(0, byEmployees.Score);
        Assert.Empty(byEmployees.Reasons);
        Assert.Equal(10, busy.Score);
    }

    [Fact]
    public void Custom_rules_are_case_insensitive_and_the_score_is_clamped_to_0_to_100()
    {
        var generous = new LeadScoring(LeadSample.Clock(), new LeadScoringRules
        {
            LeadSourcePoints = new Dictionary<string, double> { ["WEB"] = 90 },
            RatingPoints = new Dictionary<string, double> { ["hot"] = 60, ["cold"] = -100 },
        });

        Assert.Equal(100, generous.Score(new LeadRecord { Id = "x", LeadSource = "Web", Rating = "Hot" }).Score);
        var cold = generous.Score(new LeadRecord { Id = "x", Rating = "Cold", Email = "a@b.example" });
        Assert.Equal(0, cold.Score); // −100 + 5
        Assert.Equal([-100.0, 5.0], cold.Reasons.Select(r => r.Impact));
    }

    public static TheoryData<LeadScoringRules, string> BadRules => new()
    {
        { new LeadScoringRules { HasPhonePoints = double.NaN }, "HasPhonePoints" },
        { new LeadScoringRules { LeadSourcePoints = new Dictionary<string, double> { ["Web"] = 101 } }, "LeadSourcePoints 'Web'" },
        { new LeadScoringRules { TitleKeywords = [new() { Keyword = "  ", Points = 5 }] }, "title keyword" },
        { new LeadScoringRules { EmployeeBands = [new()
        {
            Minimum = 2_000,
            Points = 10,
        }, new() { Minimum = 200, Points = 5 }] }, "EmployeeBands" },
        { new LeadScoringRules { RevenueBands = [new() { Minimum = -1, Points = 5 }] }, "RevenueBands" },
        { new LeadScoringRules { RecentActivityDays = 0 }, "RecentActivityDays" },
        { new LeadScoringRules { PointsPerActivity = -1 }, "PointsPerActivity" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Invalid_rules_are_refused_when_the_service_is_made(LeadScoringRules rules, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => new LeadScoring(rules: rules));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_learns_a_planted_source_signal()
    {
        // Partner Referral converts 60%, every other source 10%; rating, industry, title and size are noise.
        var data = Generated(4_000, seed: 11);

        var model = _scoring.Train(data);

        var accuracy = model.Accuracy!;
        Assert.Equal(data.Leads.Count, model.TrainingCount + accuracy.Count);
        Assert.InRange(accuracy.Count, 800, 1_200); // about a quarter held out
        Assert.True(accuracy.Auc > 0.68, $"AUC {accuracy.Auc}"); // the best possible AUC here is 0.75
        Assert.True(accuracy.BrierScore < accuracy.BaseRate * (1 - accuracy.BaseRate), $"Brier {accuracy.BrierScore} is no better than the base rate");

        var partner = model.Predict(new LeadRecord { Id = "p", LeadSource = "Partner Referral", Rating = "Warm", Industry = "Retail", Title = "Buyer" });
        var web = model.Predict(new LeadRecord { Id = "w", LeadSource = "Web", Rating = "Warm", Industry = "Retail", Title = "Buyer" });
        Assert.InRange(partner.Probability, 0.5, 0.7);
        Assert.InRange(web.Probability, 0.05, 0.15);
        Assert.Equal("lead_source", partner.Reasons[0].Factor);
        Assert.True(partner.Reasons[0].Impact > 20, $"{partner.Reasons[0].Impact} points");
        Assert.Equal("Lead source is Partner Referral", partner.Reasons[0].Description);
        Assert.Equal("lead_source", web.Reasons[0].Factor);
        Assert.True(web.Reasons[0].Impact < 0);
        Assert.Equal(partner.Reasons.OrderByDescending(r => Math.Abs(r.Impact)), partner.Reasons);
    }

    [Fact]
    public void Young_unconverted_leads_are_not_negatives()
    {
        var now = LeadSample.Now;
        LeadRecord Lead(string id, int daysOld, bool converted) => new()
        {
            Id = id, LeadSource = "Web", CreatedDate = now.AddDays(-daysOld), IsConverted = converted,
            ConvertedDate = converted ? DateOnly.FromDateTime(now.UtcDateTime) : null,
        };

        // Two conversions and two unconverted leads 10 days old: nothing to learn "does not convert" from.
        var young = new SalesData { Leads = [Lead("a", 40, true), Lead("b", 40, true), Lead("c", 10, false), Lead("d", 10, false)] };

        var e = Assert.Throws<InvalidOperationException>(() => _scoring.Train(young, new LeadTrainingOptions { HoldoutShare = 0 }));
        Assert.Contains("older than 30 days", e.Message, StringComparison.Ordinal);
        var model = _scoring.Train(young, new LeadTrainingOptions { HoldoutShare = 0, NegativeAfterDays = 5 });
        Assert.Equal((4, 2), (model.TrainingCount, model.ConvertedCount));
        Assert.Null(model.Accuracy);
    }

    [Fact]
    public void Bad_training_options_and_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _scoring.Train(SalesData.Empty, new LeadTrainingOptions { HoldoutShare = -0.1 }));
        Assert.Throws<ArgumentException>(() => _scoring.Train(SalesData.Empty, new LeadTrainingOptions { NegativeAfterDays = -1 }));
        Assert.Throws<ArgumentException>(() => _scoring.Train(SalesData.Empty, new LeadTrainingOptions { L2Penalty = double.PositiveInfinity }));
        Assert.Throws<ArgumentNullException>(() => _scoring.Train(null!));
        Assert.Throws<ArgumentNullException>(() => _scoring.Score(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _scoring.Score(new LeadRecord { Id = "x" }, -1));
    }

    /// <summary>Leads created 60 to 400 days before the sample's today, with a planted source effect.</summary>
    internal static SalesData Generated(int count, int seed)
    {
        var random = new Random(seed);
        string[] sources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];
        string[] ratings = ["Hot", "Warm", "Cold"];
        string[] industries = ["Technology", "Retail", "Finance", "Healthcare"];
        string[] titles = ["CEO", "VP Sales", "Director of IT", "IT Manager", "Buyer"];
        var leads = new List<LeadRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var source = sources[random.Next(sources.Length)];
            var converted = random.NextDouble() < (source == "Partner Referral" ? 0.6 : 0.1);
            var created = LeadSample.Now.AddDays(-random.Next(60, 400));
            leads.Add(new LeadRecord
            {
                Id = $"00Q{seed:D3}{i:D9}",
                LeadSource = source,
                Rating = ratings[random.Next(ratings.Length)],
                Industry = industries[random.Next(industries.Length)],
                Title = titles[random.Next(titles.Length)],
                NumberOfEmployees = random.Next(10, 5_000),
                AnnualRevenue = random.Next(1, 1_000) * 100_000m,
                Email = random.NextDouble() < 0.8 ? "x@y.example" : null,
                Phone = random.NextDouble() < 0.8 ? "+1 555" : null,
                CreatedDate = created,
                IsConverted = converted,
                ConvertedDate = converted ? DateOnly.FromDateTime(created.UtcDateTime).AddDays(10) : null,
            });
        }

        return new SalesData { Leads = leads };
    }
}
