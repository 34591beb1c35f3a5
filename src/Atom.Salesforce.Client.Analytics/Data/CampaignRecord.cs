namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>The Campaign fields the lead source ROI reads, named as in Salesforce.</summary>
public sealed record CampaignRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The campaign name.</summary>
    public string? Name { get; init; }

    /// <summary>The type picklist value, for example <c>Webinar</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The status picklist value.</summary>
    public string? Status { get; init; }

    /// <summary>The first day.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>The last day.</summary>
    public DateOnly? EndDate { get; init; }

    /// <summary>The budget.</summary>
    public decimal? BudgetedCost { get; init; }

    /// <summary>What the campaign actually cost; ROI uses it when known.</summary>
    public decimal? ActualCost { get; init; }
}
