using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.Leads;

/// <summary>
/// The emulator's demo org (scale 0.1) through the SDK, as an application reads it. The demo generator plants lead
/// conversion rates by source (DemoCatalog.Sources: Partner Referral 36%, Phone Inquiry 30%, Web 16%, Other 13%,
/// Purchased List 6%), multiplied by rating (Hot 1.8, Warm 1, Cold 0.45), seniority and company size.
/// </summary>
public sealed class DemoOrgLeadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_org_lead_report_holds_together_and_finds_the_planted_conversion_pattern()
    {
        var org = await DemoOrg.Shared;
        var analytics = org.Services.GetRequiredService<LeadAnalytics>();

        var report = await analytics.AnalyzeAsync(org.Client, cancellationToken: Ct);
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Leads, Ct);

        var summary = string.Join("; ", report.Groups.Select(g => $"{g.Key}: {g.Converted}/{g.Leads} ROI {g.Roi}"));
        Assert.Equal(data.Leads.Count, report.Total.Leads);
        Assert.Equal(data.Leads.Count(l => l.IsConverted), report.Total.Converted);
        Assert.Equal(report.Total.Leads, report.Groups.Sum(g => g.Leads));
        Assert.Equal(report.Total.WonRevenue, report.Groups.Sum(g => g.WonRevenue), 1e-6);
        Assert.Equal(5, report.Groups.Count);

        // The planted pattern: referrals and phone inquiries convert best, purchased lists worst.
        var rates = report.Groups.ToDictionary(g => g.Key!, g => g.ConversionRate!.Value);
        Assert.True(rates["Partner Referral"] > rates["Web"] && rates["Phone Inquiry"] > rates["Web"], summary);
        Assert.Equal("Purchased List", rates.MinBy(r => r.Value).Key);
        Assert.True(report.Total.WonRevenue > 0 && report.Total.Cost > 0, summary);
        Assert.Null(Assert.Single(report.Groups, g => g.Key == "Phone Inquiry").Cost); // phone inquiries never come through a campaign
        Assert.NotEmpty(report.Campaigns);
        Assert.All(report.Campaigns, c => Assert.InRange(c.Converted, 0, c.Members));

        // Hot leads convert more: the rule score's bands and the model both rank conversions above chance.
        Assert.True(report.Scoring.Model!.Auc > 0.5, $"model AUC {report.Scoring.Model.Auc}");
        Assert.True(report.Scoring.Rules!.Auc > 0.5, $"rules AUC {report.Scoring.Rules.Auc}");
        Assert.InRange(report.Scoring.Model.BrierScore, 0, 0.25);

        Assert.Equal(report.Total.Leads, report.Months.Sum(m => m.Leads));
        Assert.All(report.Months.Zip(report.Months.Skip(1)), p => Assert.Equal(p.First.Month.AddMonths(1), p.Second.Month));
        var open = data.Leads.Count(l => !l.IsConverted && l.Status != "Closed - Not Converted");
        Assert.Equal(open, report.Aging.Sum(b => b.Count));
        Assert.InRange(report.StaleCount, report.Stale.Count, open);
        Assert.Equal(report.Stale.OrderBy(s => s.CreatedDate), report.Stale);
        Assert.All(report.Stale, s => Assert.True(s.DaysInactive >= 30));
    }

    [Fact]
    public async Task A_model_trained_on_the_demo_org_ranks_hot_above_cold_and_scores_a_lead_by_id()
    {
        var org = await DemoOrg.Shared;
        var scoring = org.Services.GetRequiredService<LeadScoring>();

        var model = await scoring.TrainAsync(org.Client, cancellationToken: Ct);
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Leads | SalesDataParts.Activities, Ct);
        var lead = data.Leads.First(l => l.IsConverted);
        var result = await scoring.ScoreAsync(org.Client, lead.Id, model, Ct);

        Assert.True(model.Accuracy!.Auc > 0.5, $"AUC {model.Accuracy.Auc}");
        var hot = model.Predict(lead with { Rating = "Hot" });
        var cold = model.Predict(lead with { Rating = "Cold" });
        Assert.True(hot.Probability > cold.Probability, $"Hot {hot.Probability}, Cold {cold.Probability}");

        // The same lead scored from memory: its activities (WhoId) up to its conversion, the recent ones for the rules.
        var converted = lead.ConvertedDate!.Value.DayNumber;
        var days = data.Activities.Where(a => a.WhoId == lead.Id)
            .Select(a => (a.ActivityDate ?? DateOnly.FromDateTime(a.CreatedDate.UtcDateTime)).DayNumber).Where(d => d <= converted).ToList();
        var recent = days.Count(d => d > converted - 90);
        Assert.Equal(lead.Id, result.LeadId);
        Assert.Equal(scoring.Score(lead, recent), result.Rules, LeadRuleScoreComparer.Instance);
        Assert.Equal(model.Predict(lead, days.Count).Probability, result.Model!.Probability, 12);
        Assert.NotEmpty(result.Model.Reasons);

        var rulesOnly = await scoring.ScoreAsync(org.Client, lead.Id, cancellationToken: Ct);
        Assert.Null(rulesOnly.Model);
    }

    [Theory]
    [InlineData("001000000000001AAA")] // an account id
    [InlineData("00Q0000000001")]      // too short
    [InlineData("00Q000000000000AAA")] // the checksum of 00Q000000000000 is EAA
    [InlineData("00Q00000000001'OR'")]
    [InlineData(" ")]
    public async Task ScoreAsync_refuses_anything_but_a_lead_id_before_any_call(string id)
    {
        var org = await DemoOrg.Shared;
        var scoring = new LeadScoring(org.Time);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => scoring.ScoreAsync(org.Client, id, cancellationToken: Ct));

        Assert.Equal("leadId", e.ParamName);
    }

    [Fact]
    public async Task ScoreAsync_of_an_unknown_lead_is_not_found()
    {
        var org = await DemoOrg.Shared;

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => new LeadScoring(org.Time).ScoreAsync(org.Client, "00Q000000000000EAA", cancellationToken: Ct));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Status);
        Assert.Equal(SalesforceError.Codes.NotFound, e.ErrorCode);
    }

    /// <summary>Rule scores compared by value, reasons included.</summary>
    private sealed class LeadRuleScoreComparer : IEqualityComparer<LeadRuleScore>
    {
        public static readonly LeadRuleScoreComparer Instance = new();

        public bool Equals(LeadRuleScore? x, LeadRuleScore? y) =>
            x is not null && y is not null && x.LeadId == y.LeadId && x.Score == y.Score && x.Reasons.SequenceEqual(y.Reasons);

        public int GetHashCode(LeadRuleScore obj) => obj.LeadId.GetHashCode(StringComparison.Ordinal);
    }
}
