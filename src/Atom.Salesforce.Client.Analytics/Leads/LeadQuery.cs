using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Leads;

/// <summary>
/// Which leads a lead report covers, how it groups them and its thresholds. Every filter applies to every metric: a lead is
/// in scope when it was created in <see cref="CreatedDate"/> and matches each filter that is set. Filters, statuses and
/// groups compare picklist values case-insensitively.
/// </summary>
public sealed class LeadQuery
{
    /// <summary>Creation dates to cover (both ends included, UTC); null for all.</summary>
    public DateRange? CreatedDate { get; init; }

    /// <summary>What the conversion and ROI table is grouped by; <see cref="LeadDimension.LeadSource"/> by default.</summary>
    public LeadDimension GroupBy { get; init; } = LeadDimension.LeadSource;

    /// <summary>Only these lead sources; null or empty for all.</summary>
    public IReadOnlyCollection<string>? LeadSources { get; init; }

    /// <summary>Only these owners (OwnerId); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Owners { get; init; }

    /// <summary>Only leads now in these statuses; null or empty for all.</summary>
    public IReadOnlyCollection<string>? Statuses { get; init; }

    /// <summary>Only these industries; null or empty for all.</summary>
    public IReadOnlyCollection<string>? Industries { get; init; }

    /// <summary>
    /// The statuses that make a lead qualified for the lead velocity rate; a converted lead is always qualified. Default:
    /// <c>Working - Contacted</c> and <c>Closed - Converted</c> (the standard Lead statuses are <c>Open - Not Contacted</c>,
    /// <c>Working - Contacted</c>, <c>Closed - Converted</c> and <c>Closed - Not Converted</c>).
    /// </summary>
    public IReadOnlyCollection<string> QualifiedStatuses { get; init; } = ["Working - Contacted", "Closed - Converted"];

    /// <summary>
    /// The statuses that close a lead without converting it; such leads are neither open (aging, stale) nor qualified.
    /// Default: <c>Closed - Not Converted</c>.
    /// </summary>
    public IReadOnlyCollection<string> ClosedStatuses { get; init; } = ["Closed - Not Converted"];

    /// <summary>
    /// The upper bounds in days (inclusive, ascending, positive) of the open-lead aging buckets; a last bucket holds the
    /// older ones. Null for 7, 30, 90 and 180: 0–7, 8–30, 31–90, 91–180 and over 180 days.
    /// </summary>
    public IReadOnlyList<int>? AgingBounds { get; init; }

    /// <summary>An open lead with no task or event and no change for this many days is stale; 30 by default.</summary>
    public int StaleAfterDays { get; init; } = 30;

    /// <summary>How many stale leads, oldest first, the report lists; 50 by default (the count covers all).</summary>
    public int StaleLimit { get; init; } = 50;

    /// <summary>The share of leads held out to measure the scoring accuracy on; 0.25 by default.</summary>
    public double HoldoutShare { get; init; } = 0.25;

    /// <summary>An unconverted lead counts as a non-conversion only once created more than this many days ago; 30 by default.</summary>
    public int NegativeAfterDays { get; init; } = 30;

    /// <summary>The rules behind the rule score in the monthly trends and the scoring accuracy; null for the defaults.</summary>
    public LeadScoringRules? ScoringRules { get; init; }

    internal static readonly int[] DefaultAgingBounds = [7, 30, 90, 180];
}

/// <summary>What the lead conversion table groups leads by.</summary>
public enum LeadDimension
{
    /// <summary>The lead source picklist.</summary>
    LeadSource,

    /// <summary>The owner (OwnerId).</summary>
    Owner,

    /// <summary>The industry picklist.</summary>
    Industry,

    /// <summary>The rating picklist.</summary>
    Rating,
}
