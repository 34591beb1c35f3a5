using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Leads;

/// <summary>
/// Twelve hand-made leads, today 2026-06-30. Every expected value in the lead tests is worked out from these tables.
/// <code>
/// id   source            rating created     status                  converted (days)  opp  owner  last modified
/// L1   Web               Hot    2026-01-10  Closed - Converted      2026-01-20 (10)   O1   A
/// L2   Web               Warm   2026-01-15  Closed - Converted      2026-02-14 (30)   O2   A
/// L3   Web               Cold   2026-02-01  Working - Contacted     -                      B      2026-02-05
/// L4   Web               -      2026-02-20  Closed - Not Converted  -                      B
/// L5   Partner Referral  Hot    2026-01-05  Closed - Converted      2026-01-07 (2)    O3   A
/// L6   Partner Referral  Warm   2026-03-01  Open - Not Contacted    -                      B      2026-03-01
/// L7   Purchased List    Cold   2026-06-23  Open - Not Contacted    -                      B      (age 7)
/// L8   Purchased List    Cold   2026-06-22  Working - Contacted     -                      B      (age 8)
/// L9   Purchased List    Cold   2026-05-31  Working - Contacted     -                      B      2026-05-31 (age 30)
/// L10  Purchased List    Cold   2026-06-01  Working - Contacted     -                      B      2026-06-01 (age 29)
/// L11  (none)            Hot    2026-03-10  Closed - Converted      2026-03-14 (4)    -    A
/// L12  Other             Cold   2025-12-31  Open - Not Contacted    -                      B      (age 181)
/// </code>
/// Opportunities: O1 won 10,000; O2 lost 5,000; O3 won 20,000. Activities: a task on L6 dated 2026-06-20, a task on L3
/// dated 2026-05-01, an event with a contact. Campaigns and their lead members:
/// <code>
/// C1  actual 3,000 (budget 9,999)  L1 L2 L5        1,000 a member
/// C2  budget 4,000 only            L1 L7 L8 L9     1,000 a member (plus a contact member, ignored)
/// C3  no cost                      L3              unknown
/// C4  actual 500                   L6 + a lead not in the data: 250 a member
/// </code>
/// </summary>
internal static class LeadSample
{
    public static readonly DateTimeOffset Now = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Now);

    public static LeadRecord[] Leads() =>
    [
        Lead("L1", "Web", "Hot", "2026-01-10", "Closed - Converted", "A", converted: "2026-01-20", opportunity: "O1"),
        Lead("L2", "Web", "Warm", "2026-01-15", "Closed - Converted", "A", converted: "2026-02-14", opportunity: "O2"),
        Lead("L3", "Web", "Cold", "2026-02-01", "Working - Contacted", "B", modified: "2026-02-05"),
        Lead("L4", "Web", null, "2026-02-20", "Closed - Not Converted", "B"),
        Lead("L5", "Partner Referral", "Hot", "2026-01-05", "Closed - Converted", "A", converted: "2026-01-07", opportunity: "O3"),
        Lead("L6", "Partner Referral", "Warm", "2026-03-01", "Open - Not Contacted", "B", modified: "2026-03-01"),
        Lead("L7", "Purchased List", "Cold", "2026-06-23", "Open - Not Contacted", "B"),
        Lead("L8", "Purchased List", "Cold", "2026-06-22", "Working - Contacted", "B"),
        Lead("L9", "Purchased List", "Cold", "2026-05-31", "Working - Contacted", "B", modified: "2026-05-31"),
        Lead("L10", "Purchased List", "Cold", "2026-06-01", "Working - Contacted", "B", modified: "2026-06-01"),
        Lead("L11", null, "Hot", "2026-03-10", "Closed - Converted", "A", converted: "2026-03-14"),
        Lead("L12", "Other", "Cold", "2025-12-31", "Open - Not Contacted", "B"),
    ];

    public static SalesData Data() => new()
    {
        Leads = Leads(),
        Opportunities =
        [
            new OpportunityRecord { Id = "O1", StageName = "Closed Won", Amount = 10_000, IsClosed = true, IsWon = true },
            new OpportunityRecord { Id = "O2", StageName = "Closed Lost", Amount = 5_000, IsClosed = true, IsWon = false },
            new OpportunityRecord { Id = "O3", StageName = "Closed Won", Amount = 20_000, IsClosed = true, IsWon = true },
        ],
        Activities =
        [
            new ActivityRecord { Id = "T1", Kind = ActivityKind.Task, WhoId = "L6", ActivityDate = new DateOnly(2026, 6, 20), CreatedDate = Day("2026-06-19") },
            new ActivityRecord { Id = "T2", Kind = ActivityKind.Task, WhoId = "L3", ActivityDate = new DateOnly(2026, 5, 1), CreatedDate = Day("2026-05-01") },
            new ActivityRecord { Id = "E1", Kind = ActivityKind.Event, WhoId = "003contact", CreatedDate = Day("2026-06-29") },
        ],
        Campaigns =
        [
            new CampaignRecord { Id = "C1", Name = "Webinar", ActualCost = 3_000, BudgetedCost = 9_999 },
            new CampaignRecord { Id = "C2", Name = "Ads", BudgetedCost = 4_000 },
            new CampaignRecord { Id = "C3", Name = "Free" },
            new CampaignRecord { Id = "C4", Name = "Partner day", ActualCost = 500 },
        ],
        CampaignMembers =
        [
            Member("C1", "L1"), Member("C1", "L2"), Member("C1", "L5"),
            Member("C2", "L1"), Member("C2", "L7"), Member("C2", "L8"), Member("C2", "L9"),
            new CampaignMemberRecord { Id = "CM-contact", CampaignId = "C2", ContactId = "003contact" },
            Member("C3", "L3"),
            Member("C4", "L6"), Member("C4", "Lgone"),
        ],
    };

    /// <summary>Rules that only score the rating: Hot 50, Warm 20 (so the monthly mean score is easy to work out).</summary>
    public static LeadScoringRules RatingOnlyRules() => new()
    {
        LeadSourcePoints = new Dictionary<string, double>(),
        RatingPoints = new Dictionary<string, double> { ["Hot"] = 50, ["Warm"] = 20 },
        IndustryPoints = new Dictionary<string, double>(),
        TitleKeywords = [],
        EmployeeBands = [],
        RevenueBands = [],
        HasEmailPoints = 0,
        HasPhonePoints = 0,
        PointsPerActivity = 0,
        MaxActivityPoints = 0,
    };

    public static DateTimeOffset Day(string day) => new(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static LeadRecord Lead(
        string id, string? source, string? rating, string created, string status, string owner, string? converted = null, string? opportunity = null, string? modified = null) => new()
    {
        Id = id,
        Company = $"Company {id}",
        LeadSource = source,
        Rating = rating,
        CreatedDate = Day(created).AddHours(9),
        Status = status,
        OwnerId = owner,
        IsConverted = converted is not null,
        ConvertedDate = converted is null ? null : DateOnly.Parse(converted, System.Globalization.CultureInfo.InvariantCulture),
        ConvertedOpportunityId = opportunity,
        LastModifiedDate = modified is null ? null : Day(modified).AddHours(10),
        Industry = id is "L1" or "L5" ? "Technology" : "Retail",
    };

    private static CampaignMemberRecord Member(string campaign, string lead) => new() { Id = $"{campaign}-{lead}", CampaignId = campaign, LeadId = lead };
}
