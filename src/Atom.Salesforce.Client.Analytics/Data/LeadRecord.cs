namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>The Lead fields the lead analytics, scoring and duplicate detection read, named as in Salesforce.</summary>
public sealed record LeadRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The company the lead works for.</summary>
    public string? Company { get; init; }

    /// <summary>The job title.</summary>
    public string? Title { get; init; }

    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>The phone number as entered.</summary>
    public string? Phone { get; init; }

    /// <summary>The lead status picklist value, for example <c>Working - Contacted</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The lead source picklist value, for example <c>Web</c>.</summary>
    public string? LeadSource { get; init; }

    /// <summary>The rating picklist value: Hot, Warm or Cold.</summary>
    public string? Rating { get; init; }

    /// <summary>The industry picklist value.</summary>
    public string? Industry { get; init; }

    /// <summary>The company's annual revenue.</summary>
    public decimal? AnnualRevenue { get; init; }

    /// <summary>The company's head count.</summary>
    public int? NumberOfEmployees { get; init; }

    /// <summary>The city of the address.</summary>
    public string? City { get; init; }

    /// <summary>The state or province of the address.</summary>
    public string? State { get; init; }

    /// <summary>The country of the address.</summary>
    public string? Country { get; init; }

    /// <summary>True once the lead has been converted.</summary>
    public bool IsConverted { get; init; }

    /// <summary>The day the lead was converted.</summary>
    public DateOnly? ConvertedDate { get; init; }

    /// <summary>The account the conversion created or merged into.</summary>
    public string? ConvertedAccountId { get; init; }

    /// <summary>The contact the conversion created or merged into.</summary>
    public string? ConvertedContactId { get; init; }

    /// <summary>The opportunity the conversion created, if any.</summary>
    public string? ConvertedOpportunityId { get; init; }

    /// <summary>The owning user's (or queue's) id.</summary>
    public string? OwnerId { get; init; }

    /// <summary>When the lead was created.</summary>
    public DateTimeOffset CreatedDate { get; init; }

    /// <summary>When the lead was last changed; the lead analytics read it to find stale leads.</summary>
    public DateTimeOffset? LastModifiedDate { get; init; }
}
