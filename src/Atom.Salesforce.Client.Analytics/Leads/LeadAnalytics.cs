using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Leads;

/// <summary>
/// Lead analytics: conversion, time to convert, won revenue and campaign ROI by lead source (or owner, industry, rating)
/// and by campaign; monthly volume, conversion and quality; lead velocity rate; aging and stale open leads; and how well a
/// model trained on the org's own leads, and the rule score, predict conversion on held-out leads. One pass over each
/// list, dictionaries keyed by id built once. Thread-safe; registered by <c>.AddAnalytics()</c>.
/// </summary>
public class LeadAnalytics
{
    private const int RuleBands = 10;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the analytics with the clock that decides "today" (relative ranges, ages, stale leads).</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public LeadAnalytics(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Loads the org's leads, opportunities, campaigns with their members, and tasks and events (six queries, run at once)
    /// and reports on them.
    /// </summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Scope, grouping and thresholds; null for every lead by source.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any call).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<LeadReport> AnalyzeAsync(SalesforceClient client, LeadQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        Validate(query);
        var data = await SalesDataLoader.LoadAsync(
            client, SalesDataParts.Leads | SalesDataParts.Opportunities | SalesDataParts.Campaigns | SalesDataParts.Activities, cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>
    /// Reads the leads, opportunities, campaigns with their members, and tasks and events from <paramref name="source"/>
    /// (Salesforce or a mirror of it) and reports on them. Nothing is filtered in the source: the report joins leads to
    /// opportunities, campaigns and activities that the lead filters do not select.
    /// </summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="query">Scope, grouping and thresholds; null for every lead by source.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any read).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<LeadReport> AnalyzeAsync(ISalesDataSource source, LeadQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(query);
        var data = await source.LoadAsync(
            SalesDataParts.Leads | SalesDataParts.Opportunities | SalesDataParts.Campaigns | SalesDataParts.Activities, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>Reports on the leads of <paramref name="data"/> that <paramref name="query"/> selects.</summary>
    /// <param name="data">Leads, and the opportunities, campaigns, campaign members and activities they link to.</param>
    /// <param name="query">Scope, grouping and thresholds; null for every lead by source.</param>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    public virtual LeadReport Analyze(SalesData data, LeadQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(query);
        query ??= new LeadQuery();
        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime).DayNumber;
        (DateOnly Start, DateOnly End)? range = query.CreatedDate?.Resolve(DateOnly.FromDayNumber(today));
        var rules = new LeadRuleScorer(query.ScoringRules ?? LeadScoringRules.Default);
        var closed = new HashSet<string>(query.ClosedStatuses, StringComparer.OrdinalIgnoreCase);

        var scope = Select(data.Leads, query, range);
        var inScope = new Dictionary<string, LeadRecord>(scope.Count, StringComparer.Ordinal);
        foreach (var lead in scope)
        {
            inScope.TryAdd(lead.Id, lead);
        }

        var opportunities = new Dictionary<string, OpportunityRecord>(data.Opportunities.Count, StringComparer.Ordinal);
        foreach (var opportunity in data.Opportunities)
        {
            opportunities.TryAdd(opportunity.Id, opportunity);
        }

        var activities = new LeadActivityIndex(data.Activities);
        var groups = new Dictionary<string, Tally>(StringComparer.OrdinalIgnoreCase);
        Tally? noKey = null;
        var total = new Tally();
        Tally GroupOf(LeadRecord lead)
        {
            var key = KeyOf(lead, query.GroupBy);
            if (key is null)
            {
                return noKey ??= new Tally();
            }

            if (!groups.TryGetValue(key, out var tally))
            {
                groups[key] = tally = new Tally { Key = key };
            }

            return tally;
        }

        foreach (var lead in scope)
        {
            var group = GroupOf(lead);
            group.Add(lead, opportunities);
            total.Add(lead, opportunities);
        }

        var campaigns = Campaigns(data, inScope, opportunities, total, GroupOf);
        var groupList = groups.Values.Append(noKey).OfType<Tally>()
            .OrderByDescending(g => g.Leads).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToGroup()).ToList();

        var (aging, staleCount, stale) = Open(scope, query, closed, activities, today);
        return new LeadReport
        {
            Start = range?.Start,
            End = range?.End,
            GroupBy = query.GroupBy,
            Total = total.ToGroup(),
            Groups = groupList,
            Campaigns = campaigns,
            Months = Months(scope, query, rules, closed, activities, today),
            Aging = aging,
            StaleCount = staleCount,
            Stale = stale,
            Scoring = Accuracy(scope, query, rules, closed, activities, today),
        };
    }

