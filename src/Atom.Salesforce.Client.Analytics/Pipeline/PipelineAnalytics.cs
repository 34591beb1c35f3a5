using System.Buffers;
using System.Numerics;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>
/// Pipeline analytics over an <see cref="OpportunitySet"/>: open pipeline (total and weighted) by a dimension, win rate,
/// sales cycle, deal size distribution, funnel with stage-to-stage conversion and time in stage, velocity, at-risk deals,
/// the forecast by close period and category and the bottleneck stages, in one pass over the opportunities (plus flat passes
/// when nothing is filtered). <see cref="SummarizeAsync"/> computes grouped totals in the org instead. Thread-safe; registered
/// by <c>.AddAnalytics()</c>.
/// </summary>
public partial class PipelineAnalytics
{
    private static readonly double[] Percentiles = [0.25, 0.5, 0.75, 0.9];
    private const int ForecastSlots = OpportunitySet.ForecastSlots;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the analytics with the clock that decides "today" (relative ranges, stalled and overdue deals).</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public PipelineAnalytics(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Loads the org's stages, opportunities and their history (three queries, see <see cref="OpportunityLoader"/>) and reports on them.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Scope, grouping and thresholds; null for the whole pipeline by stage.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<PipelineReport> AnalyzeAsync(SalesforceClient client, PipelineQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        Validate(query);
        var data = await OpportunityLoader.LoadAsync(client, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>
    /// Loads the opportunities <paramref name="query"/> can select, with their history and the stage table, from
    /// <paramref name="source"/> (Salesforce or a mirror of it), and reports on them. The query's close dates, owners and stages
    /// are pushed into the source's reads (SOQL or SQL WHERE clauses, see <see cref="SalesDataFilter"/>), so only those deals are
    /// read; lead sources are applied in memory. The report is the one <see cref="Analyze"/> gives on the whole set.
    /// </summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="query">Scope, grouping and thresholds; null for the whole pipeline by stage.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<PipelineReport> AnalyzeAsync(ISalesDataSource source, PipelineQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(query);
        var data = await source.LoadOpportunitiesAsync(Filter(query), cancellationToken).ConfigureAwait(false);
        return Analyze(data, query);
    }

    /// <summary>The part of <paramref name="query"/> a data source can apply: close dates, owners and stages (null or empty = all).</summary>
    internal SalesDataFilter? Filter(PipelineQuery? query)
    {
        if (query is null)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
        (DateOnly Start, DateOnly End)? range = query.CloseDate?.Resolve(today);
        var owners = query.Owners is { Count: > 0 } o ? o : null;
        var stages = query.Stages is { Count: > 0 } s ? s : null;
        return range is null && owners is null && stages is null
            ? null
            : new SalesDataFilter { CloseDateFrom = range?.Start, CloseDateTo = range?.End, OwnerIds = owners, StageNames = stages };
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

        // Histograms over values ranked when the set was built: the loop only counts, and the medians and percentiles
        // are read off the counts exactly (the same interpolation as selection over the values themselves).
        var pool = ArrayPool<int>.Shared;
        var maskCounts = Rent(pool, data.ReachedMasks.Length);
        var stayCounts = Rent(pool, data.StayValues.Length);
        var amountCounts = Rent(pool, data.AmountValues.Length);
        var cycleCounts = Rent(pool, data.CycleValues.Length);

        // Forecast cells: (period - first period) × 5 + forecast slot. Periods span the set's close months. Months use the
        // cells worked out when the set was built; quarters and years look up each close month's first cell.
        var forecastBy = query.ForecastBy;
        var byMonth = forecastBy == CalendarPeriod.Month;
        var periodMin = data.Count == 0 ? 0 : Periods.Index(MonthStart(data.CloseMonthMin), forecastBy);
        var periodCount = data.Count == 0 ? 0 : Periods.Index(MonthStart(data.CloseMonthMax), forecastBy) - periodMin + 1;
        var periodCells = byMonth ? [] : PeriodCells(data, forecastBy, periodMin);
        var cellCount = periodCount * ForecastSlots;
        var forecastCounts = Rent(pool, cellCount);
        var forecastAmounts = Rent(ArrayPool<double>.Shared, cellCount);
        var forecastWeighted = Rent(ArrayPool<double>.Shared, cellCount);
        var stageCount = data.StageTable.Length;
        var stageOpenCounts = new int[stageCount];
        var stageOpenAmounts = new double[stageCount];

        // With no filter every deal counts: the stays, the forecast and the open deals per stage are counted afterwards in
        // flat passes over all deals, instead of deal by deal in the loop.
        var everyDeal = range is null && ownerMask is null && sourceMask is null && stageMask is null;
        var selected = everyDeal ? [] : Rent(pool, data.Count);
        try
        {
            var atRisk = new TopDeals(data, query.AtRiskLimit);
            var atRiskCount = 0;
            var atRiskAmount = 0.0;

            int count = 0, open = 0, won = 0, lost = 0, deals = 0, cycles = 0;
            double openAmount = 0, weighted = 0, cycleSum = 0, dealSum = 0;
            var amounts = data.Amount;
            var probabilities = data.Probability;
            var flags = data.Flags;
            var closeDays = data.CloseDay;
            var createdDays = data.CreatedDay;
            var maskIds = data.MaskId;
            var changeDays = data.StageChangeDay;
            var stayStart = data.StayStart;
            var stayRank = data.StayRank;
            var amountRank = data.AmountRank;
            var cycleMin = data.CycleMin;
            var closeMonths = data.CloseMonth;
            var closeMonthMin = data.CloseMonthMin;
            var slots = data.ForecastSlot;
            var monthCells = data.ForecastMonthCell;
            var points = data.WeightedPoints;
            var stages = data.Stage;
            var countStages = query.GroupBy != PipelineDimension.Stage;
            var stalledAfter = query.StalledAfterDays;

            // A filter first lists the selected deals without branching on them, so the loop below only branches on what
            // it counts (open, won, lost), not on a filter that a predictor cannot guess.
            var selectedCount = everyDeal ? closeDays.Length : Select(data, first, last, ownerMask, sourceMask, stageMask, selected);
            for (var next = 0; next < selectedCount; next++)
            {
                var i = everyDeal ? next : selected[next];
                var closeDay = closeDays[i];
                maskCounts[maskIds[i]]++;
                if (!everyDeal)
                {
                    for (int k = stayStart[i], end = stayStart[i + 1]; k < end; k++)
                    {
                        stayCounts[stayRank[k]]++;
                    }

                    var cell = byMonth ? monthCells[i] : periodCells[closeMonths[i] - closeMonthMin] + slots[i];
                    forecastCounts[cell]++;
                    forecastAmounts[cell] += amounts[i];
                    forecastWeighted[cell] += points[i];
                    if (countStages && (flags[i] & OpportunitySet.ClosedFlag) == 0)
                    {
                        stageOpenCounts[stages[i]]++;
                        stageOpenAmounts[stages[i]] += amounts[i];
                    }
                }

                count++;
                var flag = flags[i];
                var amount = amounts[i];
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

                    if (today - changeDays[i] >= stalledAfter || (flag & OpportunitySet.PushedFlag) != 0 || closeDay < today)
                    {
                        atRiskCount++;
                        atRiskAmount += amount;
                        atRisk.Offer(i);
                    }
                }
                else if ((flag & OpportunitySet.WonFlag) != 0)
                {
                    won++;
                    var cycle = closeDay - createdDays[i];
                    cycleCounts[cycle - cycleMin]++;
                    cycles++;
                    cycleSum += cycle;
                    if ((flag & OpportunitySet.HasAmountFlag) != 0)
                    {
                        amountCounts[amountRank[i]]++;
                        deals++;
                        dealSum += amount;
                    }
                }
                else
                {
                    lost++;
                }
            }

            if (everyDeal)
            {
                foreach (var rank in stayRank)
                {
                    stayCounts[rank]++;
                }
            }

            // With a filter the loop counted the forecast and the open deals per stage; with none, flat passes do.
            if (everyDeal)
            {
                CountForecast(data, byMonth, periodCells, forecastCounts, forecastAmounts, forecastWeighted, countStages, stageOpenCounts, stageOpenAmounts);
            }

            // Amount × probability is in percent points: divided by 100 once per cell.
            for (var c = 0; c < cellCount; c++)
            {
                forecastWeighted[c] /= 100;
            }

            // Grouped by stage, the groups are the open deals per stage already.
            if (!countStages)
            {
                groupCounts.CopyTo(stageOpenCounts, 0);
                groupAmounts.CopyTo(stageOpenAmounts, 0);
            }

            var winRate = won + lost == 0 ? (double?)null : won / (double)(won + lost);
            var salesCycle = new SalesCycle
            {
                Count = cycles,
                MeanDays = cycles == 0 ? null : cycleSum / cycles,
                MedianDays = cycles == 0 ? null : Quantiles.Median(cycleCounts.AsSpan(0, data.CycleValues.Length), data.CycleValues, cycles),
            };
            var dealSizeDistribution = DealSizes(amountCounts.AsSpan(0, data.AmountValues.Length), data.AmountValues, deals, dealSum, bins);
            var velocity = winRate is { } rate && dealSizeDistribution.Mean is { } mean && salesCycle.MeanDays is > 0 and var meanCycle
                ? open * rate * mean / meanCycle
                : (double?)null;
            var stageMetrics = StageMetrics(data, maskCounts.AsSpan(0, data.ReachedMasks.Length), stayCounts.AsSpan(0, data.StayValues.Length));
            return new PipelineReport
            {
                Start = range?.Start,
                End = range?.End,
                Count = count,
                OpenCount = open,
                WonCount = won,
                LostCount = lost,
                OpenAmount = openAmount,
                WeightedAmount = weighted,
                Groups = Groups(data, query.GroupBy, groupOffset, groupCounts, groupAmounts, groupWeighted),
                WinRate = winRate,
                SalesCycle = salesCycle,
                DealSizes = dealSizeDistribution,
                Stages = stageMetrics,
                Velocity = velocity,
                AtRiskCount = atRiskCount,
                AtRiskAmount = atRiskAmount,
                AtRisk = AtRiskDeals(data, atRisk.Sorted(), query, today),
                Forecast = Forecast(forecastBy, periodMin, periodCount, forecastCounts, forecastAmounts, forecastWeighted),
                Bottlenecks = Bottlenecks(data, stageMetrics, stageOpenCounts, stageOpenAmounts, query.BottleneckMinDeals),
            };
        }
        finally
        {
            pool.Return(maskCounts);
            pool.Return(stayCounts);
            pool.Return(amountCounts);
            pool.Return(cycleCounts);
            pool.Return(forecastCounts);
            ArrayPool<double>.Shared.Return(forecastAmounts);
            ArrayPool<double>.Shared.Return(forecastWeighted);
            if (!everyDeal)
            {
                pool.Return(selected);
            }
        }
    }

