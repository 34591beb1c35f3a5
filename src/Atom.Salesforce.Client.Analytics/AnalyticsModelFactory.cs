using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Duplicates;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Testing;

/// <summary>
/// Builds the analytics results with any values, so code that uses the analytics services can be tested with fakes or
/// mocks (the results themselves have no public constructor, so that they can gain properties without breaking callers).
/// Every parameter is optional: an omitted value is its type's default, an empty string, an empty collection or an empty
/// result.
/// </summary>
/// <example>
/// <code>
/// var revenue = AnalyticsModelFactory.PeriodRevenue(period: "2026-Q1", wonRevenue: 125_000, wonCount: 4);
/// </code>
/// </example>
public static class AnalyticsModelFactory
{
    /// <summary>Creates an <see cref="AccountEngagement"/> with the given values, for tests and mocks.</summary>
    /// <param name="lastActivityDate">Sets <see cref="AccountEngagement.LastActivityDate"/>.</param>
    /// <param name="daysSinceLastActivity">Sets <see cref="AccountEngagement.DaysSinceLastActivity"/>.</param>
    /// <param name="last30Days">Sets <see cref="AccountEngagement.Last30Days"/>.</param>
    /// <param name="last90Days">Sets <see cref="AccountEngagement.Last90Days"/>.</param>
    /// <param name="last365Days">Sets <see cref="AccountEngagement.Last365Days"/>.</param>
    /// <param name="contacts">Sets <see cref="AccountEngagement.Contacts"/>.</param>
    /// <param name="engagedContacts">Sets <see cref="AccountEngagement.EngagedContacts"/>.</param>
    /// <returns>A new <see cref="AccountEngagement"/>.</returns>
    public static AccountEngagement AccountEngagement(
        DateOnly? lastActivityDate = null,
        int? daysSinceLastActivity = null,
        ActivityCounts? last30Days = null,
        ActivityCounts? last90Days = null,
        ActivityCounts? last365Days = null,
        int contacts = default,
        int engagedContacts = default) =>
        new()
        {
            LastActivityDate = lastActivityDate,
            DaysSinceLastActivity = daysSinceLastActivity,
            Last30Days = last30Days ?? new ActivityCounts(),
            Last90Days = last90Days ?? new ActivityCounts(),
            Last365Days = last365Days ?? new ActivityCounts(),
            Contacts = contacts,
            EngagedContacts = engagedContacts,
        };

    /// <summary>Creates an <see cref="AccountGroup"/> with the given values, for tests and mocks.</summary>
    /// <param name="key">Sets <see cref="AccountGroup.Key"/>.</param>
    /// <param name="accounts">Sets <see cref="AccountGroup.Accounts"/>.</param>
    /// <param name="customers">Sets <see cref="AccountGroup.Customers"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="AccountGroup.WonRevenue"/>.</param>
    /// <param name="openPipeline">Sets <see cref="AccountGroup.OpenPipeline"/>.</param>
    /// <param name="averageHealth">Sets <see cref="AccountGroup.AverageHealth"/>.</param>
    /// <returns>A new <see cref="AccountGroup"/>.</returns>
    public static AccountGroup AccountGroup(
        string? key = null,
        int accounts = default,
        int customers = default,
        double wonRevenue = default,
        double openPipeline = default,
        double averageHealth = default) =>
        new()
        {
            Key = key,
            Accounts = accounts,
            Customers = customers,
            WonRevenue = wonRevenue,
            OpenPipeline = openPipeline,
            AverageHealth = averageHealth,
        };

