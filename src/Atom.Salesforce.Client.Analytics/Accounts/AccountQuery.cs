
namespace Atom.Salesforce.Client.Analytics.Accounts;

/// <summary>What the summary of an account report is grouped by.</summary>
public enum AccountDimension
{
    /// <summary>The account's Industry.</summary>
    Industry,

    /// <summary>The account's Type, for example <c>Customer - Direct</c>.</summary>
    Type,

    /// <summary>The account's OwnerId.</summary>
    Owner,

    /// <summary>The territory <see cref="AccountQuery.Territories"/> assigns.</summary>
    Territory,
}

/// <summary>
/// Which accounts an account report covers, the period growth is bucketed by, how the summary is grouped, and the
/// settings of the health, churn, expansion, lifetime value and territory models.
/// </summary>
public sealed class AccountQuery
{
    /// <summary>
    /// Close dates of the won deals that make the growth figures and the won revenue of the summaries; null for all.
    /// Year-over-year changes compare with the same period a year earlier even when that period is outside the range.
    /// Health, churn, engagement and lifetime value always look back from today over all the data.
    /// </summary>
    public DateRange? CloseDate { get; init; }

    /// <summary>Only accounts owned by these users (OwnerId); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Owners { get; init; }

    /// <summary>Only accounts in these industries; null or empty for all.</summary>
    public IReadOnlyCollection<string>? Industries { get; init; }

    /// <summary>Only accounts of these types (for example <c>Customer - Direct</c>); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Types { get; init; }

    /// <summary>The period won revenue is bucketed by; <see cref="CalendarPeriod.Quarter"/> by default.</summary>
    public CalendarPeriod GrowthPeriod { get; init; } = CalendarPeriod.Quarter;

    /// <summary>What the summary groups accounts by; <see cref="AccountDimension.Industry"/> by default.</summary>
    public AccountDimension GroupBy { get; init; } = AccountDimension.Industry;

    /// <summary>The weights of the health score's parts; null for the defaults.</summary>
    public HealthWeights? HealthWeights { get; init; }

    /// <summary>Territory rules; null for none (every account in <c>Unassigned</c>).</summary>
    public TerritoryRules? Territories { get; init; }

    /// <summary>
    /// The yearly discount rate of the predicted lifetime value (0.1 = a purchase a year from now is worth 1 ÷ 1.1 of
    /// one today); 0.1 by default.
    /// </summary>
    public double DiscountRate { get; init; } = 0.1;

    /// <summary>How many future years the predicted lifetime value adds up at most; 10 by default.</summary>
    public int LifetimeHorizonYears { get; init; } = 10;

    /// <summary>Customers with at least this health score can be expansion candidates; 60 by default.</summary>
    public double ExpansionMinimumHealth { get; init; } = 60;

    internal void Validate()
    {
        (HealthWeights ?? new HealthWeights()).Validate();
        PicklistFilter.Validate(Owners, "owner");
        PicklistFilter.Validate(Industries, "industry");
        PicklistFilter.Validate(Types, "type");
        if (!Enum.IsDefined(GrowthPeriod))
        {
            throw new ArgumentException($"Unknown growth period {GrowthPeriod}.", "query");
        }

        if (!Enum.IsDefined(GroupBy))
        {
            throw new ArgumentException($"Unknown account dimension {GroupBy}.", "query");
        }

        if (!double.IsFinite(DiscountRate) || DiscountRate < 0 || DiscountRate >= 1)
        {
            throw new ArgumentException($"The discount rate must be at least 0 and below 1, not {DiscountRate}.", "query");
        }

        if (LifetimeHorizonYears is < 1 or > 100)
        {
            throw new ArgumentException($"The lifetime horizon must be 1 to 100 years, not {LifetimeHorizonYears}.", "query");
        }

        if (!double.IsFinite(ExpansionMinimumHealth) || ExpansionMinimumHealth is < 0 or > 100)
        {
            throw new ArgumentException($"The expansion minimum health must be 0 to 100, not {ExpansionMinimumHealth}.", "query");
        }
    }
}
