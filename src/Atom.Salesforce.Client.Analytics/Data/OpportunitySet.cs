using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// Opportunities and their stage history held column by column (one array per field, text fields dictionary-encoded),
/// so that the analytics read them in single passes without allocating. Build one with <see cref="Create"/> from lists,
/// <see cref="CreateAsync"/> from record streams, or <see cref="OpportunityLoader"/> from an org. Immutable once built and
/// safe to share between threads.
/// </summary>
public sealed class OpportunitySet
{
    /// <summary>The most stages a set can hold (stage membership is a 64-bit mask per opportunity).</summary>
    public const int MaxStages = 64;

    /// <summary>The forecast categories, Pipeline to Omitted.</summary>
    internal const int ForecastSlots = 5;

    internal const byte ClosedFlag = 1;
    internal const byte WonFlag = 2;
    internal const byte HasAmountFlag = 4;

    /// <summary>The history shows the close date moved later at least once.</summary>
    internal const byte PushedFlag = 8;

    internal readonly string[] Ids;
    internal readonly double[] Amount;
    internal readonly double[] Probability;
    internal readonly int[] Stage;
    internal readonly int[] CloseDay;
    internal readonly int[] CreatedDay;

    /// <summary>The close date's month as <c>year * 12 + month - 1</c>.</summary>
    internal readonly int[] CloseMonth;
    internal readonly byte[] Flags;
    internal readonly int[] Owner;
    internal readonly int[] LeadSource;
    internal readonly int[] Type;
    internal readonly int[] ForecastCategory;

    /// <summary>Per opportunity: its forecast category as an index into <see cref="Pipeline.ForecastCategories.All"/> (see <see cref="ForecastSlotOf"/>).</summary>
    internal readonly byte[] ForecastSlot;

    /// <summary>The smallest and largest <see cref="CloseMonth"/>; 0 and -1 for an empty set.</summary>
    internal readonly int CloseMonthMin;

    /// <summary>The largest <see cref="CloseMonth"/>.</summary>
    internal readonly int CloseMonthMax;

    /// <summary>Per opportunity: its monthly forecast cell, <c>(CloseMonth − CloseMonthMin) × 5 + ForecastSlot</c>.</summary>
    internal readonly int[] ForecastMonthCell;

    /// <summary>Per opportunity: amount × probability (in percent points, not yet divided by 100).</summary>
    internal readonly double[] WeightedPoints;

    /// <summary>Row offsets: the history of opportunity <c>i</c> is rows <c>HistoryStart[i]</c> to <c>HistoryStart[i + 1] - 1</c>, oldest first.</summary>
    internal readonly int[] HistoryStart;
    internal readonly int[] HistoryStage;
    internal readonly long[] HistoryTicks;
    internal readonly int[] HistoryCloseDay;

    // Derived from the history once, when the set is built, so that a report only filters and counts.

    /// <summary>Per opportunity: its row in <see cref="ReachedMasks"/> and <see cref="AdvancedMasks"/> (distinct pairs).</summary>
    internal readonly int[] MaskId;

    /// <summary>The stages reached: the current one and every one in the history.</summary>
    internal readonly ulong[] ReachedMasks;

    /// <summary>The stages reached below the furthest open or won stage reached.</summary>
    internal readonly ulong[] AdvancedMasks;

    /// <summary>Per opportunity: the day it entered its last stage in the history, else its created day.</summary>
    internal readonly int[] StageChangeDay;

    /// <summary>Completed stays: those of opportunity <c>i</c> are <c>StayStart[i]</c> to <c>StayStart[i + 1] - 1</c>.</summary>
    internal readonly int[] StayStart;

    /// <summary>Per stay: its index in <see cref="StayValues"/>, which holds the stage's distinct lengths in days.</summary>
    internal readonly int[] StayRank;

    /// <summary>The distinct stay lengths in days, stage by stage, ascending within a stage.</summary>
    internal readonly double[] StayValues;

    /// <summary>Stage <c>s</c>'s distinct stay lengths are <c>StayValues[StayValueStart[s]..StayValueStart[s + 1]]</c>.</summary>
    internal readonly int[] StayValueStart;

    /// <summary>Per won opportunity with an amount: its index in <see cref="AmountValues"/>; -1 otherwise.</summary>
    internal readonly int[] AmountRank;

    /// <summary>The distinct amounts of won opportunities, ascending.</summary>
    internal readonly double[] AmountValues;

