using System.Globalization;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// One deal's history (stage, amount, probability and close date after each change), sorted, ready to be read as of any
/// moment.
/// </summary>
internal sealed class DealTimeline
{
    private readonly long[] _at;
    private readonly string[] _stage;
    private readonly int[] _closeDay;
    private readonly decimal?[] _amount;
    private readonly double?[] _probability;

    private DealTimeline(long[] at, string[] stage, int[] closeDay, decimal?[] amount, double?[] probability, long? closedAt)
    {
        _at = at;
        _stage = stage;
        _closeDay = closeDay;
        _amount = amount;
        _probability = probability;
        ClosedAt = closedAt;
    }

    /// <summary>When the deal entered a closed stage (UTC ticks), if its history shows it.</summary>
    public long? ClosedAt { get; }

    public static DealTimeline Create(List<OpportunityHistoryRecord> rows, ISet<string> closedStages)
    {
        rows.Sort(static (a, b) => a.CreatedDate.CompareTo(b.CreatedDate));
        var at = new long[rows.Count];
        var stage = new string[rows.Count];
        var closeDay = new int[rows.Count];
        var amount = new decimal?[rows.Count];
        var probability = new double?[rows.Count];
        long? closedAt = null;
        for (var i = 0; i < rows.Count; i++)
        {
            at[i] = rows[i].CreatedDate.UtcTicks;
            stage[i] = rows[i].StageName;
            closeDay[i] = rows[i].CloseDate?.DayNumber ?? int.MinValue;
            amount[i] = rows[i].Amount;
            probability[i] = rows[i].Probability;
            if (closedAt is null && closedStages.Contains(stage[i]))
            {
                closedAt = at[i];
            }
        }

        return new DealTimeline(at, stage, closeDay, amount, probability, closedAt);
    }

    /// <summary>
    /// The deal as of <paramref name="ticks"/>: its stage, when it entered that stage, how many times its close date had been
    /// moved later, and its amount and probability then (those of the latest row at or before the moment; of the first row
    /// when none is that old, or <paramref name="currentStage"/> and nothing when the deal has no rows).
    /// </summary>
    public TimelinePoint AsOf(long ticks, string currentStage, long createdAt)
    {
        var last = -1;
        var pushes = 0;
        var previousClose = int.MinValue;
        for (var i = 0; i < _at.Length && _at[i] <= ticks; i++)
        {
            last = i;
            if (_closeDay[i] != int.MinValue)
            {
                if (previousClose != int.MinValue && _closeDay[i] > previousClose)
                {
                    pushes++;
                }

                previousClose = _closeDay[i];
            }
        }

        if (last < 0)
        {
            return _stage.Length > 0
                ? new TimelinePoint(_stage[0], createdAt, 0, _amount[0], _probability[0])
                : new TimelinePoint(currentStage, createdAt, 0, null, null);
        }

        var entered = last;
        while (entered > 0 && _stage[entered - 1] == _stage[last])
        {
            entered--;
        }

        return new TimelinePoint(_stage[last], _at[entered], pushes, _amount[last], _probability[last]);
    }
}

/// <summary>A deal as its history shows it at one moment.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="EnteredAt">When it entered that stage (UTC ticks).</param>
/// <param name="Pushes">How many times the close date had been moved later.</param>
/// <param name="Amount">The amount then; null when the row carries none.</param>
/// <param name="Probability">The probability Salesforce showed then (percent); null when the row carries none.</param>
internal readonly record struct TimelinePoint(string Stage, long EnteredAt, int Pushes, decimal? Amount, double? Probability);

/// <summary>What a deal looked like at one moment, in readable units (for reasons).</summary>
internal readonly record struct DealState(
    string Stage,
    double StageProbability,
    double ShownProbability,
    double DaysInStage,
    double AgeDays,
    double? Amount,
    int Pushes,
    string? Type,
    string? LeadSource,
    double OwnerWinRate,
    int OwnerDeals,
    int DealActivities,
    int AccountActivities);

/// <summary>
/// Turns a <see cref="DealState"/> into the model's feature vector, and a feature's contribution into a reason. The
/// features (documented in the README):
/// the stage's default probability as log-odds; days in the current stage and deal age (log 1 + days); amount
/// (log 1 + amount as of the snapshot, from the history row, never the final amount); close date pushes so far; the owner's
/// win rate on training deals (smoothed toward the overall rate; out of fold for training deals); activities on the deal so
/// far and on its account in the 90 days before (log 1 + count; only when activities are given); the type and the lead
/// source, one indicator per value seen in training (the most common 20).
/// </summary>
internal sealed class WinFeatureLayout
{
    public const int OwnerPrior = 10;
    private const int MaxCategories = 20;

    private readonly string[] _types;
    private readonly string[] _sources;

    public WinFeatureLayout(IEnumerable<OpportunityRecord> trainingDeals, bool withActivities)
    {
        var deals = trainingDeals.ToList();
        _types = TopValues(deals.Select(d => d.Type));
        _sources = TopValues(deals.Select(d => d.LeadSource));
        WithActivities = withActivities;
        var groups = new List<string> { "stage", "days_in_stage", "deal_age", "amount", "close_date_pushes", "owner_win_rate" };
        if (withActivities)
        {
            groups.Add("deal_activities");
            groups.Add("account_activities");
        }

        CategoryStart = groups.Count;
        groups.AddRange(_types.Select(_ => "type"));
        groups.AddRange(_sources.Select(_ => "lead_source"));
        Groups = [.. groups];
    }