    /// <summary>Creates an <see cref="AccountHealth"/> with the given values, for tests and mocks.</summary>
    /// <param name="score">Sets <see cref="AccountHealth.Score"/>.</param>
    /// <param name="components">Sets <see cref="AccountHealth.Components"/>.</param>
    /// <param name="reasons">Sets <see cref="AccountHealth.Reasons"/>.</param>
    /// <returns>A new <see cref="AccountHealth"/>.</returns>
    public static AccountHealth AccountHealth(
        double score = default,
        IEnumerable<HealthComponent>? components = null,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            Score = score,
            Components = components?.ToList() ?? [],
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates an <see cref="AccountInsight"/> with the given values, for tests and mocks.</summary>
    /// <param name="accountId">Sets <see cref="AccountInsight.AccountId"/>.</param>
    /// <param name="name">Sets <see cref="AccountInsight.Name"/>.</param>
    /// <param name="industry">Sets <see cref="AccountInsight.Industry"/>.</param>
    /// <param name="type">Sets <see cref="AccountInsight.Type"/>.</param>
    /// <param name="ownerId">Sets <see cref="AccountInsight.OwnerId"/>.</param>
    /// <param name="territory">Sets <see cref="AccountInsight.Territory"/>.</param>
    /// <param name="isCustomer">Sets <see cref="AccountInsight.IsCustomer"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="AccountInsight.WonRevenue"/>.</param>
    /// <param name="openPipeline">Sets <see cref="AccountInsight.OpenPipeline"/>.</param>
    /// <param name="openCount">Sets <see cref="AccountInsight.OpenCount"/>.</param>
    /// <param name="growth">Sets <see cref="AccountInsight.Growth"/>.</param>
    /// <param name="health">Sets <see cref="AccountInsight.Health"/>.</param>
    /// <param name="churnRisk">Sets <see cref="AccountInsight.ChurnRisk"/>.</param>
    /// <param name="engagement">Sets <see cref="AccountInsight.Engagement"/>.</param>
    /// <param name="lifetimeValue">Sets <see cref="AccountInsight.LifetimeValue"/>.</param>
    /// <param name="expansionReasons">Sets <see cref="AccountInsight.ExpansionReasons"/>.</param>
    /// <returns>A new <see cref="AccountInsight"/>.</returns>
    public static AccountInsight AccountInsight(
        string? accountId = null,
        string? name = null,
        string? industry = null,
        string? type = null,
        string? ownerId = null,
        string? territory = null,
        bool isCustomer = default,
        double wonRevenue = default,
        double openPipeline = default,
        int openCount = default,
        IEnumerable<PeriodRevenue>? growth = null,
        AccountHealth? health = null,
        ChurnRisk? churnRisk = null,
        AccountEngagement? engagement = null,
        CustomerLifetimeValue? lifetimeValue = null,
        IEnumerable<ScoreReason>? expansionReasons = null) =>
        new()
        {
            AccountId = accountId ?? string.Empty,
            Name = name,
            Industry = industry,
            Type = type,
            OwnerId = ownerId,
            Territory = territory ?? string.Empty,
            IsCustomer = isCustomer,
            WonRevenue = wonRevenue,
            OpenPipeline = openPipeline,
            OpenCount = openCount,
            Growth = growth?.ToList() ?? [],
            Health = health ?? new AccountHealth(),
            ChurnRisk = churnRisk,
            Engagement = engagement ?? new AccountEngagement(),
            LifetimeValue = lifetimeValue,
            ExpansionReasons = expansionReasons?.ToList() ?? [],
        };

    /// <summary>Creates an <see cref="AccountReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="start">Sets <see cref="AccountReport.Start"/>.</param>
    /// <param name="end">Sets <see cref="AccountReport.End"/>.</param>
    /// <param name="growthPeriod">Sets <see cref="AccountReport.GrowthPeriod"/>.</param>
    /// <param name="growth">Sets <see cref="AccountReport.Growth"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="AccountReport.WonRevenue"/>.</param>
    /// <param name="openPipeline">Sets <see cref="AccountReport.OpenPipeline"/>.</param>
    /// <param name="accounts">Sets <see cref="AccountReport.Accounts"/>.</param>
    /// <param name="churnRisks">Sets <see cref="AccountReport.ChurnRisks"/>.</param>
    /// <param name="expansionCandidates">Sets <see cref="AccountReport.ExpansionCandidates"/>.</param>
    /// <param name="groups">Sets <see cref="AccountReport.Groups"/>.</param>
    /// <param name="territories">Sets <see cref="AccountReport.Territories"/>.</param>
    /// <param name="retention">Sets <see cref="AccountReport.Retention"/>.</param>
    /// <returns>A new <see cref="AccountReport"/>.</returns>
    public static AccountReport AccountReport(
        DateOnly? start = null,
        DateOnly? end = null,
        CalendarPeriod growthPeriod = default,
        IEnumerable<PeriodRevenue>? growth = null,
        double wonRevenue = default,
        double openPipeline = default,
        IEnumerable<AccountInsight>? accounts = null,
        IEnumerable<AccountInsight>? churnRisks = null,
        IEnumerable<AccountInsight>? expansionCandidates = null,
        IEnumerable<AccountGroup>? groups = null,
        IEnumerable<TerritorySummary>? territories = null,
        RetentionModel? retention = null) =>
        new()
        {
            Start = start,
            End = end,
            GrowthPeriod = growthPeriod,
            Growth = growth?.ToList() ?? [],
            WonRevenue = wonRevenue,
            OpenPipeline = openPipeline,
            Accounts = accounts?.ToList() ?? [],
            ChurnRisks = churnRisks?.ToList() ?? [],
            ExpansionCandidates = expansionCandidates?.ToList() ?? [],
            Groups = groups?.ToList() ?? [],
            Territories = territories?.ToList() ?? [],
            Retention = retention ?? new RetentionModel(),
        };

    /// <summary>Creates an <see cref="ActivityCounts"/> with the given values, for tests and mocks.</summary>
    /// <param name="total">Sets <see cref="ActivityCounts.Total"/>.</param>
    /// <param name="tasks">Sets <see cref="ActivityCounts.Tasks"/>.</param>
    /// <param name="events">Sets <see cref="ActivityCounts.Events"/>.</param>
    /// <param name="calls">Sets <see cref="ActivityCounts.Calls"/>.</param>
    /// <param name="emails">Sets <see cref="ActivityCounts.Emails"/>.</param>
    /// <param name="meetings">Sets <see cref="ActivityCounts.Meetings"/>.</param>
    /// <param name="completedTasks">Sets <see cref="ActivityCounts.CompletedTasks"/>.</param>
    /// <returns>A new <see cref="ActivityCounts"/>.</returns>
    public static ActivityCounts ActivityCounts(
        int total = default,
        int tasks = default,
        int events = default,
        int calls = default,
        int emails = default,
        int meetings = default,
        int completedTasks = default) =>
        new()
        {
            Total = total,
            Tasks = tasks,
            Events = events,
            Calls = calls,
            Emails = emails,
            Meetings = meetings,
            CompletedTasks = completedTasks,
        };

    /// <summary>Creates a <see cref="ChurnRisk"/> with the given values, for tests and mocks.</summary>
    /// <param name="level">Sets <see cref="ChurnRisk.Level"/>.</param>
    /// <param name="points">Sets <see cref="ChurnRisk.Points"/>.</param>
    /// <param name="reasons">Sets <see cref="ChurnRisk.Reasons"/>.</param>
    /// <returns>A new <see cref="ChurnRisk"/>.</returns>
    public static ChurnRisk ChurnRisk(
        ChurnRiskLevel level = default,
        int points = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            Level = level,
            Points = points,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="CustomerLifetimeValue"/> with the given values, for tests and mocks.</summary>
    /// <param name="historicalValue">Sets <see cref="CustomerLifetimeValue.HistoricalValue"/>.</param>
    /// <param name="customerYears">Sets <see cref="CustomerLifetimeValue.CustomerYears"/>.</param>
    /// <param name="annualValue">Sets <see cref="CustomerLifetimeValue.AnnualValue"/>.</param>
    /// <param name="predictedFutureValue">Sets <see cref="CustomerLifetimeValue.PredictedFutureValue"/>.</param>
    /// <param name="predictedLifetimeValue">Sets <see cref="CustomerLifetimeValue.PredictedLifetimeValue"/>.</param>
    /// <returns>A new <see cref="CustomerLifetimeValue"/>.</returns>
    public static CustomerLifetimeValue CustomerLifetimeValue(
        double historicalValue = default,
        double customerYears = default,
        double annualValue = default,
        double? predictedFutureValue = null,
        double? predictedLifetimeValue = null) =>
        new()
        {
            HistoricalValue = historicalValue,
            CustomerYears = customerYears,
            AnnualValue = annualValue,
            PredictedFutureValue = predictedFutureValue,
            PredictedLifetimeValue = predictedLifetimeValue,
        };

    /// <summary>Creates a <see cref="HealthComponent"/> with the given values, for tests and mocks.</summary>
    /// <param name="factor">Sets <see cref="HealthComponent.Factor"/>.</param>
    /// <param name="weight">Sets <see cref="HealthComponent.Weight"/>.</param>
    /// <param name="value">Sets <see cref="HealthComponent.Value"/>.</param>
    /// <param name="points">Sets <see cref="HealthComponent.Points"/>.</param>
    /// <param name="reason">Sets <see cref="HealthComponent.Reason"/>.</param>
    /// <returns>A new <see cref="HealthComponent"/>.</returns>
    public static HealthComponent HealthComponent(
        string? factor = null,
        double weight = default,
        double value = default,
        double points = default,
        string? reason = null) =>
        new()
        {
            Factor = factor ?? string.Empty,
            Weight = weight,
            Value = value,
            Points = points,
            Reason = reason ?? string.Empty,
        };

    /// <summary>Creates a <see cref="PeriodRevenue"/> with the given values, for tests and mocks.</summary>
    /// <param name="period">Sets <see cref="PeriodRevenue.Period"/>.</param>
    /// <param name="start">Sets <see cref="PeriodRevenue.Start"/>.</param>
    /// <param name="end">Sets <see cref="PeriodRevenue.End"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="PeriodRevenue.WonRevenue"/>.</param>
    /// <param name="wonCount">Sets <see cref="PeriodRevenue.WonCount"/>.</param>
    /// <param name="priorYearRevenue">Sets <see cref="PeriodRevenue.PriorYearRevenue"/>.</param>
    /// <param name="yearOverYearChange">Sets <see cref="PeriodRevenue.YearOverYearChange"/>.</param>
    /// <returns>A new <see cref="PeriodRevenue"/>.</returns>
    public static PeriodRevenue PeriodRevenue(
        string? period = null,
        DateOnly start = default,
        DateOnly end = default,
        double wonRevenue = default,
        int wonCount = default,
        double priorYearRevenue = default,
        double? yearOverYearChange = null) =>
        new()
        {
            Period = period ?? string.Empty,
            Start = start,
            End = end,
            WonRevenue = wonRevenue,
            WonCount = wonCount,
            PriorYearRevenue = priorYearRevenue,
            YearOverYearChange = yearOverYearChange,
        };

    /// <summary>Creates a <see cref="RetentionModel"/> with the given values, for tests and mocks.</summary>
    /// <param name="years">Sets <see cref="RetentionModel.Years"/>.</param>
    /// <param name="retentionRate">Sets <see cref="RetentionModel.RetentionRate"/>.</param>
    /// <param name="discountRate">Sets <see cref="RetentionModel.DiscountRate"/>.</param>
    /// <param name="horizonYears">Sets <see cref="RetentionModel.HorizonYears"/>.</param>
    /// <param name="lifetimeMultiplier">Sets <see cref="RetentionModel.LifetimeMultiplier"/>.</param>
    /// <returns>A new <see cref="RetentionModel"/>.</returns>
    public static RetentionModel RetentionModel(
        IEnumerable<RetentionYear>? years = null,
        double? retentionRate = null,
        double discountRate = default,
        int horizonYears = default,
        double? lifetimeMultiplier = null) =>
        new()
        {
            Years = years?.ToList() ?? [],
            RetentionRate = retentionRate,
            DiscountRate = discountRate,
            HorizonYears = horizonYears,
            LifetimeMultiplier = lifetimeMultiplier,
        };

    /// <summary>Creates a <see cref="RetentionYear"/> with the given values, for tests and mocks.</summary>
    /// <param name="start">Sets <see cref="RetentionYear.Start"/>.</param>
    /// <param name="end">Sets <see cref="RetentionYear.End"/>.</param>
    /// <param name="customers">Sets <see cref="RetentionYear.Customers"/>.</param>
    /// <param name="retainedNextYear">Sets <see cref="RetentionYear.RetainedNextYear"/>.</param>
    /// <returns>A new <see cref="RetentionYear"/>.</returns>
    public static RetentionYear RetentionYear(
        DateOnly start = default,
        DateOnly end = default,
        int customers = default,
        int retainedNextYear = default) =>
        new()
        {
            Start = start,
            End = end,
            Customers = customers,
            RetainedNextYear = retainedNextYear,
        };

    /// <summary>Creates a <see cref="TerritorySummary"/> with the given values, for tests and mocks.</summary>
    /// <param name="territory">Sets <see cref="TerritorySummary.Territory"/>.</param>
    /// <param name="accounts">Sets <see cref="TerritorySummary.Accounts"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="TerritorySummary.WonRevenue"/>.</param>
    /// <param name="openPipeline">Sets <see cref="TerritorySummary.OpenPipeline"/>.</param>
    /// <returns>A new <see cref="TerritorySummary"/>.</returns>
    public static TerritorySummary TerritorySummary(
        string? territory = null,
        int accounts = default,
        double wonRevenue = default,
        double openPipeline = default) =>
        new()
        {
            Territory = territory ?? string.Empty,
            Accounts = accounts,
            WonRevenue = wonRevenue,
            OpenPipeline = openPipeline,
        };

    /// <summary>Creates a <see cref="DuplicateCluster"/> with the given values, for tests and mocks.</summary>
    /// <param name="ids">Sets <see cref="DuplicateCluster.Ids"/>.</param>
    /// <returns>A new <see cref="DuplicateCluster"/>.</returns>
    public static DuplicateCluster DuplicateCluster(IEnumerable<string>? ids = null) =>
        new()
        {
            Ids = ids?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="DuplicatePair"/> with the given values, for tests and mocks.</summary>
    /// <param name="firstId">Sets <see cref="DuplicatePair.FirstId"/>.</param>
    /// <param name="secondId">Sets <see cref="DuplicatePair.SecondId"/>.</param>
    /// <param name="score">Sets <see cref="DuplicatePair.Score"/>.</param>
    /// <param name="reasons">Sets <see cref="DuplicatePair.Reasons"/>.</param>
    /// <returns>A new <see cref="DuplicatePair"/>.</returns>
    public static DuplicatePair DuplicatePair(
        string? firstId = null,
        string? secondId = null,
        double score = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            FirstId = firstId ?? string.Empty,
            SecondId = secondId ?? string.Empty,
            Score = score,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="DuplicateReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="recordCount">Sets <see cref="DuplicateReport.RecordCount"/>.</param>
    /// <param name="comparisons">Sets <see cref="DuplicateReport.Comparisons"/>.</param>
    /// <param name="oversizedBlocks">Sets <see cref="DuplicateReport.OversizedBlocks"/>.</param>
    /// <param name="pairs">Sets <see cref="DuplicateReport.Pairs"/>.</param>
    /// <param name="clusters">Sets <see cref="DuplicateReport.Clusters"/>.</param>
    /// <returns>A new <see cref="DuplicateReport"/>.</returns>
    public static DuplicateReport DuplicateReport(
        int recordCount = default,
        long comparisons = default,
        int oversizedBlocks = default,
        IEnumerable<DuplicatePair>? pairs = null,
        IEnumerable<DuplicateCluster>? clusters = null) =>
        new()
        {
            RecordCount = recordCount,
            Comparisons = comparisons,
            OversizedBlocks = oversizedBlocks,
            Pairs = pairs?.ToList() ?? [],
            Clusters = clusters?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="DuplicateScan"/> with the given values, for tests and mocks.</summary>
    /// <param name="accounts">Sets <see cref="DuplicateScan.Accounts"/>.</param>
    /// <param name="contacts">Sets <see cref="DuplicateScan.Contacts"/>.</param>
    /// <param name="leads">Sets <see cref="DuplicateScan.Leads"/>.</param>
    /// <param name="leadsMatchingContacts">Sets <see cref="DuplicateScan.LeadsMatchingContacts"/>.</param>
    /// <param name="leadsMatchingAccounts">Sets <see cref="DuplicateScan.LeadsMatchingAccounts"/>.</param>
    /// <returns>A new <see cref="DuplicateScan"/>.</returns>
    public static DuplicateScan DuplicateScan(
        DuplicateReport? accounts = null,
        DuplicateReport? contacts = null,
        DuplicateReport? leads = null,
        DuplicateReport? leadsMatchingContacts = null,
        DuplicateReport? leadsMatchingAccounts = null) =>
        new()
        {
            Accounts = accounts ?? new DuplicateReport(),
            Contacts = contacts ?? new DuplicateReport(),
            Leads = leads ?? new DuplicateReport(),
            LeadsMatchingContacts = leadsMatchingContacts ?? new DuplicateReport(),
            LeadsMatchingAccounts = leadsMatchingAccounts ?? new DuplicateReport(),
        };

    /// <summary>Creates a <see cref="LeadAgingBucket"/> with the given values, for tests and mocks.</summary>
    /// <param name="minDays">Sets <see cref="LeadAgingBucket.MinDays"/>.</param>
    /// <param name="maxDays">Sets <see cref="LeadAgingBucket.MaxDays"/>.</param>
    /// <param name="count">Sets <see cref="LeadAgingBucket.Count"/>.</param>
    /// <returns>A new <see cref="LeadAgingBucket"/>.</returns>
    public static LeadAgingBucket LeadAgingBucket(
        int minDays = default,
        int? maxDays = null,
        int count = default) =>
        new()
        {
            MinDays = minDays,
            MaxDays = maxDays,
            Count = count,
        };

    /// <summary>Creates a <see cref="LeadCampaign"/> with the given values, for tests and mocks.</summary>
    /// <param name="campaignId">Sets <see cref="LeadCampaign.CampaignId"/>.</param>
    /// <param name="name">Sets <see cref="LeadCampaign.Name"/>.</param>
    /// <param name="members">Sets <see cref="LeadCampaign.Members"/>.</param>
    /// <param name="converted">Sets <see cref="LeadCampaign.Converted"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="LeadCampaign.WonRevenue"/>.</param>
    /// <param name="cost">Sets <see cref="LeadCampaign.Cost"/>.</param>
    /// <param name="roi">Sets <see cref="LeadCampaign.Roi"/>.</param>
    /// <returns>A new <see cref="LeadCampaign"/>.</returns>
    public static LeadCampaign LeadCampaign(
        string? campaignId = null,
        string? name = null,
        int members = default,
        int converted = default,
        double wonRevenue = default,
        double? cost = null,
        double? roi = null) =>
        new()
        {
            CampaignId = campaignId ?? string.Empty,
            Name = name,
            Members = members,
            Converted = converted,
            WonRevenue = wonRevenue,
            Cost = cost,
            Roi = roi,
        };

    /// <summary>Creates a <see cref="LeadGroup"/> with the given values, for tests and mocks.</summary>
    /// <param name="key">Sets <see cref="LeadGroup.Key"/>.</param>
    /// <param name="leads">Sets <see cref="LeadGroup.Leads"/>.</param>
    /// <param name="converted">Sets <see cref="LeadGroup.Converted"/>.</param>
    /// <param name="conversionRate">Sets <see cref="LeadGroup.ConversionRate"/>.</param>
    /// <param name="meanDaysToConvert">Sets <see cref="LeadGroup.MeanDaysToConvert"/>.</param>
    /// <param name="medianDaysToConvert">Sets <see cref="LeadGroup.MedianDaysToConvert"/>.</param>
    /// <param name="opportunities">Sets <see cref="LeadGroup.Opportunities"/>.</param>
    /// <param name="wonOpportunities">Sets <see cref="LeadGroup.WonOpportunities"/>.</param>
    /// <param name="wonRevenue">Sets <see cref="LeadGroup.WonRevenue"/>.</param>
    /// <param name="cost">Sets <see cref="LeadGroup.Cost"/>.</param>
    /// <param name="roi">Sets <see cref="LeadGroup.Roi"/>.</param>
    /// <returns>A new <see cref="LeadGroup"/>.</returns>
    public static LeadGroup LeadGroup(
        string? key = null,
        int leads = default,
        int converted = default,
        double? conversionRate = null,
        double? meanDaysToConvert = null,
        double? medianDaysToConvert = null,
        int opportunities = default,
        int wonOpportunities = default,
        double wonRevenue = default,
        double? cost = null,
        double? roi = null) =>
        new()
        {
            Key = key,
            Leads = leads,
            Converted = converted,
            ConversionRate = conversionRate,
            MeanDaysToConvert = meanDaysToConvert,
            MedianDaysToConvert = medianDaysToConvert,
            Opportunities = opportunities,
            WonOpportunities = wonOpportunities,
            WonRevenue = wonRevenue,
            Cost = cost,
            Roi = roi,
        };

    /// <summary>Creates a <see cref="LeadMonth"/> with the given values, for tests and mocks.</summary>
    /// <param name="month">Sets <see cref="LeadMonth.Month"/>.</param>
    /// <param name="leads">Sets <see cref="LeadMonth.Leads"/>.</param>
    /// <param name="converted">Sets <see cref="LeadMonth.Converted"/>.</param>
    /// <param name="conversionRate">Sets <see cref="LeadMonth.ConversionRate"/>.</param>
    /// <param name="hotShare">Sets <see cref="LeadMonth.HotShare"/>.</param>
    /// <param name="meanRuleScore">Sets <see cref="LeadMonth.MeanRuleScore"/>.</param>
    /// <param name="qualified">Sets <see cref="LeadMonth.Qualified"/>.</param>
    /// <param name="velocityRate">Sets <see cref="LeadMonth.VelocityRate"/>.</param>
    /// <returns>A new <see cref="LeadMonth"/>.</returns>
    public static LeadMonth LeadMonth(
        DateOnly month = default,
        int leads = default,
        int converted = default,
        double? conversionRate = null,
        double? hotShare = null,
        double? meanRuleScore = null,
        int qualified = default,
        double? velocityRate = null) =>
        new()
        {
            Month = month,
            Leads = leads,
            Converted = converted,
            ConversionRate = conversionRate,
            HotShare = hotShare,
            MeanRuleScore = meanRuleScore,
            Qualified = qualified,
            VelocityRate = velocityRate,
        };

    /// <summary>Creates a <see cref="LeadReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="start">Sets <see cref="LeadReport.Start"/>.</param>
    /// <param name="end">Sets <see cref="LeadReport.End"/>.</param>
    /// <param name="groupBy">Sets <see cref="LeadReport.GroupBy"/>.</param>
    /// <param name="total">Sets <see cref="LeadReport.Total"/>.</param>
    /// <param name="groups">Sets <see cref="LeadReport.Groups"/>.</param>
    /// <param name="campaigns">Sets <see cref="LeadReport.Campaigns"/>.</param>
    /// <param name="months">Sets <see cref="LeadReport.Months"/>.</param>
    /// <param name="aging">Sets <see cref="LeadReport.Aging"/>.</param>
    /// <param name="staleCount">Sets <see cref="LeadReport.StaleCount"/>.</param>
    /// <param name="stale">Sets <see cref="LeadReport.Stale"/>.</param>
    /// <param name="scoring">Sets <see cref="LeadReport.Scoring"/>.</param>
    /// <returns>A new <see cref="LeadReport"/>.</returns>
    public static LeadReport LeadReport(
        DateOnly? start = null,
        DateOnly? end = null,
        LeadDimension groupBy = default,
        LeadGroup? total = null,
        IEnumerable<LeadGroup>? groups = null,
        IEnumerable<LeadCampaign>? campaigns = null,
        IEnumerable<LeadMonth>? months = null,
        IEnumerable<LeadAgingBucket>? aging = null,
        int staleCount = default,
        IEnumerable<StaleLead>? stale = null,
        LeadScoringAccuracy? scoring = null) =>
        new()
        {
            Start = start,
            End = end,
            GroupBy = groupBy,
            Total = total ?? new LeadGroup(),
            Groups = groups?.ToList() ?? [],
            Campaigns = campaigns?.ToList() ?? [],
            Months = months?.ToList() ?? [],
            Aging = aging?.ToList() ?? [],
            StaleCount = staleCount,
            Stale = stale?.ToList() ?? [],
            Scoring = scoring ?? new LeadScoringAccuracy(),
        };

    /// <summary>Creates a <see cref="LeadScoringAccuracy"/> with the given values, for tests and mocks.</summary>
    /// <param name="trainingCount">Sets <see cref="LeadScoringAccuracy.TrainingCount"/>.</param>
    /// <param name="heldOutCount">Sets <see cref="LeadScoringAccuracy.HeldOutCount"/>.</param>
    /// <param name="model">Sets <see cref="LeadScoringAccuracy.Model"/>.</param>
    /// <param name="rules">Sets <see cref="LeadScoringAccuracy.Rules"/>.</param>
    /// <returns>A new <see cref="LeadScoringAccuracy"/>.</returns>
    public static LeadScoringAccuracy LeadScoringAccuracy(
        int trainingCount = default,
        int heldOutCount = default,
        ModelAccuracy? model = null,
        ModelAccuracy? rules = null) =>
        new()
        {
            TrainingCount = trainingCount,
            HeldOutCount = heldOutCount,
            Model = model,
            Rules = rules,
        };

    /// <summary>Creates a <see cref="StaleLead"/> with the given values, for tests and mocks.</summary>
    /// <param name="leadId">Sets <see cref="StaleLead.LeadId"/>.</param>
    /// <param name="company">Sets <see cref="StaleLead.Company"/>.</param>
    /// <param name="status">Sets <see cref="StaleLead.Status"/>.</param>
    /// <param name="leadSource">Sets <see cref="StaleLead.LeadSource"/>.</param>
    /// <param name="ownerId">Sets <see cref="StaleLead.OwnerId"/>.</param>
    /// <param name="createdDate">Sets <see cref="StaleLead.CreatedDate"/>.</param>
    /// <param name="ageDays">Sets <see cref="StaleLead.AgeDays"/>.</param>
    /// <param name="daysInactive">Sets <see cref="StaleLead.DaysInactive"/>.</param>
    /// <returns>A new <see cref="StaleLead"/>.</returns>
    public static StaleLead StaleLead(
        string? leadId = null,
        string? company = null,
        string? status = null,
        string? leadSource = null,
        string? ownerId = null,
        DateOnly createdDate = default,
        int ageDays = default,
        int daysInactive = default) =>
        new()
        {
            LeadId = leadId ?? string.Empty,
            Company = company,
            Status = status,
            LeadSource = leadSource,
            OwnerId = ownerId,
            CreatedDate = createdDate,
            AgeDays = ageDays,
            DaysInactive = daysInactive,
        };

    /// <summary>Creates an <see cref="OwnerPerformance"/> with the given values, for tests and mocks.</summary>
    /// <param name="ownerId">Sets <see cref="OwnerPerformance.OwnerId"/>.</param>
    /// <param name="name">Sets <see cref="OwnerPerformance.Name"/>.</param>
    /// <param name="managerId">Sets <see cref="OwnerPerformance.ManagerId"/>.</param>
    /// <param name="metrics">Sets <see cref="OwnerPerformance.Metrics"/>.</param>
    /// <returns>A new <see cref="OwnerPerformance"/>.</returns>
    public static OwnerPerformance OwnerPerformance(
        string? ownerId = null,
        string? name = null,
        string? managerId = null,
        PerformanceMetrics? metrics = null) =>
        new()
        {
            OwnerId = ownerId ?? string.Empty,
            Name = name,
            ManagerId = managerId,
            Metrics = metrics ?? new PerformanceMetrics(),
        };

    /// <summary>Creates a <see cref="PerformanceMetrics"/> with the given values, for tests and mocks.</summary>
    /// <param name="wonAmount">Sets <see cref="PerformanceMetrics.WonAmount"/>.</param>
    /// <param name="wonCount">Sets <see cref="PerformanceMetrics.WonCount"/>.</param>
    /// <param name="lostCount">Sets <see cref="PerformanceMetrics.LostCount"/>.</param>
    /// <param name="winRate">Sets <see cref="PerformanceMetrics.WinRate"/>.</param>
    /// <param name="averageDealSize">Sets <see cref="PerformanceMetrics.AverageDealSize"/>.</param>
    /// <param name="meanCycleDays">Sets <see cref="PerformanceMetrics.MeanCycleDays"/>.</param>
    /// <param name="medianCycleDays">Sets <see cref="PerformanceMetrics.MedianCycleDays"/>.</param>
    /// <param name="activities">Sets <see cref="PerformanceMetrics.Activities"/>.</param>
    /// <param name="openPipeline">Sets <see cref="PerformanceMetrics.OpenPipeline"/>.</param>
    /// <param name="openCount">Sets <see cref="PerformanceMetrics.OpenCount"/>.</param>
    /// <param name="nextPeriodPipeline">Sets <see cref="PerformanceMetrics.NextPeriodPipeline"/>.</param>
    /// <param name="quota">Sets <see cref="PerformanceMetrics.Quota"/>.</param>
    /// <param name="averageWonPerPeriod">Sets <see cref="PerformanceMetrics.AverageWonPerPeriod"/>.</param>
    /// <param name="pipelineCoverage">Sets <see cref="PerformanceMetrics.PipelineCoverage"/>.</param>
    /// <returns>A new <see cref="PerformanceMetrics"/>.</returns>
    public static PerformanceMetrics PerformanceMetrics(
        double wonAmount = default,
        int wonCount = default,
        int lostCount = default,
        double? winRate = null,
        double? averageDealSize = null,
        double? meanCycleDays = null,
        double? medianCycleDays = null,
        ActivityCounts? activities = null,
        double openPipeline = default,
        int openCount = default,
        double nextPeriodPipeline = default,
        double? quota = null,
        double averageWonPerPeriod = default,
        double? pipelineCoverage = null) =>
        new()
        {
            WonAmount = wonAmount,
            WonCount = wonCount,
            LostCount = lostCount,
            WinRate = winRate,
            AverageDealSize = averageDealSize,
            MeanCycleDays = meanCycleDays,
            MedianCycleDays = medianCycleDays,
            Activities = activities ?? new ActivityCounts(),
            OpenPipeline = openPipeline,
            OpenCount = openCount,
            NextPeriodPipeline = nextPeriodPipeline,
            Quota = quota,
            AverageWonPerPeriod = averageWonPerPeriod,
            PipelineCoverage = pipelineCoverage,
        };

    /// <summary>Creates a <see cref="PerformanceReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="start">Sets <see cref="PerformanceReport.Start"/>.</param>
    /// <param name="end">Sets <see cref="PerformanceReport.End"/>.</param>
    /// <param name="coveragePeriod">Sets <see cref="PerformanceReport.CoveragePeriod"/>.</param>
    /// <param name="nextPeriodStart">Sets <see cref="PerformanceReport.NextPeriodStart"/>.</param>
    /// <param name="nextPeriodEnd">Sets <see cref="PerformanceReport.NextPeriodEnd"/>.</param>
    /// <param name="periodsMeasured">Sets <see cref="PerformanceReport.PeriodsMeasured"/>.</param>
    /// <param name="total">Sets <see cref="PerformanceReport.Total"/>.</param>
    /// <param name="owners">Sets <see cref="PerformanceReport.Owners"/>.</param>
    /// <param name="teams">Sets <see cref="PerformanceReport.Teams"/>.</param>
    /// <returns>A new <see cref="PerformanceReport"/>.</returns>
    public static PerformanceReport PerformanceReport(
        DateOnly? start = null,
        DateOnly? end = null,
        CalendarPeriod coveragePeriod = default,
        DateOnly nextPeriodStart = default,
        DateOnly nextPeriodEnd = default,
        int periodsMeasured = default,
        PerformanceMetrics? total = null,
        IEnumerable<OwnerPerformance>? owners = null,
        IEnumerable<TeamPerformance>? teams = null) =>
        new()
        {
            Start = start,
            End = end,
            CoveragePeriod = coveragePeriod,
            NextPeriodStart = nextPeriodStart,
            NextPeriodEnd = nextPeriodEnd,
            PeriodsMeasured = periodsMeasured,
            Total = total ?? new PerformanceMetrics(),
            Owners = owners?.ToList() ?? [],
            Teams = teams?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="TeamPerformance"/> with the given values, for tests and mocks.</summary>
    /// <param name="managerId">Sets <see cref="TeamPerformance.ManagerId"/>.</param>
    /// <param name="managerName">Sets <see cref="TeamPerformance.ManagerName"/>.</param>
    /// <param name="memberIds">Sets <see cref="TeamPerformance.MemberIds"/>.</param>
    /// <param name="metrics">Sets <see cref="TeamPerformance.Metrics"/>.</param>
    /// <returns>A new <see cref="TeamPerformance"/>.</returns>
    public static TeamPerformance TeamPerformance(
        string? managerId = null,
        string? managerName = null,
        IEnumerable<string>? memberIds = null,
        PerformanceMetrics? metrics = null) =>
        new()
        {
            ManagerId = managerId ?? string.Empty,
            ManagerName = managerName,
            MemberIds = memberIds?.ToList() ?? [],
            Metrics = metrics ?? new PerformanceMetrics(),
        };

    /// <summary>Creates an <see cref="AtRiskDeal"/> with the given values, for tests and mocks.</summary>
    /// <param name="opportunityId">Sets <see cref="AtRiskDeal.OpportunityId"/>.</param>
    /// <param name="stageName">Sets <see cref="AtRiskDeal.StageName"/>.</param>
    /// <param name="amount">Sets <see cref="AtRiskDeal.Amount"/>.</param>
    /// <param name="closeDate">Sets <see cref="AtRiskDeal.CloseDate"/>.</param>
    /// <param name="daysSinceStageChange">Sets <see cref="AtRiskDeal.DaysSinceStageChange"/>.</param>
    /// <param name="closeDatePushes">Sets <see cref="AtRiskDeal.CloseDatePushes"/>.</param>
    /// <param name="daysOverdue">Sets <see cref="AtRiskDeal.DaysOverdue"/>.</param>
    /// <param name="reasons">Sets <see cref="AtRiskDeal.Reasons"/>.</param>
    /// <returns>A new <see cref="AtRiskDeal"/>.</returns>
    public static AtRiskDeal AtRiskDeal(
        string? opportunityId = null,
        string? stageName = null,
        double amount = default,
        DateOnly closeDate = default,
        int daysSinceStageChange = default,
        int closeDatePushes = default,
        int daysOverdue = default,
        AtRiskReasons reasons = default) =>
        new()
        {
            OpportunityId = opportunityId ?? string.Empty,
            StageName = stageName ?? string.Empty,
            Amount = amount,
            CloseDate = closeDate,
            DaysSinceStageChange = daysSinceStageChange,
            CloseDatePushes = closeDatePushes,
            DaysOverdue = daysOverdue,
            Reasons = reasons,
        };

    /// <summary>Creates a <see cref="BottleneckReason"/> with the given values, for tests and mocks.</summary>
    /// <param name="measure">Sets <see cref="BottleneckReason.Measure"/>.</param>
    /// <param name="value">Sets <see cref="BottleneckReason.Value"/>.</param>
    /// <param name="typical">Sets <see cref="BottleneckReason.Typical"/>.</param>
    /// <param name="ratio">Sets <see cref="BottleneckReason.Ratio"/>.</param>
    /// <param name="score">Sets <see cref="BottleneckReason.Score"/>.</param>
    /// <returns>A new <see cref="BottleneckReason"/>.</returns>
    public static BottleneckReason BottleneckReason(
        BottleneckMeasure measure = default,
        double value = default,
        double typical = default,
        double ratio = default,
        double score = default) =>
        new()
        {
            Measure = measure,
            Value = value,
            Typical = typical,
            Ratio = ratio,
            Score = score,
        };

    /// <summary>Creates a <see cref="BottleneckStage"/> with the given values, for tests and mocks.</summary>
    /// <param name="rank">Sets <see cref="BottleneckStage.Rank"/>.</param>
    /// <param name="stageName">Sets <see cref="BottleneckStage.StageName"/>.</param>
    /// <param name="score">Sets <see cref="BottleneckStage.Score"/>.</param>
    /// <param name="openCount">Sets <see cref="BottleneckStage.OpenCount"/>.</param>
    /// <param name="openAmount">Sets <see cref="BottleneckStage.OpenAmount"/>.</param>
    /// <param name="reasons">Sets <see cref="BottleneckStage.Reasons"/>.</param>
    /// <returns>A new <see cref="BottleneckStage"/>.</returns>
    public static BottleneckStage BottleneckStage(
        int rank = default,
        string? stageName = null,
        double score = default,
        int openCount = default,
        double openAmount = default,
        IEnumerable<BottleneckReason>? reasons = null) =>
        new()
        {
            Rank = rank,
            StageName = stageName ?? string.Empty,
            Score = score,
            OpenCount = openCount,
            OpenAmount = openAmount,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="DealSizeDistribution"/> with the given values, for tests and mocks.</summary>
    /// <param name="count">Sets <see cref="DealSizeDistribution.Count"/>.</param>
    /// <param name="mean">Sets <see cref="DealSizeDistribution.Mean"/>.</param>
    /// <param name="p25">Sets <see cref="DealSizeDistribution.P25"/>.</param>
    /// <param name="p50">Sets <see cref="DealSizeDistribution.P50"/>.</param>
    /// <param name="p75">Sets <see cref="DealSizeDistribution.P75"/>.</param>
    /// <param name="p90">Sets <see cref="DealSizeDistribution.P90"/>.</param>
    /// <param name="bins">Sets <see cref="DealSizeDistribution.Bins"/>.</param>
    /// <returns>A new <see cref="DealSizeDistribution"/>.</returns>
    public static DealSizeDistribution DealSizeDistribution(
        int count = default,
        double? mean = null,
        double? p25 = null,
        double? p50 = null,
        double? p75 = null,
        double? p90 = null,
        IEnumerable<HistogramBin>? bins = null) =>
        new()
        {
            Count = count,
            Mean = mean,
            P25 = p25,
            P50 = p50,
            P75 = p75,
            P90 = p90,
            Bins = bins?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="ForecastCell"/> with the given values, for tests and mocks.</summary>
    /// <param name="category">Sets <see cref="ForecastCell.Category"/>.</param>
    /// <param name="count">Sets <see cref="ForecastCell.Count"/>.</param>
    /// <param name="amount">Sets <see cref="ForecastCell.Amount"/>.</param>
    /// <param name="weightedAmount">Sets <see cref="ForecastCell.WeightedAmount"/>.</param>
    /// <returns>A new <see cref="ForecastCell"/>.</returns>
    public static ForecastCell ForecastCell(
        string? category = null,
        int count = default,
        double amount = default,
        double weightedAmount = default) =>
        new()
        {
            Category = category ?? string.Empty,
            Count = count,
            Amount = amount,
            WeightedAmount = weightedAmount,
        };

    /// <summary>Creates a <see cref="ForecastPeriod"/> with the given values, for tests and mocks.</summary>
    /// <param name="period">Sets <see cref="ForecastPeriod.Period"/>.</param>
    /// <param name="start">Sets <see cref="ForecastPeriod.Start"/>.</param>
    /// <param name="end">Sets <see cref="ForecastPeriod.End"/>.</param>
    /// <param name="categories">Sets <see cref="ForecastPeriod.Categories"/>.</param>
    /// <returns>A new <see cref="ForecastPeriod"/>.</returns>
    public static ForecastPeriod ForecastPeriod(
        string? period = null,
        DateOnly start = default,
        DateOnly end = default,
        IEnumerable<ForecastCell>? categories = null) =>
        new()
        {
            Period = period ?? string.Empty,
            Start = start,
            End = end,
            Categories = categories?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="HistogramBin"/> with the given values, for tests and mocks.</summary>
    /// <param name="lowerBound">Sets <see cref="HistogramBin.LowerBound"/>.</param>
    /// <param name="upperBound">Sets <see cref="HistogramBin.UpperBound"/>.</param>
    /// <param name="count">Sets <see cref="HistogramBin.Count"/>.</param>
    /// <returns>A new <see cref="HistogramBin"/>.</returns>
    public static HistogramBin HistogramBin(
        double lowerBound = default,
        double? upperBound = null,
        int count = default) =>
        new()
        {
            LowerBound = lowerBound,
            UpperBound = upperBound,
            Count = count,
        };

    /// <summary>Creates a <see cref="PipelineGroup"/> with the given values, for tests and mocks.</summary>
    /// <param name="key">Sets <see cref="PipelineGroup.Key"/>.</param>
    /// <param name="count">Sets <see cref="PipelineGroup.Count"/>.</param>
    /// <param name="amount">Sets <see cref="PipelineGroup.Amount"/>.</param>
    /// <param name="weightedAmount">Sets <see cref="PipelineGroup.WeightedAmount"/>.</param>
    /// <returns>A new <see cref="PipelineGroup"/>.</returns>
    public static PipelineGroup PipelineGroup(
        string? key = null,
        int count = default,
        double amount = default,
        double weightedAmount = default) =>
        new()
        {
            Key = key,
            Count = count,
            Amount = amount,
            WeightedAmount = weightedAmount,
        };

    /// <summary>Creates a <see cref="PipelinePeriodGroups"/> with the given values, for tests and mocks.</summary>
    /// <param name="period">Sets <see cref="PipelinePeriodGroups.Period"/>.</param>
    /// <param name="groups">Sets <see cref="PipelinePeriodGroups.Groups"/>.</param>
    /// <returns>A new <see cref="PipelinePeriodGroups"/>.</returns>
    public static PipelinePeriodGroups PipelinePeriodGroups(
        string? period = null,
        IEnumerable<PipelineGroup>? groups = null) =>
        new()
        {
            Period = period ?? string.Empty,
            Groups = groups?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="PipelineReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="start">Sets <see cref="PipelineReport.Start"/>.</param>
    /// <param name="end">Sets <see cref="PipelineReport.End"/>.</param>
    /// <param name="count">Sets <see cref="PipelineReport.Count"/>.</param>
    /// <param name="openCount">Sets <see cref="PipelineReport.OpenCount"/>.</param>
    /// <param name="wonCount">Sets <see cref="PipelineReport.WonCount"/>.</param>
    /// <param name="lostCount">Sets <see cref="PipelineReport.LostCount"/>.</param>
    /// <param name="openAmount">Sets <see cref="PipelineReport.OpenAmount"/>.</param>
    /// <param name="weightedAmount">Sets <see cref="PipelineReport.WeightedAmount"/>.</param>
    /// <param name="groups">Sets <see cref="PipelineReport.Groups"/>.</param>
    /// <param name="winRate">Sets <see cref="PipelineReport.WinRate"/>.</param>
    /// <param name="salesCycle">Sets <see cref="PipelineReport.SalesCycle"/>.</param>
    /// <param name="dealSizes">Sets <see cref="PipelineReport.DealSizes"/>.</param>
    /// <param name="stages">Sets <see cref="PipelineReport.Stages"/>.</param>
    /// <param name="velocity">Sets <see cref="PipelineReport.Velocity"/>.</param>
    /// <param name="atRiskCount">Sets <see cref="PipelineReport.AtRiskCount"/>.</param>
    /// <param name="atRiskAmount">Sets <see cref="PipelineReport.AtRiskAmount"/>.</param>
    /// <param name="atRisk">Sets <see cref="PipelineReport.AtRisk"/>.</param>
    /// <param name="forecast">Sets <see cref="PipelineReport.Forecast"/>.</param>
    /// <param name="bottlenecks">Sets <see cref="PipelineReport.Bottlenecks"/>.</param>
    /// <returns>A new <see cref="PipelineReport"/>.</returns>
    public static PipelineReport PipelineReport(
        DateOnly? start = null,
        DateOnly? end = null,
        int count = default,
        int openCount = default,
        int wonCount = default,
        int lostCount = default,
        double openAmount = default,
        double weightedAmount = default,
        IEnumerable<PipelineGroup>? groups = null,
        double? winRate = null,
        SalesCycle? salesCycle = null,
        DealSizeDistribution? dealSizes = null,
        IEnumerable<StageMetrics>? stages = null,
        double? velocity = null,
        int atRiskCount = default,
        double atRiskAmount = default,
        IEnumerable<AtRiskDeal>? atRisk = null,
        IEnumerable<ForecastPeriod>? forecast = null,
        IEnumerable<BottleneckStage>? bottlenecks = null) =>
        new()
        {
            Start = start,
            End = end,
            Count = count,
            OpenCount = openCount,
            WonCount = wonCount,
            LostCount = lostCount,
            OpenAmount = openAmount,
            WeightedAmount = weightedAmount,
            Groups = groups?.ToList() ?? [],
            WinRate = winRate,
            SalesCycle = salesCycle ?? new SalesCycle(),
            DealSizes = dealSizes ?? new DealSizeDistribution(),
            Stages = stages?.ToList() ?? [],
            Velocity = velocity,
            AtRiskCount = atRiskCount,
            AtRiskAmount = atRiskAmount,
            AtRisk = atRisk?.ToList() ?? [],
            Forecast = forecast?.ToList() ?? [],
            Bottlenecks = bottlenecks?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="PipelineSummary"/> with the given values, for tests and mocks.</summary>
    /// <param name="start">Sets <see cref="PipelineSummary.Start"/>.</param>
    /// <param name="end">Sets <see cref="PipelineSummary.End"/>.</param>
    /// <param name="openCount">Sets <see cref="PipelineSummary.OpenCount"/>.</param>
    /// <param name="openAmount">Sets <see cref="PipelineSummary.OpenAmount"/>.</param>
    /// <param name="weightedAmount">Sets <see cref="PipelineSummary.WeightedAmount"/>.</param>
    /// <param name="groups">Sets <see cref="PipelineSummary.Groups"/>.</param>
    /// <param name="periods">Sets <see cref="PipelineSummary.Periods"/>.</param>
    /// <returns>A new <see cref="PipelineSummary"/>.</returns>
    public static PipelineSummary PipelineSummary(
        DateOnly? start = null,
        DateOnly? end = null,
        int openCount = default,
        double openAmount = default,
        double weightedAmount = default,
        IEnumerable<PipelineGroup>? groups = null,
        IEnumerable<PipelinePeriodGroups>? periods = null) =>
        new()
        {
            Start = start,
            End = end,
            OpenCount = openCount,
            OpenAmount = openAmount,
            WeightedAmount = weightedAmount,
            Groups = groups?.ToList() ?? [],
            Periods = periods?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="SalesCycle"/> with the given values, for tests and mocks.</summary>
    /// <param name="count">Sets <see cref="SalesCycle.Count"/>.</param>
    /// <param name="meanDays">Sets <see cref="SalesCycle.MeanDays"/>.</param>
    /// <param name="medianDays">Sets <see cref="SalesCycle.MedianDays"/>.</param>
    /// <returns>A new <see cref="SalesCycle"/>.</returns>
    public static SalesCycle SalesCycle(
        int count = default,
        double? meanDays = null,
        double? medianDays = null) =>
        new()
        {
            Count = count,
            MeanDays = meanDays,
            MedianDays = medianDays,
        };

    /// <summary>Creates a <see cref="StageMetrics"/> with the given values, for tests and mocks.</summary>
    /// <param name="stageName">Sets <see cref="StageMetrics.StageName"/>.</param>
    /// <param name="reached">Sets <see cref="StageMetrics.Reached"/>.</param>
    /// <param name="advanced">Sets <see cref="StageMetrics.Advanced"/>.</param>
    /// <param name="conversionRate">Sets <see cref="StageMetrics.ConversionRate"/>.</param>
    /// <param name="completedStays">Sets <see cref="StageMetrics.CompletedStays"/>.</param>
    /// <param name="meanDays">Sets <see cref="StageMetrics.MeanDays"/>.</param>
    /// <param name="medianDays">Sets <see cref="StageMetrics.MedianDays"/>.</param>
    /// <returns>A new <see cref="StageMetrics"/>.</returns>
    public static StageMetrics StageMetrics(
        string? stageName = null,
        int reached = default,
        int advanced = default,
        double? conversionRate = null,
        int completedStays = default,
        double? meanDays = null,
        double? medianDays = null) =>
        new()
        {
            StageName = stageName ?? string.Empty,
            Reached = reached,
            Advanced = advanced,
            ConversionRate = conversionRate,
            CompletedStays = completedStays,
            MeanDays = meanDays,
            MedianDays = medianDays,
        };

    /// <summary>Creates an <see cref="AccountScore"/> with the given values, for tests and mocks.</summary>
    /// <param name="accountId">Sets <see cref="AccountScore.AccountId"/>.</param>
    /// <param name="score">Sets <see cref="AccountScore.Score"/>.</param>
    /// <param name="fit">Sets <see cref="AccountScore.Fit"/>.</param>
    /// <param name="engagement">Sets <see cref="AccountScore.Engagement"/>.</param>
    /// <param name="pipeline">Sets <see cref="AccountScore.Pipeline"/>.</param>
    /// <param name="reasons">Sets <see cref="AccountScore.Reasons"/>.</param>
    /// <returns>A new <see cref="AccountScore"/>.</returns>
    public static AccountScore AccountScore(
        string? accountId = null,
        double score = default,
        double fit = default,
        double engagement = default,
        double pipeline = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            AccountId = accountId ?? string.Empty,
            Score = score,
            Fit = fit,
            Engagement = engagement,
            Pipeline = pipeline,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates an <see cref="AccountScoringReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="contacts">Sets <see cref="AccountScoringReport.Contacts"/>.</param>
    /// <param name="accounts">Sets <see cref="AccountScoringReport.Accounts"/>.</param>
    /// <param name="crossSell">Sets <see cref="AccountScoringReport.CrossSell"/>.</param>
    /// <returns>A new <see cref="AccountScoringReport"/>.</returns>
    public static AccountScoringReport AccountScoringReport(
        IEnumerable<ContactEngagementScore>? contacts = null,
        IEnumerable<AccountScore>? accounts = null,
        IEnumerable<CrossSellRecommendation>? crossSell = null) =>
        new()
        {
            Contacts = contacts?.ToList() ?? [],
            Accounts = accounts?.ToList() ?? [],
            CrossSell = crossSell?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="CalibrationBin"/> with the given values, for tests and mocks.</summary>
    /// <param name="lowerBound">Sets <see cref="CalibrationBin.LowerBound"/>.</param>
    /// <param name="upperBound">Sets <see cref="CalibrationBin.UpperBound"/>.</param>
    /// <param name="count">Sets <see cref="CalibrationBin.Count"/>.</param>
    /// <param name="meanPredicted">Sets <see cref="CalibrationBin.MeanPredicted"/>.</param>
    /// <param name="observedRate">Sets <see cref="CalibrationBin.ObservedRate"/>.</param>
    /// <returns>A new <see cref="CalibrationBin"/>.</returns>
    public static CalibrationBin CalibrationBin(
        double lowerBound = default,
        double upperBound = default,
        int count = default,
        double meanPredicted = default,
        double observedRate = default) =>
        new()
        {
            LowerBound = lowerBound,
            UpperBound = upperBound,
            Count = count,
            MeanPredicted = meanPredicted,
            ObservedRate = observedRate,
        };

    /// <summary>Creates a <see cref="ContactEngagementScore"/> with the given values, for tests and mocks.</summary>
    /// <param name="contactId">Sets <see cref="ContactEngagementScore.ContactId"/>.</param>
    /// <param name="accountId">Sets <see cref="ContactEngagementScore.AccountId"/>.</param>
    /// <param name="score">Sets <see cref="ContactEngagementScore.Score"/>.</param>
    /// <param name="reasons">Sets <see cref="ContactEngagementScore.Reasons"/>.</param>
    /// <returns>A new <see cref="ContactEngagementScore"/>.</returns>
    public static ContactEngagementScore ContactEngagementScore(
        string? contactId = null,
        string? accountId = null,
        double score = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            ContactId = contactId ?? string.Empty,
            AccountId = accountId,
            Score = score,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="CrossSellRecommendation"/> with the given values, for tests and mocks.</summary>
    /// <param name="accountId">Sets <see cref="CrossSellRecommendation.AccountId"/>.</param>
    /// <param name="kind">Sets <see cref="CrossSellRecommendation.Kind"/>.</param>
    /// <param name="value">Sets <see cref="CrossSellRecommendation.Value"/>.</param>
    /// <param name="support">Sets <see cref="CrossSellRecommendation.Support"/>.</param>
    /// <param name="peers">Sets <see cref="CrossSellRecommendation.Peers"/>.</param>
    /// <param name="confidence">Sets <see cref="CrossSellRecommendation.Confidence"/>.</param>
    /// <param name="lift">Sets <see cref="CrossSellRecommendation.Lift"/>.</param>
    /// <param name="reason">Sets <see cref="CrossSellRecommendation.Reason"/>.</param>
    /// <returns>A new <see cref="CrossSellRecommendation"/>.</returns>
    public static CrossSellRecommendation CrossSellRecommendation(
        string? accountId = null,
        CrossSellKind kind = default,
        string? value = null,
        int support = default,
        int peers = default,
        double confidence = default,
        double lift = default,
        string? reason = null) =>
        new()
        {
            AccountId = accountId ?? string.Empty,
            Kind = kind,
            Value = value ?? string.Empty,
            Support = support,
            Peers = peers,
            Confidence = confidence,
            Lift = lift,
            Reason = reason ?? string.Empty,
        };

    /// <summary>Creates a <see cref="LeadPrediction"/> with the given values, for tests and mocks.</summary>
    /// <param name="leadId">Sets <see cref="LeadPrediction.LeadId"/>.</param>
    /// <param name="probability">Sets <see cref="LeadPrediction.Probability"/>.</param>
    /// <param name="reasons">Sets <see cref="LeadPrediction.Reasons"/>.</param>
    /// <returns>A new <see cref="LeadPrediction"/>.</returns>
    public static LeadPrediction LeadPrediction(
        string? leadId = null,
        double probability = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            LeadId = leadId ?? string.Empty,
            Probability = probability,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="LeadRuleScore"/> with the given values, for tests and mocks.</summary>
    /// <param name="leadId">Sets <see cref="LeadRuleScore.LeadId"/>.</param>
    /// <param name="score">Sets <see cref="LeadRuleScore.Score"/>.</param>
    /// <param name="reasons">Sets <see cref="LeadRuleScore.Reasons"/>.</param>
    /// <returns>A new <see cref="LeadRuleScore"/>.</returns>
    public static LeadRuleScore LeadRuleScore(
        string? leadId = null,
        double score = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            LeadId = leadId ?? string.Empty,
            Score = score,
            Reasons = reasons?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="LeadScoreResult"/> with the given values, for tests and mocks.</summary>
    /// <param name="leadId">Sets <see cref="LeadScoreResult.LeadId"/>.</param>
    /// <param name="rules">Sets <see cref="LeadScoreResult.Rules"/>.</param>
    /// <param name="model">Sets <see cref="LeadScoreResult.Model"/>.</param>
    /// <returns>A new <see cref="LeadScoreResult"/>.</returns>
    public static LeadScoreResult LeadScoreResult(
        string? leadId = null,
        LeadRuleScore? rules = null,
        LeadPrediction? model = null) =>
        new()
        {
            LeadId = leadId ?? string.Empty,
            Rules = rules ?? new LeadRuleScore(),
            Model = model,
        };

    /// <summary>Creates a <see cref="ModelAccuracy"/> with the given values, for tests and mocks.</summary>
    /// <param name="count">Sets <see cref="ModelAccuracy.Count"/>.</param>
    /// <param name="baseRate">Sets <see cref="ModelAccuracy.BaseRate"/>.</param>
    /// <param name="auc">Sets <see cref="ModelAccuracy.Auc"/>.</param>
    /// <param name="brierScore">Sets <see cref="ModelAccuracy.BrierScore"/>.</param>
    /// <param name="calibration">Sets <see cref="ModelAccuracy.Calibration"/>.</param>
    /// <returns>A new <see cref="ModelAccuracy"/>.</returns>
    public static ModelAccuracy ModelAccuracy(
        int count = default,
        double baseRate = default,
        double? auc = null,
        double brierScore = default,
        IEnumerable<CalibrationBin>? calibration = null) =>
        new()
        {
            Count = count,
            BaseRate = baseRate,
            Auc = auc,
            BrierScore = brierScore,
            Calibration = calibration?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="NextBestAction"/> with the given values, for tests and mocks.</summary>
    /// <param name="target">Sets <see cref="NextBestAction.Target"/>.</param>
    /// <param name="targetId">Sets <see cref="NextBestAction.TargetId"/>.</param>
    /// <param name="rule">Sets <see cref="NextBestAction.Rule"/>.</param>
    /// <param name="action">Sets <see cref="NextBestAction.Action"/>.</param>
    /// <param name="priority">Sets <see cref="NextBestAction.Priority"/>.</param>
    /// <param name="reason">Sets <see cref="NextBestAction.Reason"/>.</param>
    /// <param name="facts">Sets <see cref="NextBestAction.Facts"/>.</param>
    /// <returns>A new <see cref="NextBestAction"/>.</returns>
    public static NextBestAction NextBestAction(
        ActionTarget target = default,
        string? targetId = null,
        string? rule = null,
        string? action = null,
        ActionPriority priority = default,
        string? reason = null,
        IDictionary<string, string>? facts = null) =>
        new()
        {
            Target = target,
            TargetId = targetId ?? string.Empty,
            Rule = rule ?? string.Empty,
            Action = action ?? string.Empty,
            Priority = priority,
            Reason = reason ?? string.Empty,
            Facts = facts is null ? new Dictionary<string, string>() : new Dictionary<string, string>(facts),
        };

    /// <summary>Creates a <see cref="ScoreReason"/> with the given values, for tests and mocks.</summary>
    /// <param name="factor">Sets <see cref="ScoreReason.Factor"/>.</param>
    /// <param name="impact">Sets <see cref="ScoreReason.Impact"/>.</param>
    /// <param name="description">Sets <see cref="ScoreReason.Description"/>.</param>
    /// <returns>A new <see cref="ScoreReason"/>.</returns>
    public static ScoreReason ScoreReason(
        string? factor = null,
        double impact = default,
        string? description = null) =>
        new()
        {
            Factor = factor ?? string.Empty,
            Impact = impact,
            Description = description ?? string.Empty,
        };

    /// <summary>Creates a <see cref="WinProbabilityReport"/> with the given values, for tests and mocks.</summary>
    /// <param name="trainingDeals">Sets <see cref="WinProbabilityReport.TrainingDeals"/>.</param>
    /// <param name="trainingSnapshots">Sets <see cref="WinProbabilityReport.TrainingSnapshots"/>.</param>
    /// <param name="heldOutDeals">Sets <see cref="WinProbabilityReport.HeldOutDeals"/>.</param>
    /// <param name="model">Sets <see cref="WinProbabilityReport.Model"/>.</param>
    /// <param name="salesforceProbability">Sets <see cref="WinProbabilityReport.SalesforceProbability"/>.</param>
    /// <param name="stageDefault">Sets <see cref="WinProbabilityReport.StageDefault"/>.</param>
    /// <param name="predictions">Sets <see cref="WinProbabilityReport.Predictions"/>.</param>
    /// <returns>A new <see cref="WinProbabilityReport"/>.</returns>
    public static WinProbabilityReport WinProbabilityReport(
        int trainingDeals = default,
        int trainingSnapshots = default,
        int heldOutDeals = default,
        ModelAccuracy? model = null,
        ModelAccuracy? salesforceProbability = null,
        ModelAccuracy? stageDefault = null,
        IEnumerable<WinProbabilityScore>? predictions = null) =>
        new()
        {
            TrainingDeals = trainingDeals,
            TrainingSnapshots = trainingSnapshots,
            HeldOutDeals = heldOutDeals,
            Model = model ?? new ModelAccuracy(),
            SalesforceProbability = salesforceProbability ?? new ModelAccuracy(),
            StageDefault = stageDefault ?? new ModelAccuracy(),
            Predictions = predictions?.ToList() ?? [],
        };

    /// <summary>Creates a <see cref="WinProbabilityScore"/> with the given values, for tests and mocks.</summary>
    /// <param name="opportunityId">Sets <see cref="WinProbabilityScore.OpportunityId"/>.</param>
    /// <param name="name">Sets <see cref="WinProbabilityScore.Name"/>.</param>
    /// <param name="stageName">Sets <see cref="WinProbabilityScore.StageName"/>.</param>
    /// <param name="probability">Sets <see cref="WinProbabilityScore.Probability"/>.</param>
    /// <param name="salesforceProbability">Sets <see cref="WinProbabilityScore.SalesforceProbability"/>.</param>
    /// <param name="stageDefaultProbability">Sets <see cref="WinProbabilityScore.StageDefaultProbability"/>.</param>
    /// <param name="reasons">Sets <see cref="WinProbabilityScore.Reasons"/>.</param>
    /// <returns>A new <see cref="WinProbabilityScore"/>.</returns>
    public static WinProbabilityScore WinProbabilityScore(
        string? opportunityId = null,
        string? name = null,
        string? stageName = null,
        double probability = default,
        double salesforceProbability = default,
        double stageDefaultProbability = default,
        IEnumerable<ScoreReason>? reasons = null) =>
        new()
        {
            OpportunityId = opportunityId ?? string.Empty,
            Name = name,
            StageName = stageName ?? string.Empty,
            Probability = probability,
            SalesforceProbability = salesforceProbability,
            StageDefaultProbability = stageDefaultProbability,
            Reasons = reasons?.ToList() ?? [],
        };
}