    /// <summary>The shortest sales cycle (close day minus created day) of a won opportunity; 0 when none.</summary>
    internal readonly int CycleMin;

    /// <summary>Every cycle length from <see cref="CycleMin"/> to the longest, as numbers.</summary>
    internal readonly double[] CycleValues;

    internal readonly StageDefinition[] StageTable;
    internal readonly string?[] OwnerLabels;
    internal readonly string?[] LeadSourceLabels;
    internal readonly string?[] TypeLabels;
    internal readonly string?[] ForecastCategoryLabels;

    private OpportunitySet(Builder b)
    {
        Ids = [.. b.Ids];
        Amount = [.. b.Amount];
        Probability = [.. b.Probability];
        Stage = [.. b.Stage];
        CloseDay = [.. b.CloseDay];
        CreatedDay = [.. b.CreatedDay];
        CloseMonth = [.. b.CloseMonth];
        Flags = [.. b.Flags];
        Owner = [.. b.Owner];
        LeadSource = [.. b.LeadSource];
        Type = [.. b.Type];
        ForecastCategory = [.. b.ForecastCategory];
        ForecastSlot = [.. b.ForecastSlot];
        (CloseMonthMin, CloseMonthMax) = CloseMonth.Length == 0 ? (0, -1) : (CloseMonth.Min(), CloseMonth.Max());
        ForecastMonthCell = new int[CloseMonth.Length];
        WeightedPoints = new double[CloseMonth.Length];
        for (var i = 0; i < CloseMonth.Length; i++)
        {
            ForecastMonthCell[i] = ((CloseMonth[i] - CloseMonthMin) * ForecastSlots) + ForecastSlot[i];
            WeightedPoints[i] = Amount[i] * Probability[i];
        }
        StageTable = [.. b.Stages];
        OwnerLabels = b.Owners.ToArray();
        LeadSourceLabels = b.LeadSources.ToArray();
        TypeLabels = b.Types.ToArray();
        ForecastCategoryLabels = b.ForecastCategories.ToArray();
        (HistoryStart, HistoryStage, HistoryTicks, HistoryCloseDay) = b.BuildHistory(Ids.Length);

        var count = Ids.Length;
        ulong progressStages = 0;
        for (var s = 0; s < StageTable.Length; s++)
        {
            if (!StageTable[s].IsClosed || StageTable[s].IsWon)
            {
                progressStages |= 1UL << s;
            }
        }

        // Walk each opportunity's history once: stays, stages reached and advanced from, the last change, close date pushes.
        MaskId = new int[count];
        StageChangeDay = new int[count];
        StayStart = new int[count + 1];
        var maskIds = new Dictionary<(ulong Reached, ulong Advanced), int>();
        var reachedMasks = new List<ulong>();
        var advancedMasks = new List<ulong>();
        var stayStage = new byte[HistoryStage.Length];
        var stayDays = new double[HistoryStage.Length];
        var stays = 0;
        for (var i = 0; i < count; i++)
        {
            StayStart[i] = stays;
            ulong reached = 1UL << Stage[i];
            var previous = -1;
            long enteredAt = 0;
            for (int h = HistoryStart[i], end = HistoryStart[i + 1]; h < end; h++)
            {
                var rowStage = HistoryStage[h];
                if (rowStage != previous)
                {
                    if (previous >= 0)
                    {
                        stayStage[stays] = (byte)previous;
                        stayDays[stays++] = (HistoryTicks[h] - enteredAt) / (double)TimeSpan.TicksPerDay;
                    }

                    reached |= 1UL << rowStage;
                    previous = rowStage;
                    enteredAt = HistoryTicks[h];
                }

                if (h > HistoryStart[i] && HistoryCloseDay[h] > HistoryCloseDay[h - 1] && HistoryCloseDay[h - 1] >= 0)
                {
                    Flags[i] |= PushedFlag;
                }
            }

            var progress = reached & progressStages;
            var furthest = progress == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(progress);
            var advanced = furthest <= 0 ? 0 : reached & ((1UL << furthest) - 1);
            if (!maskIds.TryGetValue((reached, advanced), out var id))
            {
                id = reachedMasks.Count;
                maskIds.Add((reached, advanced), id);
                reachedMasks.Add(reached);
                advancedMasks.Add(advanced);
            }

            MaskId[i] = id;
            StageChangeDay[i] = previous >= 0 ? (int)(enteredAt / TimeSpan.TicksPerDay) : CreatedDay[i];
        }

        StayStart[count] = stays;
        ReachedMasks = [.. reachedMasks];
        AdvancedMasks = [.. advancedMasks];
        (StayRank, StayValues, StayValueStart) = RankStays(stayStage.AsSpan(0, stays), stayDays.AsSpan(0, stays), StageTable.Length);

        // Won deals: amounts ranked among the distinct won amounts, and the range of cycle lengths.
        AmountRank = new int[count];
        var wonAmounts = new List<double>();
        int cycleMin = int.MaxValue, cycleMax = int.MinValue;
        for (var i = 0; i < count; i++)
        {
            if ((Flags[i] & (ClosedFlag | WonFlag)) == (ClosedFlag | WonFlag))
            {
                var cycle = CloseDay[i] - CreatedDay[i];
                cycleMin = Math.Min(cycleMin, cycle);
                cycleMax = Math.Max(cycleMax, cycle);
                if ((Flags[i] & HasAmountFlag) != 0)
                {
                    wonAmounts.Add(Amount[i]);
                }
            }
        }

        AmountValues = Distinct(CollectionsMarshal.AsSpan(wonAmounts));
        for (var i = 0; i < count; i++)
        {
            AmountRank[i] = (Flags[i] & (ClosedFlag | WonFlag | HasAmountFlag)) == (ClosedFlag | WonFlag | HasAmountFlag)
                ? Array.BinarySearch(AmountValues, Amount[i])
                : -1;
        }

        CycleMin = cycleMin == int.MaxValue ? 0 : cycleMin;
        CycleValues = new double[cycleMin == int.MaxValue ? 0 : cycleMax - cycleMin + 1];
        for (var c = 0; c < CycleValues.Length; c++)
        {
            CycleValues[c] = CycleMin + c;
        }
    }