    /// <summary>Lists in <paramref name="selected"/> the deals that the close date range and the masks keep; returns how many.</summary>
    private static int Select(OpportunitySet data, int first, int last, bool[]? ownerMask, bool[]? sourceMask, bool[]? stageMask, int[] selected)
    {
        var closeDays = data.CloseDay;
        var owners = data.Owner;
        var sources = data.LeadSource;
        var stages = data.Stage;

        // first ≤ day ≤ last as one unsigned comparison (unchecked: the open range int.MinValue..int.MaxValue keeps every day).
        var width = unchecked((uint)(last - first));
        var n = 0;
        for (var i = 0; i < closeDays.Length; i++)
        {
            var keep = unchecked((uint)(closeDays[i] - first)) <= width;
            if (ownerMask is not null)
            {
                keep &= ownerMask[owners[i]];
            }

            if (sourceMask is not null)
            {
                keep &= sourceMask[sources[i]];
            }

            if (stageMask is not null)
            {
                keep &= stageMask[stages[i]];
            }

            // Written every time, kept by moving on: no branch on the outcome.
            selected[n] = i;
            n += keep ? 1 : 0;
        }

        return n;
    }

    private static T[] Rent<T>(ArrayPool<T> pool, int length)
    {
        var array = pool.Rent(length);
        Array.Clear(array, 0, length);
        return array;
    }