    private static List<LeadRecord> Select(IReadOnlyList<LeadRecord> leads, LeadQuery query, (DateOnly Start, DateOnly End)? range)
    {
        var sources = PicklistFilter.Create(query.LeadSources);
        var owners = PicklistFilter.Create(query.Owners);
        var statuses = PicklistFilter.Create(query.Statuses);
        var industries = PicklistFilter.Create(query.Industries);
        var first = range?.Start.DayNumber ?? int.MinValue;
        var last = range?.End.DayNumber ?? int.MaxValue;
        var scope = new List<LeadRecord>();
        foreach (var lead in leads)
        {
            var created = DayOf(lead.CreatedDate);
            if (created >= first && created <= last
                && PicklistFilter.Passes(sources, lead.LeadSource) && PicklistFilter.Passes(owners, lead.OwnerId)
                && PicklistFilter.Passes(statuses, lead.Status) && PicklistFilter.Passes(industries, lead.Industry))
            {
                scope.Add(lead);
            }
        }

        return scope;
    }

    /// <summary>
    /// Campaign rows, and each campaign's cost spread over its lead members: a campaign with cost C and M distinct lead
    /// members (in scope or not) gives C / M to each member in scope, counted in that member's group and in the total.
    /// </summary>
    private static List<LeadCampaign> Campaigns(
        SalesData data, Dictionary<string, LeadRecord> inScope, Dictionary<string, OpportunityRecord> opportunities, Tally total, Func<LeadRecord, Tally> groupOf)
    {
        var members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var member in data.CampaignMembers)
        {
            if (member.LeadId is { } leadId)
            {
                if (!members.TryGetValue(member.CampaignId, out var leads))
                {
                    members[member.CampaignId] = leads = new HashSet<string>(StringComparer.Ordinal);
                }

                leads.Add(leadId);
            }
        }

        var rows = new List<LeadCampaign>();
        foreach (var campaign in data.Campaigns.DistinctBy(c => c.Id))
        {
            if (!members.TryGetValue(campaign.Id, out var leads))
            {
                continue;
            }

            var cost = campaign.ActualCost ?? campaign.BudgetedCost;
            var share = cost is { } c ? (double)c / leads.Count : (double?)null;
            var tally = new Tally();
            foreach (var leadId in leads)
            {
                if (!inScope.TryGetValue(leadId, out var lead))
                {
                    continue;
                }

                tally.Add(lead, opportunities);
                if (share is { } s)
                {
                    tally.AddCost(s);
                    total.AddCost(s);
                    groupOf(lead).AddCost(s);
                }
            }

            if (tally.Leads > 0)
            {
                rows.Add(new LeadCampaign
                {
                    CampaignId = campaign.Id,
                    Name = campaign.Name,
                    Members = tally.Leads,
                    Converted = tally.Converted,
                    WonRevenue = tally.WonRevenue,
                    Cost = tally.Cost,
                    Roi = Roi(tally.WonRevenue, tally.Cost),
                });
            }
        }

