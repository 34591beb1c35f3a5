namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>The Account fields the account analytics, scoring and duplicate detection read, named as in Salesforce.</summary>
public sealed record AccountRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The account name.</summary>
    public string? Name { get; init; }

    /// <summary>The type picklist value, for example <c>Customer - Direct</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The industry picklist value.</summary>
    public string? Industry { get; init; }

    /// <summary>The annual revenue.</summary>
    public decimal? AnnualRevenue { get; init; }

    /// <summary>The head count.</summary>
    public int? NumberOfEmployees { get; init; }

    /// <summary>The phone number as entered.</summary>
    public string? Phone { get; init; }

    /// <summary>The web site as entered.</summary>
    public string? Website { get; init; }

    /// <summary>The billing city.</summary>
    public string? BillingCity { get; init; }

    /// <summary>The billing state or province.</summary>
    public string? BillingState { get; init; }

    /// <summary>The billing postal code.</summary>
    public string? BillingPostalCode { get; init; }

    /// <summary>The billing country.</summary>
    public string? BillingCountry { get; init; }

    /// <summary>The parent account in a hierarchy.</summary>
    public string? ParentId { get; init; }

    /// <summary>The owning user's id.</summary>
    public string? OwnerId { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedDate { get; init; }
}
