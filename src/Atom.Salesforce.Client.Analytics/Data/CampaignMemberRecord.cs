namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>One CampaignMember: a lead or contact reached by a campaign, named as in Salesforce.</summary>
public sealed record CampaignMemberRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>The lead, when the member is a lead.</summary>
    public string? LeadId { get; init; }

    /// <summary>The contact, when the member is a contact.</summary>
    public string? ContactId { get; init; }

    /// <summary>The member status picklist value, for example <c>Responded</c>.</summary>
    public string? Status { get; init; }

    /// <summary>True once the member responded.</summary>
    public bool HasResponded { get; init; }

    /// <summary>When the member was added.</summary>
    public DateTimeOffset CreatedDate { get; init; }
}