        return [.. rows.OrderByDescending(r => r.WonRevenue).ThenBy(r => r.CampaignId, StringComparer.Ordinal)];
    }

    private static List<LeadMonth> Months(
        List<LeadRecord> scope, LeadQuery query, LeadRuleScorer rules, HashSet<string> closed, LeadActivityIndex activities, int today)
    {
        if (scope.Count == 0)
        {
            return [];
        }

        var qualifiedStatuses = new HashSet<string>(query.QualifiedStatuses, StringComparer.OrdinalIgnoreCase);
        var tallies = new Dictionary<int, (int Leads, int Converted, int Hot, double Score, int Qualified)>();
        int firstMonth = int.MaxValue, lastMonth = int.MinValue;
        foreach (var lead in scope)
        {
            var created = lead.CreatedDate.UtcDateTime;
            var month = (created.Year * 12) + created.Month - 1;
            firstMonth = Math.Min(firstMonth, month);
            lastMonth = Math.Max(lastMonth, month);
            var (_, recent) = activities.Count(lead.Id, LeadActivityIndex.AsOf(lead, today, closed), rules.Rules.RecentActivityDays);
            var score = rules.Score(lead, recent).Score;
            tallies.TryGetValue(month, out var t);
            tallies[month] = (
                t.Leads + 1,
                t.Converted + (lead.IsConverted ? 1 : 0),
                t.Hot + (string.Equals(lead.Rating, "Hot", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
                t.Score + score,
                t.Qualified + (lead.IsConverted || (lead.Status is { } status && qualifiedStatuses.Contains(status)) ? 1 : 0));
        }

        var months = new List<LeadMonth>(lastMonth - firstMonth + 1);
        int? previousQualified = null;
        for (var month = firstMonth; month <= lastMonth; month++)
        {
            tallies.TryGetValue(month, out var t);
            var velocity = previousQualified is > 0 and var previous ? (t.Qualified - previous) / (double)previous : (double?)null;
            months.Add(new LeadMonth
            {
                Month = new DateOnly(month / 12, (month % 12) + 1, 1),
                Leads = t.Leads,
                Converted = t.Converted,
                ConversionRate = Rate(t.Converted, t.Leads),
                HotShare = Rate(t.Hot, t.Leads),
                MeanRuleScore = t.Leads == 0 ? null : t.Score / t.Leads,
                Qualified = t.Qualified,
                VelocityRate = velocity,
            });
            previousQualified = t.Qualified;
        }

        return months;
    }

    private static (List<LeadAgingBucket> Aging, int StaleCount, List<StaleLead> Stale) Open(
        List<LeadRecord> scope, LeadQuery query, HashSet<string> closed, LeadActivityIndex activities, int today)
    {
        var bounds = query.AgingBounds is { Count: > 0 } b ? b : LeadQuery.DefaultAgingBounds;
        var counts = new int[bounds.Count + 1];
        var stale = new List<StaleLead>();
        foreach (var lead in scope)
        {
            if (lead.IsConverted || (lead.Status is { } status && closed.Contains(status)))
            {
                continue;
            }

            var created = DayOf(lead.CreatedDate);
            var age = Math.Max(0, today - created);
            var bucket = 0;
            while (bucket < bounds.Count && age > bounds[bucket])
            {
                bucket++;
            }

            counts[bucket]++;

            // A task or event dated later than today (planned) counts too: someone means to work the lead.
            var lastTouch = Math.Max(created, lead.LastModifiedDate is { } modified ? DayOf(modified) : created);
            if (activities.LastDay(lead.Id) is { } activity)
            {
                lastTouch = Math.Max(lastTouch, activity);
            }

            var inactive = today - lastTouch;
            if (inactive >= query.StaleAfterDays)
            {
                stale.Add(new StaleLead
                {
                    LeadId = lead.Id,
                    Company = lead.Company,
                    Status = lead.Status,
                    LeadSource = lead.LeadSource,
                    OwnerId = lead.OwnerId,
                    CreatedDate = DateOnly.FromDayNumber(created),
                    AgeDays = age,
                    DaysInactive = inactive,
                });
            }
        }

        var aging = new List<LeadAgingBucket>(counts.Length);
        for (var i = 0; i < counts.Length; i++)
        {
            aging.Add(new LeadAgingBucket
            {
                MinDays = i == 0 ? 0 : bounds[i - 1] + 1,
                MaxDays = i < bounds.Count ? bounds[i] : null,
                Count = counts[i],
            });
        }

        var listed = stale.OrderBy(s => s.CreatedDate).ThenBy(s => s.LeadId, StringComparer.Ordinal).Take(query.StaleLimit).ToList();
        return (aging, stale.Count, listed);
    }

    /// <summary>
    /// Trains the lead model on the training leads in scope and measures it and the rule score on the held-out ones. The
    /// rule score becomes a probability through the conversion rate of training leads in its 10-point band.
    /// </summary>
    private static LeadScoringAccuracy Accuracy(
        List<LeadRecord> scope, LeadQuery query, LeadRuleScorer rules, HashSet<string> closed, LeadActivityIndex activities, int today)
    {
        var (training, heldOut) = LeadExample.Split(scope, activities, today, query.NegativeAfterDays, query.HoldoutShare, rules.Rules.RecentActivityDays, closed);
        if (training.Count == 0 || heldOut.Count == 0)
        {
            return new LeadScoringAccuracy { TrainingCount = training.Count, HeldOutCount = heldOut.Count };
        }

        var converted = training.Count(e => e.Converted);
        var model = converted > 0 && converted < training.Count
            ? LeadScoringModel.Fit(training, heldOut, l2: 1).Accuracy
            : null;

        var bandLeads = new int[RuleBands];
        var bandConverted = new int[RuleBands];
        foreach (var example in training)
        {
            var band = Band(rules.Score(example.Lead, example.RecentActivities).Score);
            bandLeads[band]++;
            bandConverted[band] += example.Converted ? 1 : 0;
        }

        var overall = converted / (double)training.Count;
        var predicted = new double[heldOut.Count];
        var actual = new bool[heldOut.Count];
        for (var i = 0; i < heldOut.Count; i++)
        {
            var band = Band(rules.Score(heldOut[i].Lead, heldOut[i].RecentActivities).Score);
            predicted[i] = bandLeads[band] == 0 ? overall : bandConverted[band] / (double)bandLeads[band];
            actual[i] = heldOut[i].Converted;
        }

        return new LeadScoringAccuracy
        {
            TrainingCount = training.Count,
            HeldOutCount = heldOut.Count,
            Model = model,
            Rules = ModelEvaluation.Evaluate(predicted, actual),
        };
    }

    private static int Band(double score) => Math.Min((int)(score / 10), RuleBands - 1);

    private static void Validate(LeadQuery? query)
    {
        if (query is null)
        {
            return;
        }

        if (!Enum.IsDefined(query.GroupBy))
        {
            throw new ArgumentException($"Unknown lead grouping {query.GroupBy}.", nameof(query));
        }

        if (query.QualifiedStatuses is null || query.ClosedStatuses is null)
        {
            throw new ArgumentException($"{nameof(LeadQuery.QualifiedStatuses)} and {nameof(LeadQuery.ClosedStatuses)} cannot be null.", nameof(query));
        }

        if (query.StaleAfterDays < 0 || query.StaleLimit < 0 || query.NegativeAfterDays < 0)
        {
            throw new ArgumentException(
                $"{nameof(LeadQuery.StaleAfterDays)}, {nameof(LeadQuery.StaleLimit)} and {nameof(LeadQuery.NegativeAfterDays)} cannot be negative.", nameof(query));
        }

        if (!(query.HoldoutShare >= 0 && query.HoldoutShare < 1))
        {
            throw new ArgumentException($"{nameof(LeadQuery.HoldoutShare)} must be at least 0 and below 1, not {query.HoldoutShare}.", nameof(query));
        }

        if (query.AgingBounds is { } bounds)
        {
            for (var i = 0; i < bounds.Count; i++)
            {
                if (bounds[i] < 1 || (i > 0 && bounds[i] <= bounds[i - 1]))
                {
                    throw new ArgumentException($"{nameof(LeadQuery.AgingBounds)} must be positive day counts in ascending order.", nameof(query));
                }
            }
        }

        try
        {
            query.ScoringRules?.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{nameof(LeadQuery.ScoringRules)}: {e.Message}", nameof(query), e);
        }
    }

    private static string? KeyOf(LeadRecord lead, LeadDimension dimension) => dimension switch
    {
        LeadDimension.LeadSource => lead.LeadSource,
        LeadDimension.Owner => lead.OwnerId,
        LeadDimension.Industry => lead.Industry,
        _ => lead.Rating,
    };

    private static int DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime).DayNumber;

    private static double? Rate(int part, int whole) => whole == 0 ? null : part / (double)whole;

    private static double? Roi(double revenue, double? cost) => cost is > 0 and var c ? (revenue - c) / c : null;

    /// <summary>Running totals of one group of leads.</summary>
    private sealed class Tally
    {
        private readonly List<double> _days = [];
        private readonly HashSet<string> _opportunities = new(StringComparer.Ordinal);

        public string? Key { get; init; }

        public int Leads { get; private set; }

        public int Converted { get; private set; }

        public int Won { get; private set; }

        public double WonRevenue { get; private set; }

        public double? Cost { get; private set; }

        public void Add(LeadRecord lead, Dictionary<string, OpportunityRecord> opportunities)
        {
            Leads++;
            if (!lead.IsConverted)
            {
                return;
            }

            Converted++;
            if (lead.ConvertedDate is { } converted)
            {
                _days.Add(converted.DayNumber - DayOf(lead.CreatedDate));
            }

            // Two leads converted into one opportunity count it once.
            if (lead.ConvertedOpportunityId is { } id && _opportunities.Add(id)
                && opportunities.TryGetValue(id, out var opportunity) && opportunity.IsWon)
            {
                Won++;
                WonRevenue += (double)(opportunity.Amount ?? 0);
            }
        }

        public void AddCost(double cost) => Cost = (Cost ?? 0) + cost;

        public LeadGroup ToGroup()
        {
            var days = _days.ToArray();
            return new LeadGroup
            {
                Key = Key,
                Leads = Leads,
                Converted = Converted,
                ConversionRate = Rate(Converted, Leads),
                MeanDaysToConvert = days.Length == 0 ? null : days.Average(),
                MedianDaysToConvert = days.Length == 0 ? null : Quantiles.Median(days),
                Opportunities = _opportunities.Count,
                WonOpportunities = Won,
                WonRevenue = WonRevenue,
                Cost = Cost,
                Roi = Roi(WonRevenue, Cost),
            };
        }
    }
}
