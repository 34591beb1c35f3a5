using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Leads;

/// <summary>The lead report: conversion and ROI by group and by campaign, monthly trends, aging, stale leads and scoring accuracy.</summary>
/// <param name="Start">The first creation day covered; null when unbounded.</param>
/// <param name="End">The last creation day covered; null when unbounded.</param>
/// <param name="GroupBy">What <paramref name="Groups"/> are grouped by.</param>
/// <param name="Total">All leads in scope as one group.</param>
/// <param name="Groups">One row per group value (null for leads without one), most leads first.</param>
/// <param name="Campaigns">One row per campaign with a lead in scope, largest won revenue first.</param>
/// <param name="Months">Every calendar month (UTC) from the first to the last lead created, in order.</param>
/// <param name="Aging">The open leads by age.</param>
/// <param name="StaleCount">How many open leads are stale.</param>
/// <param name="Stale">The stale leads, oldest first, up to <see cref="LeadQuery.StaleLimit"/>.</param>
/// <param name="Scoring">How well the trained model and the rule score predict conversion on held-out leads.</param>
public sealed record LeadReport(
    DateOnly? Start,
    DateOnly? End,
    LeadDimension GroupBy,
    LeadGroup Total,
    IReadOnlyList<LeadGroup> Groups,
    IReadOnlyList<LeadCampaign> Campaigns,
    IReadOnlyList<LeadMonth> Months,
    IReadOnlyList<LeadAgingBucket> Aging,
    int StaleCount,
    IReadOnlyList<StaleLead> Stale,
    LeadScoringAccuracy Scoring);

/// <summary>Conversion, revenue and ROI of one group of leads.</summary>
/// <param name="Key">The group value (a lead source, owner id, industry or rating); null for leads without one and for the total.</param>
/// <param name="Leads">Leads created.</param>
/// <param name="Converted">Of those, converted.</param>
/// <param name="ConversionRate">Converted / leads; null without leads.</param>
/// <param name="MeanDaysToConvert">Mean days from CreatedDate to ConvertedDate of the converted leads; null without any.</param>
/// <param name="MedianDaysToConvert">The median of the same.</param>
/// <param name="Opportunities">Distinct opportunities the conversions created (ConvertedOpportunityId).</param>
/// <param name="WonOpportunities">Of those, won.</param>
/// <param name="WonRevenue">The amount of the won ones.</param>
/// <param name="Cost">
/// The campaign cost attributed to the group: each campaign's ActualCost (its BudgetedCost when no actual cost is known)
/// split equally over the campaign's lead members, and each member's share given to the member's group. Null when none
/// of the group's leads is a member of a campaign with a known cost.
/// </param>
/// <param name="Roi">(won revenue − cost) / cost; null when the cost is unknown or 0.</param>
public sealed record LeadGroup(
    string? Key,
    int Leads,
    int Converted,
    double? ConversionRate,
    double? MeanDaysToConvert,
    double? MedianDaysToConvert,
    int Opportunities,
    int WonOpportunities,
    double WonRevenue,
    double? Cost,
    double? Roi);

/// <summary>The leads one campaign brought in (its lead members in scope) and what they returned.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Name">Its name.</param>
/// <param name="Members">Its lead members in scope.</param>
/// <param name="Converted">Of those, converted.</param>
/// <param name="WonRevenue">The amount of the won opportunities their conversions created.</param>
/// <param name="Cost">The campaign's cost share of these members (the whole cost when every lead member is in scope); null when unknown.</param>
/// <param name="Roi">(won revenue − cost) / cost; null when the cost is unknown or 0.</param>
public sealed record LeadCampaign(string CampaignId, string? Name, int Members, int Converted, double WonRevenue, double? Cost, double? Roi);

/// <summary>The leads created in one calendar month: volume, conversion, quality and qualified-lead growth.</summary>
/// <param name="Month">The first day of the month.</param>
/// <param name="Leads">Leads created in the month.</param>
/// <param name="Converted">Of those, converted by now.</param>
/// <param name="ConversionRate">Converted / leads; null without leads.</param>
/// <param name="HotShare">The share rated Hot; null without leads.</param>
/// <param name="MeanRuleScore">The mean rule score (0–100) of the month's leads; null without leads.</param>
/// <param name="Qualified">Leads created in the month that are qualified (<see cref="LeadQuery.QualifiedStatuses"/> or converted).</param>
/// <param name="VelocityRate">
/// The lead velocity rate: (qualified this month − qualified last month) / qualified last month; null for the first month
/// and after a month with none.
/// </param>
public sealed record LeadMonth(DateOnly Month, int Leads, int Converted, double? ConversionRate, double? HotShare, double? MeanRuleScore, int Qualified, double? VelocityRate);

/// <summary>Open leads of an age.</summary>
/// <param name="MinDays">The youngest age in the bucket, in days since creation.</param>
/// <param name="MaxDays">The oldest age (inclusive); null for the last bucket.</param>
/// <param name="Count">Open leads of that age.</param>
public sealed record LeadAgingBucket(int MinDays, int? MaxDays, int Count);

/// <summary>An open lead nobody has touched for a while.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Company">Its company.</param>
/// <param name="Status">Its status.</param>
/// <param name="LeadSource">Its source.</param>
/// <param name="OwnerId">Its owner.</param>
/// <param name="CreatedDate">The day it was created.</param>
/// <param name="AgeDays">Days since it was created.</param>
/// <param name="DaysInactive">Days since its last change or its last task or event, whichever is later.</param>
public sealed record StaleLead(string LeadId, string? Company, string? Status, string? LeadSource, string? OwnerId, DateOnly CreatedDate, int AgeDays, int DaysInactive);

/// <summary>How well conversion is predicted on held-out leads (see <see cref="LeadQuery.HoldoutShare"/>).</summary>
/// <param name="TrainingCount">Leads with a known outcome used for training (and for the rule score's bands).</param>
/// <param name="HeldOutCount">Leads with a known outcome held out.</param>
/// <param name="Model">The trained model's accuracy; null when the training leads hold only one outcome or there are no held-out leads.</param>
/// <param name="Rules">
/// The rule score's accuracy, reading each score as a probability: the conversion rate of training leads in its band of
/// 10 points (0–9, 10–19, …, 90–100), or the overall training rate for a band without training leads. Null when there are
/// no training or no held-out leads.
/// </param>
public sealed record LeadScoringAccuracy(int TrainingCount, int HeldOutCount, ModelAccuracy? Model, ModelAccuracy? Rules);
