using System.Globalization;
using System.Numerics;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>
/// Pipeline analytics over an <see cref="OpportunitySet"/>: open pipeline (total and weighted) by a dimension, win rate,
/// sales cycle, deal size distribution, funnel with stage-to-stage conversion and time in stage, velocity and at-risk deals,
/// all in one pass over the opportunities and their history. Thread-safe; registered by <c>.AddAnalytics()</c>.
/// </summary>
public class PipelineAnalytics
{
    private static readonly double[] Percentiles = [0.25, 0.5, 0.75, 0.9];
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the analytics with the clock that decides "today" (relative ranges, stalled and overdue deals).</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public PipelineAnalytics(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Loads the org's opportunities and their history (two queries) and reports on them.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Scope, grouping and thresholds; null for the whole pipeline by stage.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public virtual async Task<PipelineReport> AnalyzeAsync(SalesforceClient client, PipelineQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        Validate(query);
        var data = await OpportunityLoader.LoadAsync(client, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>Reports on the opportunities of <paramref name="data"/> that <paramref name="query"/> selects.</summary>
    /// <param name="data">The opportunities and their history.</param>
    /// <param name="query">Scope, grouping and thresholds; null for the whole pipeline by stage.</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is negative, or the histogram bounds are not ascending.</exception>
    public virtual PipelineReport Analyze(OpportunitySet data, PipelineQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(query);
        query ??= new PipelineQuery();
        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime).DayNumber;
        (DateOnly Start, DateOnly End)? range = query.CloseDate?.Resolve(DateOnly.FromDayNumber(today));
        var first = range?.Start.DayNumber ?? int.MinValue;
        var last = range?.End.DayNumber ?? int.MaxValue;

        var ownerMask = Mask(data.OwnerLabels, query.Owners);
        var sourceMask = Mask(data.LeadSourceLabels, query.LeadSources);
        var stageMask = Mask([.. data.StageTable.Select(s => s.Name)], query.Stages);

        // Group keys: a column and an offset, so that the loop only indexes.
        var (groupColumn, groupOffset, groupCount) = GroupColumn(data, query.GroupBy);
        var groupCounts = new int[groupCount];
        var groupAmounts = new double[groupCount];
        var groupWeighted = new double[groupCount];

        var bins = query.DealSizeBins is { Count: > 0 } b ? b.ToArray() : PipelineQuery.DefaultDealSizeBins;
        var binCounts = new int[bins.Length];

        var stageCount = data.StageTable.Length;
        ulong progressStages = 0;
        for (var s = 0; s < stageCount; s++)
        {
            if (!data.StageTable[s].IsClosed || data.StageTable[s].IsWon)
            {
                progressStages |= 1UL << s;
            }
        }

        var reached = new int[stageCount];
        var advanced = new int[stageCount];
        var stayCounts = new int[stageCount];
        var staySums = new double[stageCount];
        var stayStage = GC.AllocateUninitializedArray<int>(data.HistoryCount);
        var stayDays = GC.AllocateUninitializedArray<double>(data.HistoryCount);
        var stays = 0;
        var cycleDays = GC.AllocateUninitializedArray<double>(data.Count);
        var dealSizes = GC.AllocateUninitializedArray<double>(data.Count);
        var atRisk = new List<int>();
        var atRiskAmount = 0.0;

        int count = 0, open = 0, won = 0, lost = 0, deals = 0, cycles = 0;
        double openAmount = 0, weighted = 0, cycleSum = 0, dealSum = 0;
        var amounts = data.Amount;
        var probabilities = data.Probability;
        var flags = data.Flags;
        var closeDays = data.CloseDay;
        var historyStart = data.HistoryStart;
        var historyStage = data.HistoryStage;
        var historyTicks = data.HistoryTicks;
        var historyClose = data.HistoryCloseDay;
        var stalledAfter = query.StalledAfterDays;

        for (var i = 0; i < data.Count; i++)
        {
            var closeDay = closeDays[i];
            if (closeDay < first || closeDay > last
                || (ownerMask is not null && !ownerMask[data.Owner[i]])
                || (sourceMask is not null && !sourceMask[data.LeadSource[i]])
                || (stageMask is not null && !stageMask[data.Stage[i]]))
            {
                continue;
            }

            count++;
            var flag = flags[i];
            var amount = amounts[i];

            // The history: stays in each stage, stages reached, the last stage change, close date pushes.
            var stage = data.Stage[i];
            ulong reachedMask = 1UL << stage;
            var previous = -1;
            long enteredAt = 0;
            var pushes = 0;
            for (int h = historyStart[i], end = historyStart[i + 1]; h < end; h++)
            {
                var rowStage = historyStage[h];
                if (rowStage != previous)
                {
                    if (previous >= 0)
                    {
                        var days = (historyTicks[h] - enteredAt) / (double)TimeSpan.TicksPerDay;
                        stayStage[stays] = previous;
                        stayDays[stays++] = days;
                        stayCounts[previous]++;
                        staySums[previous] += days;
                    }

                    reachedMask |= 1UL << rowStage;
                    previous = rowStage;
                    enteredAt = historyTicks[h];
                }

                if (h > historyStart[i] && historyClose[h] > historyClose[h - 1] && historyClose[h - 1] >= 0)
                {
                    pushes++;
                }
            }

            // Deals advanced from each stage they reached below their furthest forward (open or won) stage.
            var progress = reachedMask & progressStages;
            var furthest = progress == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(progress);
            for (var m = reachedMask; m != 0; m &= m - 1)
            {
                var s = BitOperations.TrailingZeroCount(m);
                reached[s]++;
                if (s < furthest)
                {
                    advanced[s]++;
                }
            }

            if ((flag & OpportunitySet.ClosedFlag) == 0)
            {
                open++;
                var w = amount * probabilities[i] / 100;
                openAmount += amount;
                weighted += w;
                var g = groupColumn[i] - groupOffset;
                groupCounts[g]++;
                groupAmounts[g] += amount;
                groupWeighted[g] += w;

                var sinceChange = today - (int)((previous >= 0 ? enteredAt : data.CreatedDay[i] * TimeSpan.TicksPerDay) / TimeSpan.TicksPerDay);
                var reasons = (sinceChange >= stalledAfter ? AtRiskReasons.Stalled : 0)
                    | (pushes > 0 ? AtRiskReasons.CloseDatePushed : 0)
                    | (closeDay < today ? AtRiskReasons.Overdue : 0);
                if (reasons != 0)
                {
                    atRisk.Add(i);
                    atRiskAmount += amount;
                }
            }
            else if ((flag & OpportunitySet.WonFlag) != 0)
            {
                won++;
                var cycle = closeDay - data.CreatedDay[i];
                cycleDays[cycles++] = cycle;
                cycleSum += cycle;
                if ((flag & OpportunitySet.HasAmountFlag) != 0)
                {
                    dealSizes[deals++] = amount;
                    dealSum += amount;
                    var bin = BinOf(bins, amount);
                    if (bin >= 0)
                    {
                        binCounts[bin]++;
                    }
                }
            }
            else
            {
                lost++;
            }
        }

        var winRate = won + lost == 0 ? (double?)null : won / (double)(won + lost);
        var salesCycle = new SalesCycle(cycles, cycles == 0 ? null : cycleSum / cycles, cycles == 0 ? null : Quantiles.Median(cycleDays.AsSpan(0, cycles)));
        var dealSizeDistribution = DealSizes(dealSizes.AsSpan(0, deals), dealSum, bins, binCounts);
        var velocity = winRate is { } rate && dealSizeDistribution.Mean is { } mean && salesCycle.MeanDays is > 0 and var meanCycle
            ? open * rate * mean / meanCycle
            : (double?)null;
        return new PipelineReport(
            range?.Start,
            range?.End,
            count,
            open,
            won,
            lost,
            openAmount,
            weighted,
            Groups(data, query.GroupBy, groupOffset, groupCounts, groupAmounts, groupWeighted),
            winRate,
            salesCycle,
            dealSizeDistribution,
            StageMetrics(data, reached, advanced, stayCounts, staySums, stayStage.AsSpan(0, stays), stayDays.AsSpan(0, stays)),
            velocity,
            atRisk.Count,
            atRiskAmount,
            AtRiskDeals(data, atRisk, query, today));
    }

    private static void Validate(PipelineQuery? query)
    {
        if (query is null)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(query.StalledAfterDays, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.AtRiskLimit, nameof(query));
        if (query.DealSizeBins is { } bins)
        {
            for (var i = 0; i < bins.Count; i++)
            {
                if (double.IsNaN(bins[i]) || (i > 0 && bins[i] <= bins[i - 1]))
                {
                    throw new ArgumentOutOfRangeException(nameof(query), "The deal size bins must be numbers in ascending order.");
                }
            }
        }
    }

    private static bool[]? Mask(string?[] labels, IReadOnlyCollection<string>? wanted)
    {
        if (wanted is not { Count: > 0 })
        {
            return null;
        }

        var set = new HashSet<string>(wanted, StringComparer.Ordinal);
        var mask = new bool[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            mask[i] = labels[i] is { } label && set.Contains(label);
        }

        return mask;
    }

    private static (int[] Column, int Offset, int Count) GroupColumn(OpportunitySet data, PipelineDimension dimension)
    {
        switch (dimension)
        {
            case PipelineDimension.Stage: return (data.Stage, 0, data.StageTable.Length);
            case PipelineDimension.Owner: return (data.Owner, 0, data.OwnerLabels.Length);
            case PipelineDimension.LeadSource: return (data.LeadSource, 0, data.LeadSourceLabels.Length);
            case PipelineDimension.Type: return (data.Type, 0, data.TypeLabels.Length);
            case PipelineDimension.ForecastCategory: return (data.ForecastCategory, 0, data.ForecastCategoryLabels.Length);
            case PipelineDimension.CloseMonth:
            case PipelineDimension.CloseQuarter:
                var column = data.CloseMonth;
                if (dimension == PipelineDimension.CloseQuarter)
                {
                    column = new int[column.Length];
                    for (var i = 0; i < column.Length; i++)
                    {
                        column[i] = data.CloseMonth[i] / 3;
                    }
                }

                if (column.Length == 0)
                {
                    return (column, 0, 0);
                }

                int min = int.MaxValue, max = int.MinValue;
                foreach (var value in column)
                {
                    min = Math.Min(min, value);
                    max = Math.Max(max, value);
                }

                return (column, min, max - min + 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown pipeline dimension.");
        }
    }

    private static List<PipelineGroup> Groups(OpportunitySet data, PipelineDimension dimension, int offset, int[] counts, double[] amounts, double[] weighted)
    {
        var groups = new List<PipelineGroup>();
        for (var g = 0; g < counts.Length; g++)
        {
            if (counts[g] == 0)
            {
                continue;
            }

            var key = dimension switch
            {
                PipelineDimension.Stage => data.StageTable[g].Name,
                PipelineDimension.Owner => data.OwnerLabels[g],
                PipelineDimension.LeadSource => data.LeadSourceLabels[g],
                PipelineDimension.Type => data.TypeLabels[g],
                PipelineDimension.ForecastCategory => data.ForecastCategoryLabels[g],
                PipelineDimension.CloseMonth => string.Create(CultureInfo.InvariantCulture, $"{(g + offset) / 12:D4}-{((g + offset) % 12) + 1:D2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{(g + offset) / 4:D4}-Q{((g + offset) % 4) + 1}"),
            };
            groups.Add(new PipelineGroup(key, counts[g], amounts[g], weighted[g]));
        }

        // Stages and periods keep their natural order; the other dimensions put the largest pipeline first.
        if (dimension is not (PipelineDimension.Stage or PipelineDimension.CloseMonth or PipelineDimension.CloseQuarter))
        {
            groups.Sort(static (a, b) => b.Amount != a.Amount ? b.Amount.CompareTo(a.Amount) : string.CompareOrdinal(a.Key, b.Key));
        }

        return groups;
    }

    private static int BinOf(double[] bounds, double amount)
    {
        // The last bound at or below the amount; -1 below the first.
        var index = Array.BinarySearch(bounds, amount);
        return index >= 0 ? index : ~index - 1;
    }

    private static DealSizeDistribution DealSizes(Span<double> sizes, double sum, double[] bounds, int[] binCounts)
    {
        var bins = new HistogramBin[bounds.Length];
        for (var b = 0; b < bounds.Length; b++)
        {
            bins[b] = new HistogramBin(bounds[b], b + 1 < bounds.Length ? bounds[b + 1] : null, binCounts[b]);
        }

        if (sizes.Length == 0)
        {
            return new DealSizeDistribution(0, null, null, null, null, null, bins);
        }

        Span<double> p = stackalloc double[Percentiles.Length];
        Quantiles.Compute(sizes, Percentiles, p);
        return new DealSizeDistribution(sizes.Length, sum / sizes.Length, p[0], p[1], p[2], p[3], bins);
    }

    private static List<StageMetrics> StageMetrics(
        OpportunitySet data, int[] reached, int[] advanced, int[] stayCounts, double[] staySums, Span<int> stayStage, Span<double> stayDays)
    {
        // Bucket the stays by stage (counting sort), then take each stage's median by selection.
        var start = new int[stayCounts.Length + 1];
        for (var s = 0; s < stayCounts.Length; s++)
        {
            start[s + 1] = start[s] + stayCounts[s];
        }

        var next = start.AsSpan(0, stayCounts.Length).ToArray();
        var bucketed = GC.AllocateUninitializedArray<double>(stayDays.Length);
        for (var v = 0; v < stayDays.Length; v++)
        {
            bucketed[next[stayStage[v]]++] = stayDays[v];
        }

        var metrics = new List<StageMetrics>();
        for (var s = 0; s < data.StageTable.Length; s++)
        {
            if (data.StageTable[s].IsClosed)
            {
                continue;
            }

            var stays = stayCounts[s];
            metrics.Add(new StageMetrics(
                data.StageTable[s].Name,
                reached[s],
                advanced[s],
                reached[s] == 0 ? null : advanced[s] / (double)reached[s],
                stays,
                stays == 0 ? null : staySums[s] / stays,
                stays == 0 ? null : Quantiles.Median(bucketed.AsSpan(start[s], stays))));
        }

        return metrics;
    }

    private static List<AtRiskDeal> AtRiskDeals(OpportunitySet data, List<int> atRisk, PipelineQuery query, int today)
    {
        atRisk.Sort((a, b) => data.Amount[a] != data.Amount[b] ? data.Amount[b].CompareTo(data.Amount[a]) : string.CompareOrdinal(data.Ids[a], data.Ids[b]));
        var deals = new List<AtRiskDeal>(Math.Min(atRisk.Count, query.AtRiskLimit));
        for (var k = 0; k < atRisk.Count && k < query.AtRiskLimit; k++)
        {
            var i = atRisk[k];
            var enteredDay = data.CreatedDay[i];
            var pushes = 0;
            var previous = -1;
            for (int h = data.HistoryStart[i], end = data.HistoryStart[i + 1]; h < end; h++)
            {
                if (data.HistoryStage[h] != previous)
                {
                    previous = data.HistoryStage[h];
                    enteredDay = (int)(data.HistoryTicks[h] / TimeSpan.TicksPerDay);
                }

                if (h > data.HistoryStart[i] && data.HistoryCloseDay[h] > data.HistoryCloseDay[h - 1] && data.HistoryCloseDay[h - 1] >= 0)
                {
                    pushes++;
                }
            }

            var sinceChange = today - enteredDay;
            var overdue = Math.Max(0, today - data.CloseDay[i]);
            var reasons = (sinceChange >= query.StalledAfterDays ? AtRiskReasons.Stalled : 0)
                | (pushes > 0 ? AtRiskReasons.CloseDatePushed : 0)
                | (overdue > 0 ? AtRiskReasons.Overdue : 0);
            deals.Add(new AtRiskDeal(
                data.Ids[i], data.StageTable[data.Stage[i]].Name, data.Amount[i], DateOnly.FromDayNumber(data.CloseDay[i]), sinceChange, pushes, overdue, reasons));
        }

        return deals;
    }
}
