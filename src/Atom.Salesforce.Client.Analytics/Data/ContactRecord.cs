namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>The Contact fields the engagement scoring and duplicate detection read, named as in Salesforce.</summary>
public sealed record ContactRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The account the contact works for.</summary>
    public string? AccountId { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>The phone number as entered.</summary>
    public string? Phone { get; init; }

    /// <summary>The mobile number as entered.</summary>
    public string? MobilePhone { get; init; }

    /// <summary>The job title.</summary>
    public string? Title { get; init; }

    /// <summary>The lead source picklist value.</summary>
    public string? LeadSource { get; init; }

    /// <summary>True when the contact asked not to be e-mailed.</summary>
    public bool HasOptedOutOfEmail { get; init; }

    /// <summary>True when the contact asked not to be called.</summary>
    public bool DoNotCall { get; init; }

    /// <summary>The mailing city.</summary>
    public string? MailingCity { get; init; }

    /// <summary>The mailing country.</summary>
    public string? MailingCountry { get; init; }

    /// <summary>The owning user's id.</summary>
    public string? OwnerId { get; init; }

    /// <summary>When the contact was created.</summary>
    public DateTimeOffset CreatedDate { get; init; }
}