    private static void Validate(PipelineQuery? query)
    {
        if (query is null)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(query.StalledAfterDays, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.AtRiskLimit, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.BottleneckMinDeals, 1, nameof(query));
        if (!Enum.IsDefined(query.ForecastBy))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.ForecastBy, "Unknown forecast period.");
        }

        if (!Enum.IsDefined(query.GroupBy))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.GroupBy, "Unknown pipeline dimension.");
        }
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
                PipelineDimension.CloseMonth => Periods.Key(g + offset, CalendarPeriod.Month),
                _ => Periods.Key(g + offset, CalendarPeriod.Quarter),
            };
            groups.Add(new PipelineGroup { Key = key, Count = counts[g], Amount = amounts[g], WeightedAmount = weighted[g] });
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

    private static DealSizeDistribution DealSizes(ReadOnlySpan<int> counts, double[] values, int deals, double sum, double[] bounds)
    {
        var binCounts = new int[bounds.Length];
        for (var v = 0; v < counts.Length; v++)
        {
            var bin = counts[v] == 0 ? -1 : BinOf(bounds, values[v]);
            if (bin >= 0)
            {
                binCounts[bin] += counts[v];
            }
        }

        var bins = new HistogramBin[bounds.Length];
        for (var b = 0; b < bounds.Length; b++)
        {
            bins[b] = new HistogramBin
            {
                LowerBound = bounds[b],
                UpperBound = b + 1 < bounds.Length ? bounds[b + 1] : null,
                Count = binCounts[b],
            };
        }

        if (deals == 0)
        {
            return new DealSizeDistribution { Count = 0, Bins = bins };
        }

        Span<double> p = stackalloc double[Percentiles.Length];
        Quantiles.FromCounts(counts, values, deals, Percentiles, p);
        return new DealSizeDistribution
        {
            Count = deals,
            Mean = sum / deals,
            P25 = p[0],
            P50 = p[1],
            P75 = p[2],
            P90 = p[3],
            Bins = bins,
        };
    }

    private static List<StageMetrics> StageMetrics(OpportunitySet data, ReadOnlySpan<int> maskCounts, ReadOnlySpan<int> stayCounts)
    {
        // Funnel: every distinct pair of reached and advanced-from stages, times how many selected deals have it.
        var stageCount = data.StageTable.Length;
        Span<int> reached = stackalloc int[stageCount];
        Span<int> advanced = stackalloc int[stageCount];
        reached.Clear();
        advanced.Clear();
        for (var m = 0; m < maskCounts.Length; m++)
        {
            var n = maskCounts[m];
            if (n == 0)
            {
                continue;
            }

            for (var bits = data.ReachedMasks[m]; bits != 0; bits &= bits - 1)
            {
                reached[BitOperations.TrailingZeroCount(bits)] += n;
            }

            for (var bits = data.AdvancedMasks[m]; bits != 0; bits &= bits - 1)
            {
                advanced[BitOperations.TrailingZeroCount(bits)] += n;
            }
        }

        var metrics = new List<StageMetrics>();
        for (var s = 0; s < stageCount; s++)
        {
            if (data.StageTable[s].IsClosed)
            {
                continue;
            }

            var from = data.StayValueStart[s];
            var counts = stayCounts[from..data.StayValueStart[s + 1]];
            var values = data.StayValues.AsSpan(from, counts.Length);
            var stays = 0;
            var sum = 0.0;
            for (var v = 0; v < counts.Length; v++)
            {
                stays += counts[v];
                sum += counts[v] * values[v];
            }

            metrics.Add(new StageMetrics
            {
                StageName = data.StageTable[s].Name,
                Reached = reached[s],
                Advanced = advanced[s],
                ConversionRate = reached[s] == 0 ? null : advanced[s] / (double)reached[s],
                CompletedStays = stays,
                MeanDays = stays == 0 ? null : sum / stays,
                MedianDays = stays == 0 ? null : Quantiles.Median(counts, values, stays),
            });
        }

        return metrics;
    }

    /// <summary>
    /// With no filter: the forecast cells ((period − first period) × 5 + category) and the open deals per current stage of
    /// every deal, in flat passes of their own after the main loop (short loops with few live values).
    /// </summary>
    private static void CountForecast(
        OpportunitySet data, bool byMonth, int[] periodCells,
        int[] counts, double[] amounts, double[] weighted, bool countStages, int[] stageOpenCounts, double[] stageOpenAmounts)
    {
        var dealAmounts = data.Amount;
        var points = data.WeightedPoints;
        if (!byMonth)
        {
            var months = data.CloseMonth;
            var monthMin = data.CloseMonthMin;
            var slots = data.ForecastSlot;
            for (var i = 0; i < months.Length; i++)
            {
                var cell = periodCells[months[i] - monthMin] + slots[i];
                counts[cell]++;
                amounts[cell] += dealAmounts[i];
                weighted[cell] += points[i];
            }
        }
        else
        {
            // The cells were worked out when the set was built.
            var cells = data.ForecastMonthCell;
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = cells[i];
                counts[cell]++;
                amounts[cell] += dealAmounts[i];
                weighted[cell] += points[i];
            }
        }

        if (countStages)
        {
            var flags = data.Flags;
            var stages = data.Stage;
            for (var i = 0; i < stages.Length; i++)
            {
                // Branch-free: 1 for an open deal, 0 for a closed one.
                var isOpen = ~flags[i] & OpportunitySet.ClosedFlag;
                stageOpenCounts[stages[i]] += isOpen;
                stageOpenAmounts[stages[i]] += isOpen * dealAmounts[i];
            }
        }
    }

    /// <summary>
    /// For quarters and years: per close month from the set's first, the first forecast cell of the period holding it,
    /// (period − first period) × 5. Worked out once per month, so the deal loops only look it up.
    /// </summary>
    private static int[] PeriodCells(OpportunitySet data, CalendarPeriod period, int periodMin)
    {
        if (data.Count == 0)
        {
            return [];
        }

        var cells = new int[data.CloseMonthMax - data.CloseMonthMin + 1];
        for (var m = 0; m < cells.Length; m++)
        {
            cells[m] = (Periods.Index(MonthStart(data.CloseMonthMin + m), period) - periodMin) * ForecastSlots;
        }

        return cells;
    }

    /// <summary>The first day of the month numbered <c>year × 12 + month − 1</c> (<see cref="OpportunitySet.CloseMonth"/>).</summary>
    private static DateOnly MonthStart(int month) => Periods.Start(month, CalendarPeriod.Month);

    private static List<ForecastPeriod> Forecast(CalendarPeriod forecastBy, int periodMin, int periodCount, int[] counts, double[] amounts, double[] weighted)
    {
        var periods = new List<ForecastPeriod>();
        for (var p = 0; p < periodCount; p++)
        {
            var from = p * ForecastSlots;
            var any = false;
            for (var c = from; c < from + ForecastSlots; c++)
            {
                any |= counts[c] > 0;
            }

            if (!any)
            {
                continue;
            }

            var cells = new ForecastCell[ForecastSlots];
            for (var c = 0; c < ForecastSlots; c++)
            {
                cells[c] = new ForecastCell
                {
                    Category = ForecastCategories.All[c],
                    Count = counts[from + c],
                    Amount = amounts[from + c],
                    WeightedAmount = weighted[from + c],
                };
            }

            var period = periodMin + p;
            periods.Add(new ForecastPeriod
            {
                Period = Periods.Key(period, forecastBy),
                Start = Periods.Start(period, forecastBy),
                End = Periods.End(period, forecastBy),
                Categories = cells,
            });
        }

        return periods;
    }

    private static List<BottleneckStage> Bottlenecks(OpportunitySet data, List<StageMetrics> stages, int[] openCounts, double[] openAmounts, int minDeals)
    {
        // The funnel's typical values: medians over the open stages measured on enough deals.
        var conversions = stages.Where(s => s.Reached >= minDeals && s.ConversionRate is not null).Select(s => s.ConversionRate!.Value).ToArray();
        var days = stages.Where(s => s.CompletedStays >= minDeals && s.MedianDays is not null).Select(s => s.MedianDays!.Value).ToArray();
        double? typicalConversion = conversions.Length == 0 ? null : Quantiles.Median(conversions);
        double? typicalDays = days.Length == 0 ? null : Quantiles.Median(days);

        var found = new List<(int Order, BottleneckStage Stage)>();
        for (var order = 0; order < stages.Count; order++)
        {
            var stage = stages[order];
            var reasons = new List<BottleneckReason>(2);
            if (typicalConversion is > 0 and var tc && stage.Reached >= minDeals && stage.ConversionRate is { } conversion
                && conversion <= BottleneckStage.LowConversionRatio * tc)
            {
                var ratio = conversion / tc;
                reasons.Add(new BottleneckReason
                {
                    Measure = BottleneckMeasure.Conversion,
                    Value = conversion,
                    Typical = tc,
                    Ratio = ratio,
                    Score = 1 - ratio,
                });
            }

            if (typicalDays is > 0 and var td && stage.CompletedStays >= minDeals && stage.MedianDays is { } median
                && median >= BottleneckStage.SlowStageRatio * td)
            {
                var ratio = median / td;
                reasons.Add(new BottleneckReason
                {
                    Measure = BottleneckMeasure.MedianDays,
                    Value = median,
                    Typical = td,
                    Ratio = ratio,
                    Score = ratio - 1,
                });
            }

            if (reasons.Count > 0)
            {
                var s = IndexOfStage(data, stage.StageName);
                found.Add((order, new BottleneckStage
                {
                    Rank = 0,
                    StageName = stage.StageName,
                    Score = reasons.Sum(r => r.Score),
                    OpenCount = openCounts[s],
                    OpenAmount = openAmounts[s],
                    Reasons = reasons,
                }));
            }
        }

        found.Sort(static (a, b) =>
            a.Stage.Score != b.Stage.Score ? b.Stage.Score.CompareTo(a.Stage.Score)
            : a.Stage.OpenAmount != b.Stage.OpenAmount ? b.Stage.OpenAmount.CompareTo(a.Stage.OpenAmount)
            : a.Order.CompareTo(b.Order));
        return [.. found.Select((f, i) => f.Stage with { Rank = i + 1 })];
    }

    private static int IndexOfStage(OpportunitySet data, string name)
    {
        for (var s = 0; s < data.StageTable.Length; s++)
        {
            if (data.StageTable[s].Name == name)
            {
                return s;
            }
        }

        return -1;
    }

    private static List<AtRiskDeal> AtRiskDeals(OpportunitySet data, List<int> atRisk, PipelineQuery query, int today)
    {
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
            deals.Add(new AtRiskDeal
            {
                OpportunityId = data.Ids[i],
                StageName = data.StageTable[data.Stage[i]].Name,
                Amount = data.Amount[i],
                CloseDate = DateOnly.FromDayNumber(data.CloseDay[i]),
                DaysSinceStageChange = sinceChange,
                CloseDatePushes = pushes,
                DaysOverdue = overdue,
                Reasons = reasons,
            });
        }

        return deals;
    }

    /// <summary>
    /// The <c>limit</c> at-risk deals that come first (largest amount, then id), kept in a bounded heap whose root is the
    /// one that comes last, so that a deal smaller than all kept costs one comparison.
    /// </summary>
    private sealed class TopDeals(OpportunitySet data, int limit)
    {
        private readonly List<int> _heap = [];

        public void Offer(int deal)
        {
            if (_heap.Count < limit)
            {
                _heap.Add(deal);
                SiftUp(_heap.Count - 1);
            }
            else if (limit > 0 && Compare(deal, _heap[0]) < 0)
            {
                _heap[0] = deal;
                SiftDown(0);
            }
        }

        public List<int> Sorted()
        {
            _heap.Sort(Compare);
            return _heap;
        }

        /// <summary>Negative when <paramref name="a"/> comes before <paramref name="b"/> in the report.</summary>
        private int Compare(int a, int b)
        {
            var amounts = data.Amount;
            return amounts[a] != amounts[b] ? amounts[b].CompareTo(amounts[a]) : string.CompareOrdinal(data.Ids[a], data.Ids[b]);
        }

        private void SiftUp(int at)
        {
            while (at > 0)
            {
                var parent = (at - 1) / 2;
                if (Compare(_heap[at], _heap[parent]) <= 0)
                {
                    return;
                }

                (_heap[at], _heap[parent]) = (_heap[parent], _heap[at]);
                at = parent;
            }
        }

        private void SiftDown(int at)
        {
            while (true)
            {
                var last = at;
                int left = (2 * at) + 1, right = left + 1;
                if (left < _heap.Count && Compare(_heap[left], _heap[last]) > 0)
                {
                    last = left;
                }

                if (right < _heap.Count && Compare(_heap[right], _heap[last]) > 0)
                {
                    last = right;
                }

                if (last == at)
                {
                    return;
                }

                (_heap[at], _heap[last]) = (_heap[last], _heap[at]);
                at = last;
            }
        }
    }
}