    /// <summary>How many opportunities the set holds.</summary>
    public int Count => Ids.Length;

    /// <summary>How many history rows the set holds (rows of opportunities not in the set are dropped).</summary>
    public int HistoryCount => HistoryStage.Length;

    /// <summary>The stages in their order: the definitions given, then any other stage met in the data, in the order met.</summary>
    public IReadOnlyList<StageDefinition> Stages => StageTable;

    /// <summary>Builds a set from in-memory records.</summary>
    /// <param name="opportunities">The opportunities; ids must be unique.</param>
    /// <param name="history">Their OpportunityHistory rows, in any order; null when there is none.</param>
    /// <param name="stages">The stage picklist in order; null for <see cref="StageDefinition.SalesforceDefaults"/>.</param>
    /// <exception cref="ArgumentException">An id repeats, or the data holds more than <see cref="MaxStages"/> stages.</exception>
    public static OpportunitySet Create(
        IEnumerable<OpportunityRecord> opportunities,
        IEnumerable<OpportunityHistoryRecord>? history = null,
        IReadOnlyList<StageDefinition>? stages = null)
    {
        ArgumentNullException.ThrowIfNull(opportunities);
        var builder = new Builder(stages);
        foreach (var opportunity in opportunities)
        {
            builder.Add(opportunity);
        }

        if (history is not null)
        {
            foreach (var row in history)
            {
                builder.Add(row);
            }
        }

        return new OpportunitySet(builder);
    }

    /// <summary>Builds a set from record streams, for example the SDK's query results, reading each stream once.</summary>
    /// <param name="opportunities">The opportunities; ids must be unique.</param>
    /// <param name="history">Their OpportunityHistory rows, in any order; null when there is none.</param>
    /// <param name="stages">The stage picklist in order; null for <see cref="StageDefinition.SalesforceDefaults"/>.</param>
    /// <param name="cancellationToken">Stops reading the streams.</param>
    /// <exception cref="ArgumentException">An id repeats, or the data holds more than <see cref="MaxStages"/> stages.</exception>
    public static async Task<OpportunitySet> CreateAsync(
        IAsyncEnumerable<OpportunityRecord> opportunities,
        IAsyncEnumerable<OpportunityHistoryRecord>? history = null,
        IReadOnlyList<StageDefinition>? stages = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opportunities);
        var builder = new Builder(stages);
        await foreach (var opportunity in opportunities.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            builder.Add(opportunity);
        }

        if (history is not null)
        {
            await foreach (var row in history.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                builder.Add(row);
            }
        }

