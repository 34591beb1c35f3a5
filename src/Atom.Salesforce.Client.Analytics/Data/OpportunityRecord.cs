namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// The Opportunity fields the pipeline analytics read, named as in Salesforce so that a SOQL query fills it directly.
/// Build an <see cref="OpportunitySet"/> from these.
/// </summary>
public sealed record OpportunityRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The opportunity name.</summary>
    public string? Name { get; init; }

    /// <summary>The account the deal is with.</summary>
    public string? AccountId { get; init; }

    /// <summary>The primary campaign source.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The stage picklist value, for example <c>Prospecting</c> or <c>Closed Won</c>.</summary>
    public required string StageName { get; init; }

    /// <summary>The amount; null counts as 0 in sums and leaves the deal out of deal sizes.</summary>
    public decimal? Amount { get; init; }

    /// <summary>The probability in percent (0–100); null counts as 0 in the weighted pipeline.</summary>
    public double? Probability { get; init; }

    /// <summary>The expected (or actual, once closed) close date.</summary>
    public DateOnly CloseDate { get; init; }

    /// <summary>When the opportunity was created.</summary>
    public DateTimeOffset CreatedDate { get; init; }

    /// <summary>True once the opportunity is in a closed stage.</summary>
    public bool IsClosed { get; init; }

    /// <summary>True once the opportunity is in a won stage.</summary>
    public bool IsWon { get; init; }

    /// <summary>The owning user's id.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The lead source picklist value.</summary>
    public string? LeadSource { get; init; }

    /// <summary>The opportunity type picklist value, for example <c>New Customer</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The forecast category label: Omitted, Pipeline, Best Case, Commit or Closed.</summary>
    public string? ForecastCategoryName { get; init; }
}
