using System.Globalization;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// A lead conversion model trained on an org's own converted and unconverted leads (see <see cref="LeadScoring.Train"/>):
/// L2 logistic regression on the lead source, rating and industry (one-hot), log head count, log annual revenue, title
/// seniority, log activity count and whether the lead has an e-mail address and a phone number. Immutable and thread-safe.
/// (An unknown head count or revenue is read as the training leads' typical value, so it neither raises nor lowers a prediction.)
/// </summary>
public class LeadScoringModel
{
    private readonly LogisticModel? _model;
    private readonly LeadFeatureSpace? _space;

    internal LeadScoringModel(LogisticModel model, LeadFeatureSpace space, int trainingCount, int convertedCount, ModelAccuracy? accuracy)
    {
        _model = model;
        _space = space;
        TrainingCount = trainingCount;
        ConvertedCount = convertedCount;
        Accuracy = accuracy;
    }

    /// <summary>For mocking.</summary>
    protected LeadScoringModel()
    {
    }

    /// <summary>How many leads the model was trained on.</summary>
    public virtual int TrainingCount { get; }

    /// <summary>How many of them were converted.</summary>
    public virtual int ConvertedCount { get; }

    /// <summary>How well the model did on the held-out leads; null when none were held out.</summary>
    public virtual ModelAccuracy? Accuracy { get; }

    /// <summary>The chance <paramref name="lead"/> converts, with the factors that moved it most.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activityCount">How many tasks and events the lead has (WhoId = the lead).</param>
    public virtual LeadPrediction Predict(LeadRecord lead, int activityCount = 0)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentOutOfRangeException.ThrowIfNegative(activityCount);
        if (_model is null || _space is null)
        {
            throw new InvalidOperationException("This model was not trained; create one with LeadScoring.Train.");
        }

        var features = _space.Features(lead, activityCount);
        var contributions = new double[features.Length];
        _model.Contributions(features, contributions);
        var z = _model.Intercept + contributions.Sum();
        var probability = LogisticModel.Sigmoid(z);

        var groups = new double[LeadFeatureSpace.GroupCount];
        for (var j = 0; j < contributions.Length; j++)
        {
            groups[(int)_space.GroupOf(j)] += contributions[j];
        }

        var reasons = new List<ScoreReason>(groups.Length);
        for (var g = 0; g < groups.Length; g++)
        {
            if (groups[g] != 0)
            {
                // The change in percentage points from putting this factor back at the training average.
                var impact = 100 * (probability - LogisticModel.Sigmoid(z - groups[g]));
                reasons.Add(new ScoreReason
                {
                    Factor = LeadFeatureSpace.FactorName((LeadFactor)g),
                    Impact = impact,
                    Description = LeadFeatureSpace.Describe((LeadFactor)g, lead, activityCount),
                });
            }
        }

        return new LeadPrediction
        {
            LeadId = lead.Id,
            Probability = probability,
            Reasons = [.. reasons.OrderByDescending(r => Math.Abs(r.Impact))],
        };
    }

    /// <summary>Trains on <paramref name="training"/> and measures on <paramref name="heldOut"/>.</summary>
    internal static LeadScoringModel Fit(IReadOnlyList<LeadExample> training, IReadOnlyList<LeadExample> heldOut, double l2)
    {
        var space = LeadFeatureSpace.From(training.Select(e => e.Lead));
        var rows = new List<double[]>(training.Count);
        var labels = new List<bool>(training.Count);
        foreach (var example in training)
        {
            rows.Add(space.Features(example.Lead, example.Activities));
            labels.Add(example.Converted);
        }

        var model = LogisticModel.Train(rows, labels, l2);
        ModelAccuracy? accuracy = null;
        if (heldOut.Count > 0)
        {
            var predicted = new double[heldOut.Count];
            var actual = new bool[heldOut.Count];
            for (var i = 0; i < heldOut.Count; i++)
            {
                predicted[i] = model.Predict(space.Features(heldOut[i].Lead, heldOut[i].Activities));
                actual[i] = heldOut[i].Converted;
            }

            accuracy = ModelEvaluation.Evaluate(predicted, actual);
        }

        return new LeadScoringModel(model, space, training.Count, labels.Count(l => l), accuracy);
    }
}

