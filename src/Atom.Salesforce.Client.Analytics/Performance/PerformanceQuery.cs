
namespace Atom.Salesforce.Client.Analytics.Performance;

/// <summary>Which deals and activities a performance report covers, and how pipeline coverage is measured.</summary>
public sealed class PerformanceQuery
{
    /// <summary>
    /// Close dates of the won and lost deals measured, and days of the activities counted; null for all. Open pipeline is
    /// always today's.
    /// </summary>
    public DateRange? CloseDate { get; init; }

    /// <summary>Only these owners (OwnerId of deals and activities); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Owners { get; init; }

    /// <summary>The period coverage looks at: the open pipeline closing in the next one; <see cref="CalendarPeriod.Quarter"/> by default.</summary>
    public CalendarPeriod CoveragePeriod { get; init; } = CalendarPeriod.Quarter;

    /// <summary>
    /// Each owner's quota for one <see cref="CoveragePeriod"/>, by user id; owners left out are measured against their
    /// average won amount per period instead.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Quotas { get; init; }

    internal void Validate()
    {
        PicklistFilter.Validate(Owners, "owner");
        if (!Enum.IsDefined(CoveragePeriod))
        {
            throw new ArgumentException($"Unknown coverage period {CoveragePeriod}.", "query");
        }

        if (Quotas is not null)
        {
            foreach (var (owner, quota) in Quotas)
            {
                if (string.IsNullOrWhiteSpace(owner))
                {
                    throw new ArgumentException("A quota is given for a blank owner id.", "query");
                }

                if (!double.IsFinite(quota) || quota <= 0)
                {
                    throw new ArgumentException($"The quota of {owner} must be a number above 0, not {quota}.", "query");
                }
            }
        }
    }
}