    public bool WithActivities { get; }

    /// <summary>The reason group of each feature (the one-hot columns of a picklist share one group).</summary>
    public string[] Groups { get; }

    public int Count => Groups.Length;

    private int CategoryStart { get; }

    public void Fill(in DealState state, Span<double> x)
    {
        x.Clear();
        var p = Math.Clamp(state.StageProbability, 0.02, 0.98);
        x[0] = Math.Log(p / (1 - p));
        x[1] = Math.Log(1 + Math.Max(0, state.DaysInStage));
        x[2] = Math.Log(1 + Math.Max(0, state.AgeDays));
        x[3] = Math.Log(1 + Math.Max(0, state.Amount ?? 0));
        x[4] = state.Pushes;
        x[5] = state.OwnerWinRate;
        var next = 6;
        if (WithActivities)
        {
            x[6] = Math.Log(1 + state.DealActivities);
            x[7] = Math.Log(1 + state.AccountActivities);
            next = 8;
        }

        var type = Array.IndexOf(_types, state.Type);
        if (type >= 0)
        {
            x[next + type] = 1;
        }

        var source = Array.IndexOf(_sources, state.LeadSource);
        if (source >= 0)
        {
            x[next + _types.Length + source] = 1;
        }
    }

    public static string Describe(string group, in DealState s)
    {
        var c = CultureInfo.InvariantCulture;
        return group switch
        {
            "stage" => string.Format(c, "Stage {0} (default probability {1:0%})", s.Stage, s.StageProbability),
            "days_in_stage" => string.Format(c, "{0:0} {1} in the current stage", s.DaysInStage, Math.Round(s.DaysInStage) == 1 ? "day" : "days"),
            "deal_age" => string.Format(c, "Open for {0:0} {1}", s.AgeDays, Math.Round(s.AgeDays) == 1 ? "day" : "days"),
            "amount" => s.Amount is { } amount ? string.Format(c, "Amount {0:#,0}", amount) : "No amount",
            "close_date_pushes" => s.Pushes switch
            {
                0 => "Close date never pushed",
                1 => "Close date pushed once",
                _ => string.Format(c, "Close date pushed {0} times", s.Pushes),
            },
            "owner_win_rate" => string.Format(c, "Owner's win rate {0:0%} over {1} closed deals", s.OwnerWinRate, s.OwnerDeals),
            "deal_activities" => string.Format(c, "{0} {1} on the deal so far", s.DealActivities, s.DealActivities == 1 ? "activity" : "activities"),
            "account_activities" => string.Format(c, "{0} {1} on the account in the last 90 days", s.AccountActivities, s.AccountActivities == 1 ? "activity" : "activities"),
            "type" => s.Type is null ? "No type" : "Type " + s.Type,
            _ => s.LeadSource is null ? "No lead source" : "Lead source " + s.LeadSource,
        };
    }

    private static string[] TopValues(IEnumerable<string?> values) =>
        [.. values.Where(v => !string.IsNullOrEmpty(v)).GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(MaxCategories).Select(g => g.Key)];
}

/// <summary>Activity creation times by deal and by account, sorted, counted by binary search.</summary>
internal sealed class ActivityIndex
{
    private readonly Dictionary<string, long[]> _byDeal;
    private readonly Dictionary<string, long[]> _byAccount;

    public ActivityIndex(IReadOnlyList<ActivityRecord> activities)
    {
        var byDeal = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var byAccount = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var a in activities)
        {
            if (!string.IsNullOrEmpty(a.WhatId) && a.WhatId.StartsWith("006", StringComparison.Ordinal))
            {
                Add(byDeal, a.WhatId, a.CreatedDate.UtcTicks);
            }
            else if (!string.IsNullOrEmpty(a.AccountId))
            {
                Add(byAccount, a.AccountId, a.CreatedDate.UtcTicks);
            }
        }

        _byDeal = Sorted(byDeal);
        _byAccount = Sorted(byAccount);
    }

    /// <summary>Activities on the deal created up to <paramref name="ticks"/>.</summary>
    public int OnDeal(string id, long ticks) => _byDeal.TryGetValue(id, out var times) ? CountUpTo(times, ticks) : 0;

    /// <summary>Activities on the account (not on a deal) in the 90 days up to <paramref name="ticks"/>.</summary>
    public int OnAccount(string? id, long ticks) =>
        id is not null && _byAccount.TryGetValue(id, out var times)
            ? CountUpTo(times, ticks) - CountUpTo(times, ticks - TimeSpan.FromDays(90).Ticks)
            : 0;

    private static int CountUpTo(long[] sorted, long ticks)
    {
        var i = Array.BinarySearch(sorted, ticks);
        if (i < 0)
        {
            return ~i;
        }

        while (i + 1 < sorted.Length && sorted[i + 1] == ticks)
        {
            i++;
        }

        return i + 1;
    }

    private static void Add(Dictionary<string, List<long>> map, string key, long ticks)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map.Add(key, list);
        }

        list.Add(ticks);
    }

    private static Dictionary<string, long[]> Sorted(Dictionary<string, List<long>> map)
    {
        var result = new Dictionary<string, long[]>(map.Count, StringComparer.Ordinal);
        foreach (var (key, list) in map)
        {
            var array = list.ToArray();
            Array.Sort(array);
            result.Add(key, array);
        }

        return result;
    }
}
