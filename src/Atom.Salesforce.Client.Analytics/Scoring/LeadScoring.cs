using System.Net;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using SoqlText = Atom.Salesforce.Client.Soql.Soql;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// Lead scoring: a 0–100 score from configurable rules (<see cref="LeadScoringRules"/>), and a conversion model trained on
/// the org's own converted and unconverted leads (<see cref="Train"/>). Every score carries its reasons. Thread-safe;
/// registered by <c>.AddAnalytics()</c> with the default rules.
/// </summary>
public class LeadScoring
{
    private static readonly HashSet<string> ClosedStatuses = new(["Closed - Not Converted"], StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;
    private readonly LeadRuleScorer _rules;

    /// <summary>Creates the service.</summary>
    /// <param name="timeProvider">The clock that decides "today" (recent activity, lead age); null for the system clock.</param>
    /// <param name="rules">The scoring rules; null for <see cref="LeadScoringRules.Default"/>.</param>
    /// <exception cref="ArgumentException">The rules are invalid.</exception>
    public LeadScoring(TimeProvider? timeProvider = null, LeadScoringRules? rules = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _rules = new LeadRuleScorer(rules ?? LeadScoringRules.Default);
    }

    /// <summary>The rules this service scores with.</summary>
    public virtual LeadScoringRules Rules => _rules.Rules;

    /// <summary>Scores a lead with the rules.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="recentActivityCount">Its tasks and events in the last <see cref="LeadScoringRules.RecentActivityDays"/> days.</param>
    public virtual LeadRuleScore Score(LeadRecord lead, int recentActivityCount = 0)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentOutOfRangeException.ThrowIfNegative(recentActivityCount);
        return _rules.Score(lead, recentActivityCount);
    }

    /// <summary>
    /// Trains a conversion model on the leads of <paramref name="data"/> (and their activities, WhoId = the lead): converted
    /// leads are positives, unconverted leads older than <see cref="LeadTrainingOptions.NegativeAfterDays"/> negatives, and
    /// a stable <see cref="LeadTrainingOptions.HoldoutShare"/> of them is held out to measure <see cref="LeadScoringModel.Accuracy"/>.
    /// A converted lead's activities count up to its conversion day.
    /// </summary>
    /// <param name="data">Leads and activities.</param>
    /// <param name="options">Which leads count and how many are held out; null for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The training leads hold no converted or no unconverted lead.</exception>
    public virtual LeadScoringModel Train(SalesData data, LeadTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new LeadTrainingOptions();
        options.Validate();
        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime).DayNumber;
        var (training, heldOut) = LeadExample.Split(
            data.Leads, new LeadActivityIndex(data.Activities), today, options.NegativeAfterDays, options.HoldoutShare, Rules.RecentActivityDays, ClosedStatuses);
        var converted = training.Count(e => e.Converted);
        if (converted == 0 || converted == training.Count)
        {
            throw new InvalidOperationException(
                $"Training needs both converted and unconverted leads; the training set holds {converted} converted of {training.Count} " +
                $"(unconverted leads count once older than {options.NegativeAfterDays} days).");
        }

