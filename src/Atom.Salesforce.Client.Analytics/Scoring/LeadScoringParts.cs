using System.Globalization;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>Title words and seniority, shared by the rules and the model.</summary>
internal static class LeadTitles
{
    private static readonly HashSet<string> Executive = new(StringComparer.Ordinal)
    {
        "chief", "ceo", "cfo", "cto", "coo", "cio", "cmo", "cro", "vp", "svp", "evp", "president", "founder", "owner", "partner",
    };

    private static readonly HashSet<string> Director = new(StringComparer.Ordinal) { "director", "head" };

    private static readonly HashSet<string> Manager = new(StringComparer.Ordinal) { "manager", "lead" };

    /// <summary>The lower-case words of a text (runs of letters and digits).</summary>
    public static string[] Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return [.. words];
    }

    /// <summary>True when <paramref name="phrase"/> occurs in <paramref name="words"/> as consecutive whole words.</summary>
    public static bool Contains(string[] words, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= words.Length; i++)
        {
            var match = true;
            for (var j = 0; j < phrase.Length && match; j++)
            {
                match = words[i + j] == phrase[j];
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>3 for executives (Chief, C-level, VP, President), 2 for directors and heads, 1 for managers, else 0.</summary>
    public static int Seniority(string? title)
    {
        var words = Words(title);
        if (words.Any(Executive.Contains))
        {
            return 3;
        }

        if (words.Any(Director.Contains))
        {
            return 2;
        }

        return words.Any(Manager.Contains) ? 1 : 0;
    }
}

/// <summary>
/// The tasks and events of each lead (WhoId), indexed once, and the moment a lead's story is read at: the day it was
/// converted, the day a closed lead was last changed, else today. Counting activity up to that day keeps what happened
/// after the outcome out of a historical lead's score.
/// </summary>
internal sealed class LeadActivityIndex
{
    private readonly Dictionary<string, List<int>> _days = new(StringComparer.Ordinal);

    public LeadActivityIndex(IEnumerable<ActivityRecord> activities)
    {
        foreach (var activity in activities)
        {
            if (activity.WhoId is not { } who)
            {
                continue;
            }

            if (!_days.TryGetValue(who, out var days))
            {
                _days[who] = days = [];
            }

            days.Add(DayOf(activity));
        }
    }

    /// <summary>The day an activity happened: its activity date, or the day it was created.</summary>
    public static int DayOf(ActivityRecord activity) =>
        (activity.ActivityDate ?? DateOnly.FromDateTime(activity.CreatedDate.UtcDateTime)).DayNumber;

    /// <summary>The last day that counts for <paramref name="lead"/>, given the closed statuses and today.</summary>
    public static int AsOf(LeadRecord lead, int today, IReadOnlySet<string>? closedStatuses)
    {
        if (lead.IsConverted && lead.ConvertedDate is { } converted)
        {
            return Math.Min(converted.DayNumber, today);
        }

        if (closedStatuses is not null && lead.Status is { } status && closedStatuses.Contains(status) && lead.LastModifiedDate is { } modified)
        {
            return Math.Min(DateOnly.FromDateTime(modified.UtcDateTime).DayNumber, today);
        }

        return today;
    }

    /// <summary>All activities up to <paramref name="asOf"/>, and those in the <paramref name="recentDays"/> days ending then.</summary>
    public (int Total, int Recent) Count(string leadId, int asOf, int recentDays)
    {
        if (!_days.TryGetValue(leadId, out var days))
        {
            return (0, 0);
        }

        int total = 0, recent = 0;
        foreach (var day in days)
        {
            if (day <= asOf)
            {
                total++;
                recent += day > asOf - recentDays ? 1 : 0;
            }
        }

        return (total, recent);
    }

    /// <summary>The latest activity day of the lead, which may be in the future when one is planned; null when it has none.</summary>
    public int? LastDay(string leadId)
    {
        if (!_days.TryGetValue(leadId, out var days) || days.Count == 0)
        {
            return null;
        }

        return days.Max();
    }
}

/// <summary>A validated <see cref="LeadScoringRules"/> with case-insensitive lookups and tokenised keywords.</summary>
internal sealed class LeadRuleScorer
{
    private readonly Dictionary<string, double> _sources;
    private readonly Dictionary<string, double> _ratings;
    private readonly Dictionary<string, double> _industries;
    private readonly (string[] Words, string Keyword, double Points)[] _keywords;

    public LeadRuleScorer(LeadScoringRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        Rules = rules;
        _sources = new(rules.LeadSourcePoints, StringComparer.OrdinalIgnoreCase);
        _ratings = new(rules.RatingPoints, StringComparer.OrdinalIgnoreCase);
        _industries = new(rules.IndustryPoints, StringComparer.OrdinalIgnoreCase);
        _keywords = [.. rules.TitleKeywords.Select(k => (LeadTitles.Words(k.Keyword), k.Keyword, k.Points))];
    }

    public LeadScoringRules Rules { get; }

    /// <summary>The 0–100 score and the rules that fired with non-zero points, largest first.</summary>
    public LeadRuleScore Score(LeadRecord lead, int recentActivities)
    {
        var reasons = new List<ScoreReason>();
        if (lead.LeadSource is { } source && _sources.TryGetValue(source, out var points))
        {
            Add(reasons, "lead_source", points, $"Lead source is {source}");
        }

        if (lead.Rating is { } rating && _ratings.TryGetValue(rating, out points))
        {
            Add(reasons, "rating", points, $"Rating is {rating}");
        }

        if (lead.Industry is { } industry && _industries.TryGetValue(industry, out points))
        {
            Add(reasons, "industry", points, $"Industry is {industry}");
        }

        var words = LeadTitles.Words(lead.Title);
        (string Keyword, double Points)? best = null;
        foreach (var (phrase, keyword, keywordPoints) in _keywords)
        {
            if ((best is null || keywordPoints > best.Value.Points) && LeadTitles.Contains(words, phrase))
            {
                best = (keyword, keywordPoints);
            }
        }

        if (best is { } title)
        {
            Add(reasons, "title", title.Points, $"Title contains '{title.Keyword}'");
        }

        if (lead.NumberOfEmployees is { } employees)
        {
            if (Band(Rules.EmployeeBands, employees) is { } band)
            {
                Add(reasons, "company_size", band.Points, string.Create(CultureInfo.InvariantCulture, $"{band.Minimum:N0}+ employees"));
            }
        }
        else if (lead.AnnualRevenue is { } revenue && Band(Rules.RevenueBands, (double)revenue) is { } band)
        {
            Add(reasons, "company_size", band.Points, string.Create(CultureInfo.InvariantCulture, $"Annual revenue {band.Minimum:N0}+"));
        }

        if (!string.IsNullOrWhiteSpace(lead.Email))
        {
            Add(reasons, "has_email", Rules.HasEmailPoints, "Has an e-mail address");
        }

        if (!string.IsNullOrWhiteSpace(lead.Phone))
        {
            Add(reasons, "has_phone", Rules.HasPhonePoints, "Has a phone number");
        }

        if (recentActivities > 0)
        {
            Add(reasons, "recent_activity", Math.Min(recentActivities * Rules.PointsPerActivity, Rules.MaxActivityPoints),
                string.Create(CultureInfo.InvariantCulture, $"{recentActivities} activities in the last {Rules.RecentActivityDays} days"));
        }

        var total = reasons.Sum(r => r.Impact);
        return new LeadRuleScore
        {
            LeadId = lead.Id,
            Score = Math.Clamp(total, 0, 100),
            Reasons = [.. reasons.OrderByDescending(r => Math.Abs(r.Impact))],
        };
    }

    private static SizeBandPoints? Band(IReadOnlyList<SizeBandPoints> bands, double value)
    {
        SizeBandPoints? reached = null;
        foreach (var band in bands)
        {
            if (value >= band.Minimum)
            {
                reached = band;
            }
        }

        return reached;
    }

    private static void Add(List<ScoreReason> reasons, string factor, double points, string description)
    {
        if (points != 0)
        {
            reasons.Add(new ScoreReason { Factor = factor, Impact = points, Description = description });
        }
    }
}
