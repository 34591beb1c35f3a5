using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Leads;

/// <summary>The lead report: conversion and ROI by group and by campaign, monthly trends, aging, stale leads and scoring accuracy.</summary>
public sealed record LeadReport
{
    [JsonConstructor]
    internal LeadReport()
    {
    }

    /// <summary>The first creation day covered; null when unbounded.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>The last creation day covered; null when unbounded.</summary>
    public DateOnly? End { get; init; }

    /// <summary>What <see cref="Groups"/> are grouped by.</summary>
    public LeadDimension GroupBy { get; init; }

    /// <summary>All leads in scope as one group.</summary>
    public LeadGroup Total { get; init; } = new();

    /// <summary>One row per group value (null for leads without one), most leads first.</summary>
    public IReadOnlyList<LeadGroup> Groups { get; init; } = [];

    /// <summary>One row per campaign with a lead in scope, largest won revenue first.</summary>
    public IReadOnlyList<LeadCampaign> Campaigns { get; init; } = [];

    /// <summary>Every calendar month (UTC) from the first to the last lead created, in order.</summary>
    public IReadOnlyList<LeadMonth> Months { get; init; } = [];

    /// <summary>The open leads by age.</summary>
    public IReadOnlyList<LeadAgingBucket> Aging { get; init; } = [];

    /// <summary>How many open leads are stale.</summary>
    public int StaleCount { get; init; }

    /// <summary>The stale leads, oldest first, up to <see cref="LeadQuery.StaleLimit"/>.</summary>
    public IReadOnlyList<StaleLead> Stale { get; init; } = [];

    /// <summary>How well the trained model and the rule score predict conversion on held-out leads.</summary>
    public LeadScoringAccuracy Scoring { get; init; } = new();
}

/// <summary>Conversion, revenue and ROI of one group of leads.</summary>
public sealed record LeadGroup
{
    [JsonConstructor]
    internal LeadGroup()
    {
    }

    /// <summary>
    /// The group value (a lead source, owner id, industry or rating); null for leads without one and for the total.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>Leads created.</summary>
    public int Leads { get; init; }

    /// <summary>Of those, converted.</summary>
    public int Converted { get; init; }

    /// <summary>Converted / leads; null without leads.</summary>
    public double? ConversionRate { get; init; }

    /// <summary>Mean days from CreatedDate to ConvertedDate of the converted leads; null without any.</summary>
    public double? MeanDaysToConvert { get; init; }

    /// <summary>The median of the same.</summary>
    public double? MedianDaysToConvert { get; init; }

    /// <summary>Distinct opportunities the conversions created (ConvertedOpportunityId).</summary>
    public int Opportunities { get; init; }

    /// <summary>Of those, won.</summary>
    public int WonOpportunities { get; init; }

    /// <summary>The amount of the won ones.</summary>
    public double WonRevenue { get; init; }

    /// <summary>
    /// The campaign cost attributed to the group: each campaign's ActualCost (its BudgetedCost when no actual cost is known)
    /// split equally over the campaign's lead members, and each member's share given to the member's group. Null when none
    /// of the group's leads is a member of a campaign with a known cost.
    /// </summary>
    public double? Cost { get; init; }

    /// <summary>(won revenue − cost) / cost; null when the cost is unknown or 0.</summary>
    public double? Roi { get; init; }
}

/// <summary>The leads one campaign brought in (its lead members in scope) and what they returned.</summary>
public sealed record LeadCampaign
{
    [JsonConstructor]
    internal LeadCampaign()
    {
    }

    /// <summary>The campaign.</summary>
    public string CampaignId { get; init; } = string.Empty;

    /// <summary>Its name.</summary>
    public string? Name { get; init; }

    /// <summary>Its lead members in scope.</summary>
    public int Members { get; init; }

    /// <summary>Of those, converted.</summary>
    public int Converted { get; init; }

    /// <summary>The amount of the won opportunities their conversions created.</summary>
    public double WonRevenue { get; init; }

    /// <summary>
    /// The campaign's cost share of these members (the whole cost when every lead member is in scope); null when unknown.
    /// </summary>
    public double? Cost { get; init; }

    /// <summary>(won revenue − cost) / cost; null when the cost is unknown or 0.</summary>
    public double? Roi { get; init; }
}

/// <summary>The leads created in one calendar month: volume, conversion, quality and qualified-lead growth.</summary>
public sealed record LeadMonth
{
    [JsonConstructor]
    internal LeadMonth()
    {
    }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; init; }

    /// <summary>Leads created in the month.</summary>
    public int Leads { get; init; }

    /// <summary>Of those, converted by now.</summary>
    public int Converted { get; init; }

    /// <summary>Converted / leads; null without leads.</summary>
    public double? ConversionRate { get; init; }

    /// <summary>The share rated Hot; null without leads.</summary>
    public double? HotShare { get; init; }

    /// <summary>The mean rule score (0–100) of the month's leads; null without leads.</summary>
    public double? MeanRuleScore { get; init; }

    /// <summary>
    /// Leads created in the month that are qualified (<see cref="LeadQuery.QualifiedStatuses"/> or converted).
    /// </summary>
    public int Qualified { get; init; }

    /// <summary>
    /// The lead velocity rate: (qualified this month − qualified last month) / qualified last month; null for the first month
    /// and after a month with none.
    /// </summary>
    public double? VelocityRate { get; init; }
}

/// <summary>Open leads of an age.</summary>
public sealed record LeadAgingBucket
{
    [JsonConstructor]
    internal LeadAgingBucket()
    {
    }

    /// <summary>The youngest age in the bucket, in days since creation.</summary>
    public int MinDays { get; init; }

    /// <summary>The oldest age (inclusive); null for the last bucket.</summary>
    public int? MaxDays { get; init; }

    /// <summary>Open leads of that age.</summary>
    public int Count { get; init; }
}

/// <summary>An open lead nobody has touched for a while.</summary>
public sealed record StaleLead
{
    [JsonConstructor]
    internal StaleLead()
    {
    }

    /// <summary>The lead.</summary>
    public string LeadId { get; init; } = string.Empty;

    /// <summary>Its company.</summary>
    public string? Company { get; init; }

    /// <summary>Its status.</summary>
    public string? Status { get; init; }

    /// <summary>Its source.</summary>
    public string? LeadSource { get; init; }

    /// <summary>Its owner.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The day it was created.</summary>
    public DateOnly CreatedDate { get; init; }

    /// <summary>Days since it was created.</summary>
    public int AgeDays { get; init; }

    /// <summary>Days since its last change or its last task or event, whichever is later.</summary>
    public int DaysInactive { get; init; }
}

/// <summary>How well conversion is predicted on held-out leads (see <see cref="LeadQuery.HoldoutShare"/>).</summary>
public sealed record LeadScoringAccuracy
{
    [JsonConstructor]
    internal LeadScoringAccuracy()
    {
    }

    /// <summary>Leads with a known outcome used for training (and for the rule score's bands).</summary>
    public int TrainingCount { get; init; }

    /// <summary>Leads with a known outcome held out.</summary>
    public int HeldOutCount { get; init; }

    /// <summary>
    /// The trained model's accuracy; null when the training leads hold only one outcome or there are no held-out leads.
    /// </summary>
    public ModelAccuracy? Model { get; init; }

    /// <summary>
    /// The rule score's accuracy, reading each score as a probability: the conversion rate of training leads in its band of
    /// 10 points (0–9, 10–19, …, 90–100), or the overall training rate for a band without training leads. Null when there are
    /// no training or no held-out leads.
    /// </summary>
    public ModelAccuracy? Rules { get; init; }
}
