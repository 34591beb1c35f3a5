using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// Opportunity win probability learned from the org's own closed deals, with reasons, measured against the Probability
/// Salesforce showed for the same deals at the same moments (and the stage's default probability). Thread-safe; registered
/// by <c>.AddAnalytics()</c>.
/// </summary>
/// <remarks>
/// <para>
/// Leakage: a closed deal's stage and dates at close give its outcome away, so the model never trains on closed deals as
/// they are now. Each closed deal is rebuilt from its OpportunityHistory as it stood at fixed ages (1, 7, 14, 30, 60, 90
/// ... days after creation) while it was still open, and each such snapshot is one training example labelled with the
/// final outcome. Stage, close date pushes and amount are those of the history row in force at the snapshot: the final
/// amount would leak where orgs discount won deals or zero out lost ones. A deal that lived longer gives more snapshots,
/// as it also spends longer in the open pipeline that the model scores.
/// </para>
/// <para>
/// Closed deals are split by a stable hash of their id (<see cref="WinProbabilityQuery.HoldoutFraction"/>); the model
/// trains on the rest and is measured on the held-out deals' snapshots, beside two baselines at the same snapshots: the
/// Probability Salesforce showed then (the history row's, the figure to beat; the stage default where a row has none)
/// and the stage's default probability. The same model scores the open deals as they stand today. Closed deals with no
/// history rows cannot be rebuilt and are left out.
/// </para>
/// </remarks>
public class WinProbabilityScoring
{
    private const int MinimumTrainingSnapshots = 10;
    private const int Folds = 5;
    private const int NoFold = -1;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the scoring with the clock that decides "today" (the moment open deals are scored at).</summary>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    public WinProbabilityScoring(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Loads the org's opportunities, their history, activities and stage table (four queries at once), trains, and
    /// scores the open deals <paramref name="query"/> selects.
    /// </summary>
    /// <param name="client">The org's client.</param>
    /// <param name="query">Filters and training settings; null for every open deal and the defaults.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any query runs).</exception>
    /// <exception cref="InvalidOperationException">The org has too few closed deals, or only one outcome, to train on.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<WinProbabilityReport> AnalyzeAsync(SalesforceClient client, WinProbabilityQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        WinProbabilityQuery.Validate(query);
        var stages = query?.StageProbabilities is null ? LoadStagesAsync(client, cancellationToken) : Task.FromResult<IReadOnlyDictionary<string, double>?>(null);
        var data = await SalesDataLoader.LoadAsync(
            client, SalesDataParts.Opportunities | SalesDataParts.OpportunityHistory | SalesDataParts.Activities, cancellationToken).ConfigureAwait(false);
        var table = await stages.ConfigureAwait(false);
        return Analyze(data, table is null ? query : Copy(query, table));
    }

    /// <summary>
    /// Reads the opportunities, their history, activities and stage table from <paramref name="source"/> (Salesforce or a mirror
    /// of it), trains, and scores the open deals <paramref name="query"/> selects. The stages' default probabilities come from
    /// the source's stage table (OpportunityStage; Salesforce's defaults when it has none).
    /// </summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="query">Filters and training settings; null for every open deal and the defaults.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">The query is invalid (checked before any read).</exception>
    /// <exception cref="InvalidOperationException">The org has too few closed deals, or only one outcome, to train on.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<WinProbabilityReport> AnalyzeAsync(ISalesDataSource source, WinProbabilityQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        WinProbabilityQuery.Validate(query);
        // No stage selects no deal: the set then holds only the stage table.
        var stages = query?.StageProbabilities is null ? source.LoadOpportunitiesAsync(new SalesDataFilter { StageNames = [] }, cancellationToken) : null;
        var data = await source.LoadAsync(
            SalesDataParts.Opportunities | SalesDataParts.OpportunityHistory | SalesDataParts.Activities, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (stages is null)
        {
            return Analyze(data, query);
        }

        var table = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var stage in (await stages.ConfigureAwait(false)).Stages)
        {
            if (stage.DefaultProbability is { } p)
            {
                table[stage.Name] = p;
            }
        }