        return LeadScoringModel.Fit(training, heldOut, options.L2Penalty);
    }

    /// <summary>Loads the org's leads and activities (three queries) and trains a model on them; see <see cref="Train"/>.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="options">Which leads count and how many are held out; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<LeadScoringModel> TrainAsync(SalesforceClient client, LeadTrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        (options ?? new LeadTrainingOptions()).Validate();
        var data = await SalesDataLoader.LoadAsync(client, SalesDataParts.Leads | SalesDataParts.Activities, cancellationToken).ConfigureAwait(false);
        return Train(data, options);
    }

    /// <summary>Reads the leads and activities from <paramref name="source"/> (Salesforce or a mirror of it) and trains a model on them; see <see cref="Train"/>.</summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="options">Which leads count and how many are held out; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<LeadScoringModel> TrainAsync(ISalesDataSource source, LeadTrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        (options ?? new LeadTrainingOptions()).Validate();
        var data = await source.LoadAsync(SalesDataParts.Leads | SalesDataParts.Activities, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Train(data, options);
    }

    /// <summary>
    /// Loads one lead and its tasks and events (three small queries) and scores it with the rules, and with
    /// <paramref name="model"/> when one is given.
    /// </summary>
    /// <param name="client">The org's client.</param>
    /// <param name="leadId">The lead's 15- or 18-character id (it starts with <c>00Q</c>).</param>
    /// <param name="model">A trained model; null for the rule score only.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException"><paramref name="leadId"/> is not a lead id.</exception>
    /// <exception cref="SalesforceApiException">No lead has that id (status 404, NOT_FOUND).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<LeadScoreResult> ScoreAsync(SalesforceClient client, string leadId, LeadScoringModel? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        CheckLeadId(leadId);
        var lead = FirstAsync(client.Query.QueryAsync<LeadRecord>(SalesDataLoader.LeadQuery + SoqlText.Format($" WHERE Id = {leadId}"), cancellationToken: cancellationToken));
        var tasks = ListAsync(client.Query.QueryAsync<ActivityRecord>(SoqlText.Format($"SELECT Id, ActivityDate, CreatedDate FROM Task WHERE WhoId = {leadId}"), cancellationToken: cancellationToken));
        var events = ListAsync(client.Query.QueryAsync<ActivityRecord>(SoqlText.Format($"SELECT Id, ActivityDate, CreatedDate FROM Event WHERE WhoId = {leadId}"), cancellationToken: cancellationToken));
        await Task.WhenAll(lead, tasks, events).ConfigureAwait(false);
        var record = await lead.ConfigureAwait(false) ?? throw new SalesforceApiException(
            HttpStatusCode.NotFound, [new SalesforceError
            {
                ErrorCode = SalesforceError.Codes.NotFound,
                Message = $"No lead has the id {leadId}.",
            }]);

        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime).DayNumber;
        var index = new LeadActivityIndex([.. tasks.Result.Concat(events.Result).Select(a => a with { WhoId = record.Id })]);
        var (total, recent) = index.Count(record.Id, LeadActivityIndex.AsOf(record, today, ClosedStatuses), Rules.RecentActivityDays);
        return new LeadScoreResult { LeadId = record.Id, Rules = Score(record, recent), Model = model?.Predict(record, total) };
    }

    /// <summary>
    /// Reads one lead and its tasks and events from <paramref name="source"/> (Salesforce or a mirror of it; one read with
    /// <see cref="SalesDataFilter.LeadIds"/>) and scores it with the rules, and with <paramref name="model"/> when one is given:
    /// the same score <see cref="ScoreAsync(SalesforceClient, string, LeadScoringModel?, CancellationToken)"/> gives from the org.
    /// </summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="leadId">The lead's 15- or 18-character id (it starts with <c>00Q</c>).</param>
    /// <param name="model">A trained model; null for the rule score only.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="leadId"/> is not a lead id.</exception>
    /// <exception cref="SalesforceApiException">The source holds no lead with that id (status 404, NOT_FOUND).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<LeadScoreResult> ScoreAsync(ISalesDataSource source, string leadId, LeadScoringModel? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckLeadId(leadId);
        var data = await source.LoadAsync(SalesDataParts.Leads | SalesDataParts.Activities, new SalesDataFilter { LeadIds = [SalesforceId.ToCaseSafe(leadId)] }, cancellationToken).ConfigureAwait(false);
        var record = data.Leads.FirstOrDefault(l => l.Id.Length >= 15 && string.Equals(l.Id[..15], leadId[..15], StringComparison.Ordinal))
            ?? throw new SalesforceApiException(
                HttpStatusCode.NotFound, [new SalesforceError
                {
                    ErrorCode = SalesforceError.Codes.NotFound,
                    Message = $"No lead has the id {leadId}.",
                }]);

        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime).DayNumber;
        var index = new LeadActivityIndex([.. data.Activities.Select(a => a with { WhoId = record.Id })]);
        var (total, recent) = index.Count(record.Id, LeadActivityIndex.AsOf(record, today, ClosedStatuses), Rules.RecentActivityDays);
        return new LeadScoreResult { LeadId = record.Id, Rules = Score(record, recent), Model = model?.Predict(record, total) };
    }

    /// <summary>Refuses anything but a lead id, before any I/O.</summary>
    internal static void CheckLeadId(string leadId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leadId);
        if (leadId.Length is not (15 or 18) || !leadId.StartsWith("00Q", StringComparison.Ordinal) || !leadId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{leadId}' is not a lead id: lead ids are 15 or 18 letters and digits starting with 00Q.", nameof(leadId));
        }

        if (!SalesforceId.TryParse(leadId, out _))
        {
            throw new ArgumentException($"'{leadId}' is not a lead id: its last three characters do not match the first fifteen.", nameof(leadId));
        }
    }

    private static async Task<T?> FirstAsync<T>(IAsyncEnumerable<T> rows)
        where T : class
    {
        await foreach (var row in rows.ConfigureAwait(false))
        {
            return row;
        }

        return null;
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> rows)
    {
        var list = new List<T>();
        await foreach (var row in rows.ConfigureAwait(false))
        {
            list.Add(row);
        }

        return list;
    }
}
