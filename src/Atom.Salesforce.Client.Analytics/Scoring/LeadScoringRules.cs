namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// The points a rule-based lead score gives. The score is the sum of the points of every rule that fires, clamped to
/// 0–100; the defaults add up to at most 100 for an ideal lead. Picklist values match exactly (case-insensitive); title
/// keywords match whole words. Check a custom set with <see cref="Validate"/> (the scoring services do it for you).
/// </summary>
public sealed class LeadScoringRules
{
    /// <summary>The default rules.</summary>
    public static LeadScoringRules Default { get; } = new();

    /// <summary>Points per lead source; a source not listed scores 0. Default: Partner Referral 20, Phone Inquiry 15, Web 10, Other 5.</summary>
    public IReadOnlyDictionary<string, double> LeadSourcePoints { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["Partner Referral"] = 20,
        ["Phone Inquiry"] = 15,
        ["Web"] = 10,
        ["Other"] = 5,
    };

    /// <summary>Points per rating; default Hot 20, Warm 10.</summary>
    public IReadOnlyDictionary<string, double> RatingPoints { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["Hot"] = 20,
        ["Warm"] = 10,
    };

    /// <summary>Points per industry; default Technology, Finance and Healthcare 5.</summary>
    public IReadOnlyDictionary<string, double> IndustryPoints { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["Technology"] = 5,
        ["Finance"] = 5,
        ["Healthcare"] = 5,
    };

    /// <summary>
    /// Title keywords and their points; only the best-scoring keyword in a title counts. Default: Chief, CEO, CFO, CTO,
    /// COO, VP and Vice President 15; Head and Director 10; Manager 5.
    /// </summary>
    public IReadOnlyList<TitleKeywordPoints> TitleKeywords { get; init; } =
    [
        new()
        {
            Keyword = "Chief",
            Points = 15,
        }, new() { Keyword = "CEO", Points = 15 }, new() { Keyword = "CFO", Points = 15 }, new()
        {
            Keyword = "CTO",
            Points = 15,
        }, new() { Keyword = "COO", Points = 15 }, new()
        {
            Keyword = "VP",
            Points = 15,
        }, new()
        {
            Keyword = "Vice President",
            Points = 15,
        },
        new()
        {
            Keyword = "Head",
            Points = 10,
        }, new() { Keyword = "Director", Points = 10 }, new() { Keyword = "Manager", Points = 5 },
    ];

    /// <summary>
    /// Company size by head count: the points of the highest band the lead reaches, ascending by minimum. Default:
    /// 200 employees 5, 2,000 employees 10. Used when the lead's head count is known.
    /// </summary>
    public IReadOnlyList<SizeBandPoints> EmployeeBands { get; init; } = [new()
    {
        Minimum = 200,
        Points = 5,
    }, new() { Minimum = 2_000, Points = 10 }];

    /// <summary>
    /// Company size by annual revenue, used only when the head count is unknown: the points of the highest band reached.
    /// Default: 50 million 5, 500 million 10.
    /// </summary>
    public IReadOnlyList<SizeBandPoints> RevenueBands { get; init; } = [new() { Minimum = 50_000_000, Points = 5 }, new()
    {
        Minimum = 500_000_000,
        Points = 10,
    }];

    /// <summary>Points for having an e-mail address; default 5.</summary>
    public double HasEmailPoints { get; init; } = 5;

    /// <summary>Points for having a phone number; default 5.</summary>
    public double HasPhonePoints { get; init; } = 5;

    /// <summary>Points per task or event on the lead in the last <see cref="RecentActivityDays"/> days; default 2.</summary>
    public double PointsPerActivity { get; init; } = 2;

    /// <summary>The most the activity rule gives; default 10 (five recent activities).</summary>
    public double MaxActivityPoints { get; init; } = 10;

    /// <summary>How many days back an activity counts as recent; default 90.</summary>
    public int RecentActivityDays { get; init; } = 90;

    /// <summary>Checks the rules: finite points between −100 and 100, non-empty keywords, ascending bands, a positive window.</summary>
    /// <exception cref="ArgumentException">A rule is invalid; the message names it.</exception>
    public void Validate()
    {
        CheckPoints(LeadSourcePoints, nameof(LeadSourcePoints));
        CheckPoints(RatingPoints, nameof(RatingPoints));
        CheckPoints(IndustryPoints, nameof(IndustryPoints));
        ArgumentNullException.ThrowIfNull(TitleKeywords, nameof(TitleKeywords));
        foreach (var keyword in TitleKeywords)
        {
            if (keyword is null || string.IsNullOrWhiteSpace(keyword.Keyword) || LeadTitles.Words(keyword.Keyword).Length == 0)
            {
                throw new ArgumentException("Every title keyword needs at least one letter or digit.", nameof(TitleKeywords));
            }

            CheckPoint(keyword.Points, $"{nameof(TitleKeywords)} '{keyword.Keyword}'");
        }

        CheckBands(EmployeeBands, nameof(EmployeeBands));
        CheckBands(RevenueBands, nameof(RevenueBands));
        CheckPoint(HasEmailPoints, nameof(HasEmailPoints));
        CheckPoint(HasPhonePoints, nameof(HasPhonePoints));
        CheckPoint(PointsPerActivity, nameof(PointsPerActivity));
        CheckPoint(MaxActivityPoints, nameof(MaxActivityPoints));
        if (MaxActivityPoints < 0 || PointsPerActivity < 0)
        {
            throw new ArgumentException($"{nameof(PointsPerActivity)} and {nameof(MaxActivityPoints)} cannot be negative.", nameof(MaxActivityPoints));
        }

        if (RecentActivityDays < 1)
        {
            throw new ArgumentException($"{nameof(RecentActivityDays)} must be at least 1, not {RecentActivityDays}.", nameof(RecentActivityDays));
        }
    }

    private static void CheckPoints(IReadOnlyDictionary<string, double> points, string name)
    {
        ArgumentNullException.ThrowIfNull(points, name);
        foreach (var (key, value) in points)
        {
            CheckPoint(value, $"{name} '{key}'");
        }
    }

    private static void CheckBands(IReadOnlyList<SizeBandPoints> bands, string name)
    {
        ArgumentNullException.ThrowIfNull(bands, name);
        for (var i = 0; i < bands.Count; i++)
        {
            if (bands[i] is null || !double.IsFinite(bands[i].Minimum) || bands[i].Minimum < 0 || (i > 0 && bands[i].Minimum <= bands[i - 1].Minimum))
            {
                throw new ArgumentException($"{name} must have non-negative minimums in ascending order.", name);
            }

            CheckPoint(bands[i].Points, name);
        }
    }

    private static void CheckPoint(double points, string name)
    {
        if (!double.IsFinite(points) || points < -100 || points > 100)
        {
            throw new ArgumentException($"{name}: points must be a number from -100 to 100, not {points}.", name);
        }
    }
}

/// <summary>A title keyword and the points it gives, for example <c>VP</c> 15.</summary>
public sealed record TitleKeywordPoints
{
    /// <summary>One or more words, matched as whole words, case-insensitive.</summary>
    public required string Keyword { get; init; }

    /// <summary>The points.</summary>
    public required double Points { get; init; }
}

/// <summary>A company size band: at least <see cref="Minimum"/> employees (or revenue) gives <see cref="Points"/>.</summary>
public sealed record SizeBandPoints
{
    /// <summary>The band's lower bound, included.</summary>
    public required double Minimum { get; init; }

    /// <summary>The points.</summary>
    public required double Points { get; init; }
}