/// <summary>A lead with a known outcome, for training or measuring.</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Activities">Its tasks and events up to its as-of day.</param>
/// <param name="RecentActivities">Those in the rules' recent window.</param>
/// <param name="Converted">The outcome.</param>
internal readonly record struct LeadExample(LeadRecord Lead, int Activities, int RecentActivities, bool Converted)
{
    /// <summary>
    /// The leads with a known outcome, split by <see cref="HoldoutSplit"/>: converted leads, and unconverted leads created
    /// more than <paramref name="negativeAfterDays"/> days before <paramref name="today"/>.
    /// </summary>
    public static (List<LeadExample> Training, List<LeadExample> HeldOut) Split(
        IEnumerable<LeadRecord> leads, LeadActivityIndex activities, int today, int negativeAfterDays, double holdoutShare, int recentDays,
        IReadOnlySet<string>? closedStatuses)
    {
        var training = new List<LeadExample>();
        var heldOut = new List<LeadExample>();
        foreach (var lead in leads)
        {
            var created = DateOnly.FromDateTime(lead.CreatedDate.UtcDateTime).DayNumber;
            if (!lead.IsConverted && today - created <= negativeAfterDays)
            {
                continue;
            }

            var (total, recent) = activities.Count(lead.Id, LeadActivityIndex.AsOf(lead, today, closedStatuses), recentDays);
            var example = new LeadExample(lead, total, recent, lead.IsConverted);
            (HoldoutSplit.IsHeldOut(lead.Id, holdoutShare) ? heldOut : training).Add(example);
        }

        return (training, heldOut);
    }
}

/// <summary>The model's factors; one-hot columns of a picklist share one factor, so reasons name the picklist once.</summary>
internal enum LeadFactor
{
    LeadSource,
    Rating,
    Industry,
    Employees,
    Revenue,
    TitleSeniority,
    Activity,
    HasEmail,
    HasPhone,
}

/// <summary>The feature columns: one per picklist value seen in training (others are all zero), then the numbers.</summary>
internal sealed class LeadFeatureSpace
{
    public const int GroupCount = 9;
    private const int NumericCount = 6;
    private readonly Dictionary<string, int> _sources;
    private readonly Dictionary<string, int> _ratings;
    private readonly Dictionary<string, int> _industries;

    private readonly double _typicalEmployees;
    private readonly double _typicalRevenue;

    private LeadFeatureSpace(
        Dictionary<string, int> sources, Dictionary<string, int> ratings, Dictionary<string, int> industries, double typicalEmployees, double typicalRevenue)
    {
        _sources = sources;
        _ratings = ratings;
        _industries = industries;
        _typicalEmployees = typicalEmployees;
        _typicalRevenue = typicalRevenue;
        Length = sources.Count + ratings.Count + industries.Count + NumericCount;
    }

    public int Length { get; }

    public static LeadFeatureSpace From(IEnumerable<LeadRecord> leads)
    {
        var sources = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var ratings = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var industries = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        double employees = 0, revenue = 0;
        int employeesKnown = 0, revenueKnown = 0;
        foreach (var lead in leads)
        {
            AddIfSet(sources, lead.LeadSource);
            AddIfSet(ratings, lead.Rating);
            AddIfSet(industries, lead.Industry);
            if (lead.NumberOfEmployees is { } e)
            {
                employees += Log(e);
                employeesKnown++;
            }

            if (lead.AnnualRevenue is { } r)
            {
                revenue += Log((double)r);
                revenueKnown++;
            }
        }

        return new LeadFeatureSpace(
            Index(sources, 0), Index(ratings, sources.Count), Index(industries, sources.Count + ratings.Count),
            employeesKnown == 0 ? 0 : employees / employeesKnown, revenueKnown == 0 ? 0 : revenue / revenueKnown);
    }