        return Analyze(data, Copy(query, table));
    }

    /// <summary>Trains on the org's closed deals and scores one open opportunity.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="opportunityId">The opportunity's 15- or 18-character id.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>The deal's score, or null when it is not an open opportunity of the org.</returns>
    /// <exception cref="ArgumentException"><paramref name="opportunityId"/> is not a record id.</exception>
    /// <exception cref="InvalidOperationException">The org has too few closed deals, or only one outcome, to train on.</exception>
    public virtual async Task<WinProbabilityScore?> ScoreAsync(SalesforceClient client, string opportunityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(opportunityId);
        if (opportunityId.Length is not (15 or 18) || !opportunityId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("An opportunity id is 15 or 18 letters and digits.", nameof(opportunityId));
        }

        var report = await AnalyzeAsync(client, null, cancellationToken).ConfigureAwait(false);
        return report.Predictions.FirstOrDefault(p =>
            p.OpportunityId.Equals(opportunityId, StringComparison.Ordinal)
            || (opportunityId.Length == 15 && p.OpportunityId.StartsWith(opportunityId, StringComparison.Ordinal)));
    }

    /// <summary>Trains on the closed deals of <paramref name="data"/> and scores the open deals <paramref name="query"/> selects.</summary>
    /// <param name="data">
    /// Opportunities and their history (required; each row's Amount and Probability as of the change, as
    /// <see cref="OpportunityLoader.HistoryQuery"/> reads them); activities (optional, adds two features).
    /// </param>
    /// <param name="query">Filters and training settings; null for every open deal and the defaults.</param>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    /// <exception cref="InvalidOperationException">Too few closed deals, or only one outcome, to train on.</exception>
    public virtual WinProbabilityReport Analyze(SalesData data, WinProbabilityQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        WinProbabilityQuery.Validate(query);
        query ??= new WinProbabilityQuery();
        var now = _timeProvider.GetUtcNow();
        var ages = query.SnapshotAges is { } a ? a.Distinct().Order().ToArray() : WinProbabilityQuery.DefaultSnapshotAges;

        var closedStages = new HashSet<string>(data.Opportunities.Where(o => o.IsClosed).Select(o => o.StageName), StringComparer.Ordinal)
        {
            "Closed Won", "Closed Lost",
        };
        var history = new Dictionary<string, List<OpportunityHistoryRecord>>(StringComparer.Ordinal);
        foreach (var row in data.OpportunityHistory)
        {
            if (!history.TryGetValue(row.OpportunityId, out var rows))
            {
                rows = [];
                history.Add(row.OpportunityId, rows);
            }

            rows.Add(row);
        }

        // Closed deals with a history to rebuild them from, split once by id.
        var training = new List<(OpportunityRecord Deal, DealTimeline Timeline)>();
        var heldOut = new List<(OpportunityRecord Deal, DealTimeline Timeline)>();
        foreach (var o in data.Opportunities)
        {
            if (!o.IsClosed || !history.TryGetValue(o.Id, out var rows))
            {
                continue;
            }

            var timeline = DealTimeline.Create(rows, closedStages);
            (HoldoutSplit.IsHeldOut(o.Id, query.HoldoutFraction) ? heldOut : training).Add((o, timeline));
        }

        var trainingWon = training.Count(t => t.Deal.IsWon);
        if (trainingWon == 0 || trainingWon == training.Count)
        {
            throw new InvalidOperationException(
                $"Win probability needs won and lost deals with their history to train on; the training set has {trainingWon} won and {training.Count - trainingWon} lost.");
        }

        var baseRate = trainingWon / (double)training.Count;
        var owners = new Dictionary<string, OwnerRecord>(StringComparer.Ordinal);
        foreach (var (deal, _) in training)
        {
            var key = deal.OwnerId ?? string.Empty;
            if (!owners.TryGetValue(key, out var owner))
            {
                owner = new OwnerRecord();
                owners.Add(key, owner);
            }

            owner.Add(Fold(deal.Id), deal.IsWon);
        }

        var stages = StageProbabilities.Resolve(query.StageProbabilities, data.Opportunities, baseRate);
        var activities = data.Activities.Count > 0 ? new ActivityIndex(data.Activities) : null;
        var layout = new WinFeatureLayout(training.Select(t => t.Deal), activities is not null);

        var rowsX = new List<double[]>();
        var labels = new List<bool>();
        foreach (var (deal, timeline) in training)
        {
            foreach (var state in Snapshots(deal, timeline, ages, now, stages, activities, owners, baseRate, Fold(deal.Id)))
            {
                var x = new double[layout.Count];
                layout.Fill(state, x);
                rowsX.Add(x);
                labels.Add(deal.IsWon);
            }
        }

        if (rowsX.Count < MinimumTrainingSnapshots || labels.All(l => l) || labels.All(l => !l))
        {
            throw new InvalidOperationException(
                $"Win probability needs at least {MinimumTrainingSnapshots} training snapshots of won and lost deals; found {rowsX.Count}.");
        }

        var model = LogisticModel.Train(rowsX, labels, query.Regularization);

        var predicted = new List<double>();
        var shown = new List<double>();
        var stageDefault = new List<double>();
        var actual = new List<bool>();
        var features = new double[layout.Count];
        foreach (var (deal, timeline) in heldOut)
        {
            foreach (var state in Snapshots(deal, timeline, ages, now, stages, activities, owners, baseRate, NoFold))
            {
                layout.Fill(state, features);
                predicted.Add(model.Predict(features));
                shown.Add(state.ShownProbability);
                stageDefault.Add(state.StageProbability);
                actual.Add(deal.IsWon);
            }
        }

        var predictions = Predict(data, query, model, layout, history, closedStages, now, stages, activities, owners, baseRate);
        return new WinProbabilityReport
        {
            TrainingDeals = training.Count,
            TrainingSnapshots = rowsX.Count,
            HeldOutDeals = heldOut.Count,
            Model = ModelEvaluation.Evaluate(predicted.ToArray(), actual.ToArray()),
            SalesforceProbability = ModelEvaluation.Evaluate(shown.ToArray(), actual.ToArray()),
            StageDefault = ModelEvaluation.Evaluate(stageDefault.ToArray(), actual.ToArray()),
            Predictions = predictions,
        };
    }

    private static List<WinProbabilityScore> Predict(
        SalesData data,
        WinProbabilityQuery query,
        LogisticModel model,
        WinFeatureLayout layout,
        Dictionary<string, List<OpportunityHistoryRecord>> history,
        HashSet<string> closedStages,
        DateTimeOffset now,
        StageProbabilities stages,
        ActivityIndex? activities,
        Dictionary<string, OwnerRecord> owners,
        double baseRate)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var range = query.CloseDate?.Resolve(today);
        var ownerFilter = Set(query.Owners);
        var sourceFilter = Set(query.LeadSources);
        var stageFilter = Set(query.Stages);
        var features = new double[layout.Count];
        var contributions = new double[layout.Count];
        var scores = new List<WinProbabilityScore>();
        foreach (var deal in data.Opportunities)
        {
            if (deal.IsClosed
                || (range is { } r && (deal.CloseDate < r.Start || deal.CloseDate > r.End))
                || (ownerFilter is not null && !ownerFilter.Contains(deal.OwnerId ?? string.Empty))
                || (sourceFilter is not null && !sourceFilter.Contains(deal.LeadSource ?? string.Empty))
                || (stageFilter is not null && !stageFilter.Contains(deal.StageName)))
            {
                continue;
            }

            var timeline = DealTimeline.Create(history.TryGetValue(deal.Id, out var rows) ? rows : [], closedStages);
            var state = State(deal, timeline, now.UtcTicks, stages, activities, owners, baseRate, NoFold);
            // Today the deal is as it shows, whatever its history says last; its current amount is no leak for an open deal.
            var stageDefault = stages.Of(deal.StageName);
            state = state with
            {
                Stage = deal.StageName,
                StageProbability = stageDefault,
                ShownProbability = deal.Probability is { } shown ? shown / 100 : stageDefault,
                Amount = deal.Amount is { } amount ? (double)amount : null,
            };
            layout.Fill(state, features);
            model.Contributions(features, contributions);
            var z = model.Intercept;
            foreach (var c in contributions)
            {
                z += c;
            }

            var probability = LogisticModel.Sigmoid(z);
            scores.Add(new WinProbabilityScore
            {
                OpportunityId = deal.Id,
                Name = deal.Name,
                StageName = deal.StageName,
                Probability = probability,
                SalesforceProbability = state.ShownProbability,
                StageDefaultProbability = state.StageProbability,
                Reasons = Reasons(layout, contributions, z, probability, state),
            });
        }

        scores.Sort(static (a, b) => b.Probability.CompareTo(a.Probability) is var c && c != 0 ? c : string.CompareOrdinal(a.OpportunityId, b.OpportunityId));
        return scores;
    }

    /// <summary>
    /// One reason per feature group: the probability minus the probability with that group's contribution removed (the
    /// group at the training mean, the others unchanged), in percentage points, largest first.
    /// </summary>
    private static List<ScoreReason> Reasons(WinFeatureLayout layout, double[] contributions, double z, double probability, in DealState state)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var j = 0; j < contributions.Length; j++)
        {
            sums[layout.Groups[j]] = sums.GetValueOrDefault(layout.Groups[j]) + contributions[j];
        }

        var reasons = new List<ScoreReason>(sums.Count);
        foreach (var (group, sum) in sums)
        {
            var impact = (probability - LogisticModel.Sigmoid(z - sum)) * 100;
            reasons.Add(new ScoreReason
            {
                Factor = group,
                Impact = impact,
                Description = WinFeatureLayout.Describe(group, state),
            });
        }

        reasons.Sort(static (a, b) => Math.Abs(b.Impact).CompareTo(Math.Abs(a.Impact)));
        return reasons;
    }

    /// <summary>
    /// A closed deal as it stood at each snapshot age before it closed (and before now): stage, amount and shown probability
    /// from its history as of that moment.
    /// </summary>
    internal static IEnumerable<DealState> Snapshots(
        OpportunityRecord deal,
        DealTimeline timeline,
        int[] ages,
        DateTimeOffset now,
        StageProbabilities stages,
        ActivityIndex? activities,
        Dictionary<string, OwnerRecord> owners,
        double baseRate,
        int fold)
    {
        var closedAt = timeline.ClosedAt ?? new DateTimeOffset(deal.CloseDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).UtcTicks;
        foreach (var age in ages)
        {
            var at = deal.CreatedDate.UtcTicks + TimeSpan.FromDays(age).Ticks;
            if (at >= closedAt || at > now.UtcTicks)
            {
                yield break;
            }

            yield return State(deal, timeline, at, stages, activities, owners, baseRate, fold);
        }
    }

    internal static DealState State(
        OpportunityRecord deal,
        DealTimeline timeline,
        long at,
        StageProbabilities stages,
        ActivityIndex? activities,
        Dictionary<string, OwnerRecord> owners,
        double baseRate,
        int fold)
    {
        var created = deal.CreatedDate.UtcTicks;
        var point = timeline.AsOf(at, deal.StageName, created);
        var stageDefault = stages.Of(point.Stage);
        var (won, deals) = owners.TryGetValue(deal.OwnerId ?? string.Empty, out var owner) ? owner.Outside(fold) : (0, 0);
        var ownerRate = (won + (WinFeatureLayout.OwnerPrior * baseRate)) / (deals + WinFeatureLayout.OwnerPrior);
        return new DealState(
            point.Stage,
            stageDefault,
            // What Salesforce showed then; rows without a Probability (data loaded without it) fall back to the stage default.
            point.Probability is { } shown ? shown / 100 : stageDefault,
            TimeSpan.FromTicks(at - point.EnteredAt).TotalDays,
            TimeSpan.FromTicks(at - created).TotalDays,
            // The amount then, not the final one: orgs discount won deals and zero lost ones at close.
            point.Amount is { } amount ? (double)amount : null,
            point.Pushes,
            deal.Type,
            deal.LeadSource,
            ownerRate,
            deals,
            activities?.OnDeal(deal.Id, at) ?? 0,
            activities?.OnAccount(deal.AccountId, at) ?? 0);
    }

    private static async Task<IReadOnlyDictionary<string, double>?> LoadStagesAsync(SalesforceClient client, CancellationToken cancellationToken)
    {
        try
        {
            var table = new Dictionary<string, double>(StringComparer.Ordinal);
            await foreach (var row in client.Query.QueryAsync<OpportunityStageRecord>(StageProbabilities.StageQuery, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.ApiName is { } name && row.DefaultProbability is { } p)
                {
                    table[name] = p;
                }
            }

            return table;
        }
        catch (SalesforceApiException)
        {
            // A user who may not read OpportunityStage still gets a baseline, from the deals themselves.
            return null;
        }
    }

    private static WinProbabilityQuery Copy(WinProbabilityQuery? query, IReadOnlyDictionary<string, double> stages)
    {
        query ??= new WinProbabilityQuery();
        return new WinProbabilityQuery
        {
            CloseDate = query.CloseDate,
            Owners = query.Owners,
            LeadSources = query.LeadSources,
            Stages = query.Stages,
            HoldoutFraction = query.HoldoutFraction,
            SnapshotAges = query.SnapshotAges,
            StageProbabilities = stages,
            Regularization = query.Regularization,
        };
    }

    /// <summary>
    /// Which of <see cref="Folds"/> folds a training deal is in, by a stable hash of its id. A training deal's owner win rate
    /// is read from the other folds only, so its own outcome never feeds its own feature (leaving just the deal out
    /// would: its owner's rate would be lower exactly when it was won).
    /// </summary>
    private static int Fold(string id)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Folds);
    }

    private static HashSet<string>? Set(IReadOnlyCollection<string>? values) =>
        values is { Count: > 0 } ? new HashSet<string>(values, StringComparer.Ordinal) : null;
}

/// <summary>An owner's won and closed training deals, in total and per fold.</summary>
internal sealed class OwnerRecord
{
    private readonly int[] _foldWon = new int[5];
    private readonly int[] _foldDeals = new int[5];
    private int _won;
    private int _deals;

    public void Add(int fold, bool won)
    {
        _foldWon[fold] += won ? 1 : 0;
        _foldDeals[fold]++;
        _won += won ? 1 : 0;
        _deals++;
    }

    /// <summary>Won and closed deals outside <paramref name="fold"/> (all of them for a negative fold).</summary>
    public (int Won, int Deals) Outside(int fold) => fold < 0 ? (_won, _deals) : (_won - _foldWon[fold], _deals - _foldDeals[fold]);
}