        return new OpportunitySet(builder);
    }

    private static (int[] Rank, double[] Values, int[] ValueStart) RankStays(ReadOnlySpan<byte> stage, ReadOnlySpan<double> days, int stageCount)
    {
        // Bucket the stays by stage (counting sort), sort and deduplicate each stage's lengths, then rank every stay.
        var start = new int[stageCount + 1];
        foreach (var s in stage)
        {
            start[s + 1]++;
        }

        for (var s = 0; s < stageCount; s++)
        {
            start[s + 1] += start[s];
        }

        var next = start.AsSpan(0, stageCount).ToArray();
        var bucketed = new double[days.Length];
        for (var v = 0; v < days.Length; v++)
        {
            bucketed[next[stage[v]]++] = days[v];
        }

        var valueStart = new int[stageCount + 1];
        var values = new List<double>();
        for (var s = 0; s < stageCount; s++)
        {
            valueStart[s] = values.Count;
            values.AddRange(Distinct(bucketed.AsSpan(start[s], start[s + 1] - start[s])));
        }

        valueStart[stageCount] = values.Count;
        var all = values.ToArray();
        var rank = new int[days.Length];
        for (var v = 0; v < days.Length; v++)
        {
            var s = stage[v];
            rank[v] = Array.BinarySearch(all, valueStart[s], valueStart[s + 1] - valueStart[s], days[v]);
        }

        return (rank, all, valueStart);
    }

    /// <summary>The distinct values, ascending; sorts <paramref name="values"/>.</summary>
    private static double[] Distinct(Span<double> values)
    {
        values.Sort();
        var distinct = 0;
        for (var v = 0; v < values.Length; v++)
        {
            if (distinct == 0 || values[v] != values[distinct - 1])
            {
                values[distinct++] = values[v];
            }
        }

        return values[..distinct].ToArray();
    }

    /// <summary>
    /// A deal's forecast category (its index in <see cref="Pipeline.ForecastCategories.All"/>): Closed when won, Omitted when lost; an open
    /// deal's own ForecastCategoryName (label or API name), else its stage's, else Pipeline.
    /// </summary>
    internal static byte ForecastSlotOf(bool isClosed, bool isWon, string? category, string? stageCategory)
    {
        if (isClosed)
        {
            return (byte)(isWon ? 3 : 4);
        }

        return Slot(category) ?? Slot(stageCategory) ?? 0;

        static byte? Slot(string? name) => name?.Trim().ToUpperInvariant() switch
        {
            "PIPELINE" => 0,
            "BEST CASE" or "BESTCASE" => 1,
            "COMMIT" or "FORECAST" => 2,
            "CLOSED" => 3,
            "OMITTED" => 4,
            _ => null,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DayOf(DateTimeOffset value) => DateOnly.FromDateTime(value.UtcDateTime).DayNumber;

    /// <summary>The set of the rows <paramref name="builder"/> holds (<see cref="OpportunitySetBuilder"/>).</summary>
    internal static OpportunitySet Build(Builder builder) => new(builder);

    internal sealed class Builder
    {
        public readonly List<string> Ids = [];
        public readonly List<double> Amount = [];
        public readonly List<double> Probability = [];
        public readonly List<int> Stage = [];
        public readonly List<int> CloseDay = [];
        public readonly List<int> CreatedDay = [];
        public readonly List<int> CloseMonth = [];
        public readonly List<byte> Flags = [];
        public readonly List<int> Owner = [];
        public readonly List<int> LeadSource = [];
        public readonly List<int> Type = [];
        public readonly List<int> ForecastCategory = [];
        public readonly List<byte> ForecastSlot = [];
        public readonly List<StageDefinition> Stages = [];
        public readonly LabelTable Owners = new();
        public readonly LabelTable LeadSources = new();
        public readonly LabelTable Types = new();
        public readonly LabelTable ForecastCategories = new();

        private readonly Dictionary<string, int> _stageIndexes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _idIndexes = new(StringComparer.Ordinal);
        private readonly List<(int Opportunity, int Stage, long Ticks, int CloseDay)> _history = [];

        public Builder(IReadOnlyList<StageDefinition>? stages)
        {
            foreach (var stage in stages ?? StageDefinition.SalesforceDefaults)
            {
                ArgumentNullException.ThrowIfNull(stage, nameof(stages));
                if (!_stageIndexes.ContainsKey(stage.Name))
                {
                    AddStage(stage);
                }
            }
        }

        public void Add(OpportunityRecord record)
        {
            ArgumentNullException.ThrowIfNull(record);
            Add(record.Id, record.StageName, record.IsClosed, record.IsWon, record.Amount, record.Probability, record.CloseDate, record.CreatedDate,
                record.OwnerId, record.LeadSource, record.Type, record.ForecastCategoryName);
        }

        public void Add(
            string id,
            string stageName,
            bool isClosed,
            bool isWon,
            decimal? amount,
            double? probability,
            DateOnly closeDate,
            DateTimeOffset createdDate,
            string? ownerId,
            string? leadSource,
            string? type,
            string? forecastCategoryName)
        {
            if (!_idIndexes.TryAdd(id, Ids.Count))
            {
                throw new ArgumentException($"The opportunity {id} appears twice.", nameof(id));
            }

            var stage = StageIndex(stageName, isClosed, isWon);
            Ids.Add(id);
            Amount.Add((double)(amount ?? 0m));
            Probability.Add(probability ?? 0);
            Stage.Add(stage);
            CloseDay.Add(closeDate.DayNumber);
            CreatedDay.Add(DayOf(createdDate));
            CloseMonth.Add((closeDate.Year * 12) + closeDate.Month - 1);
            Flags.Add((byte)((isClosed ? ClosedFlag : 0) | (isWon ? WonFlag : 0) | (amount is null ? 0 : HasAmountFlag)));
            Owner.Add(Owners.IndexOf(ownerId));
            LeadSource.Add(LeadSources.IndexOf(leadSource));
            Type.Add(Types.IndexOf(type));
            ForecastCategory.Add(ForecastCategories.IndexOf(forecastCategoryName));
            ForecastSlot.Add(ForecastSlotOf(isClosed, isWon, forecastCategoryName, Stages[stage].ForecastCategoryName));
        }

        public void Add(OpportunityHistoryRecord row)
        {
            ArgumentNullException.ThrowIfNull(row);
            Add(row.OpportunityId, row.StageName, row.CreatedDate, row.CloseDate);
        }

        public void Add(string opportunityId, string stageName, DateTimeOffset createdDate, DateOnly? closeDate)
        {
            if (_idIndexes.TryGetValue(opportunityId, out var opportunity))
            {
                _history.Add((opportunity, StageIndex(stageName, false, false), createdDate.UtcTicks, closeDate?.DayNumber ?? -1));
            }
        }

        public (int[] Start, int[] Stage, long[] Ticks, int[] CloseDay) BuildHistory(int count)
        {
            // Counting sort by opportunity (stable), then each opportunity's few rows by time.
            var start = new int[count + 1];
            foreach (var row in _history)
            {
                start[row.Opportunity + 1]++;
            }

            for (var i = 0; i < count; i++)
            {
                start[i + 1] += start[i];
            }

            var next = start.AsSpan(0, count).ToArray();
            var stage = new int[_history.Count];
            var ticks = new long[_history.Count];
            var closeDay = new int[_history.Count];
            foreach (var row in _history)
            {
                var at = next[row.Opportunity]++;
                var j = at;
                while (j > start[row.Opportunity] && ticks[j - 1] > row.Ticks)
                {
                    stage[j] = stage[j - 1];
                    ticks[j] = ticks[j - 1];
                    closeDay[j] = closeDay[j - 1];
                    j--;
                }

                stage[j] = row.Stage;
                ticks[j] = row.Ticks;
                closeDay[j] = row.CloseDay;
            }

            return (start, stage, ticks, closeDay);
        }

        private int StageIndex(string name, bool isClosed, bool isWon)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (_stageIndexes.TryGetValue(name, out var index))
            {
                if (isClosed && !Stages[index].IsClosed)
                {
                    // A stage met first in history and only later on a closed record: the record knows better.
                    Stages[index] = Stages[index] with { IsClosed = true, IsWon = isWon };
                }

                return index;
            }

            return AddStage(new StageDefinition { Name = name, IsClosed = isClosed, IsWon = isWon });
        }

        private int AddStage(StageDefinition stage)
        {
            if (Stages.Count == MaxStages)
            {
                throw new ArgumentException($"The data holds more than {MaxStages} stages.");
            }

            _stageIndexes.Add(stage.Name, Stages.Count);
            Stages.Add(stage);
            return Stages.Count - 1;
        }
    }
}