    public double[] Features(LeadRecord lead, int activities)
    {
        var x = new double[Length];
        SetOneHot(x, _sources, lead.LeadSource);
        SetOneHot(x, _ratings, lead.Rating);
        SetOneHot(x, _industries, lead.Industry);
        var n = Length - NumericCount;
        // An unknown size sits at the training leads' typical (mean log) size, so it moves the prediction by nothing.
        x[n] = lead.NumberOfEmployees is { } employees ? Log(employees) : _typicalEmployees;
        x[n + 1] = lead.AnnualRevenue is { } revenue ? Log((double)revenue) : _typicalRevenue;
        x[n + 2] = LeadTitles.Seniority(lead.Title);
        x[n + 3] = Log(activities);
        x[n + 4] = string.IsNullOrWhiteSpace(lead.Email) ? 0 : 1;
        x[n + 5] = string.IsNullOrWhiteSpace(lead.Phone) ? 0 : 1;
        return x;
    }

    public LeadFactor GroupOf(int column)
    {
        if (column < _sources.Count)
        {
            return LeadFactor.LeadSource;
        }

        if (column < _sources.Count + _ratings.Count)
        {
            return LeadFactor.Rating;
        }

        if (column < Length - NumericCount)
        {
            return LeadFactor.Industry;
        }

        return (LeadFactor)((int)LeadFactor.Employees + column - (Length - NumericCount));
    }

    public static string FactorName(LeadFactor factor) => factor switch
    {
        LeadFactor.LeadSource => "lead_source",
        LeadFactor.Rating => "rating",
        LeadFactor.Industry => "industry",
        LeadFactor.Employees => "employees",
        LeadFactor.Revenue => "annual_revenue",
        LeadFactor.TitleSeniority => "title_seniority",
        LeadFactor.Activity => "activity",
        LeadFactor.HasEmail => "has_email",
        _ => "has_phone",
    };

    public static string Describe(LeadFactor factor, LeadRecord lead, int activities) => factor switch
    {
        LeadFactor.LeadSource => lead.LeadSource is { } source ? $"Lead source is {source}" : "No lead source",
        LeadFactor.Rating => lead.Rating is { } rating ? $"Rating is {rating}" : "No rating",
        LeadFactor.Industry => lead.Industry is { } industry ? $"Industry is {industry}" : "No industry",
        LeadFactor.Employees => lead.NumberOfEmployees is { } employees
            ? string.Create(CultureInfo.InvariantCulture, $"{employees:N0} employees") : "Head count unknown",
        LeadFactor.Revenue => lead.AnnualRevenue is { } revenue
            ? string.Create(CultureInfo.InvariantCulture, $"Annual revenue {revenue:N0}") : "Annual revenue unknown",
        LeadFactor.TitleSeniority => LeadTitles.Seniority(lead.Title) switch
        {
            3 => $"Executive title ({lead.Title})",
            2 => $"Director-level title ({lead.Title})",
            1 => $"Manager-level title ({lead.Title})",
            _ => lead.Title is { } title ? $"Individual contributor title ({title})" : "No title",
        },
        LeadFactor.Activity => string.Create(CultureInfo.InvariantCulture, $"{activities} activities logged"),
        LeadFactor.HasEmail => string.IsNullOrWhiteSpace(lead.Email) ? "No e-mail address" : "Has an e-mail address",
        _ => string.IsNullOrWhiteSpace(lead.Phone) ? "No phone number" : "Has a phone number",
    };

    private static double Log(double value) => Math.Log(1 + Math.Max(0, value));

    private static void AddIfSet(SortedSet<string> set, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            set.Add(value);
        }
    }

    private static Dictionary<string, int> Index(SortedSet<string> values, int offset)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            index[value] = offset + index.Count;
        }

        return index;
    }

    private static void SetOneHot(double[] x, Dictionary<string, int> index, string? value)
    {
        if (value is not null && index.TryGetValue(value, out var column))
        {
            x[column] = 1;
        }
    }
}
