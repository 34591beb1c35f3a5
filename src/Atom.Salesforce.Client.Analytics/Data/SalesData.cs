namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// The records the lead, account, performance and scoring analytics read, held in memory. Fill it from an org with
/// <see cref="SalesDataLoader"/>, or build it from your own lists; any list left out is empty.
/// </summary>
public sealed class SalesData
{
    /// <summary>An instance with every list empty.</summary>
    public static SalesData Empty { get; } = new();

    /// <summary>Opportunities.</summary>
    public IReadOnlyList<OpportunityRecord> Opportunities { get; init; } = [];

    /// <summary>OpportunityHistory rows.</summary>
    public IReadOnlyList<OpportunityHistoryRecord> OpportunityHistory { get; init; } = [];

    /// <summary>Leads.</summary>
    public IReadOnlyList<LeadRecord> Leads { get; init; } = [];

    /// <summary>Accounts.</summary>
    public IReadOnlyList<AccountRecord> Accounts { get; init; } = [];

    /// <summary>Contacts.</summary>
    public IReadOnlyList<ContactRecord> Contacts { get; init; } = [];

    /// <summary>Tasks and events.</summary>
    public IReadOnlyList<ActivityRecord> Activities { get; init; } = [];

    /// <summary>Campaigns.</summary>
    public IReadOnlyList<CampaignRecord> Campaigns { get; init; } = [];

    /// <summary>Campaign members.</summary>
    public IReadOnlyList<CampaignMemberRecord> CampaignMembers { get; init; } = [];

    /// <summary>Users.</summary>
    public IReadOnlyList<UserRecord> Users { get; init; } = [];

    /// <summary>The org's roles (read only when <see cref="SalesDataParts.UserRoles"/> is asked for).</summary>
    public IReadOnlyList<UserRoleRecord> UserRoles { get; init; } = [];
}

/// <summary>Which record lists <see cref="SalesDataLoader"/> reads; combine with <c>|</c>.</summary>
[Flags]
public enum SalesDataParts
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Opportunity.</summary>
    Opportunities = 1 << 0,

    /// <summary>OpportunityHistory.</summary>
    OpportunityHistory = 1 << 1,

    /// <summary>Lead.</summary>
    Leads = 1 << 2,

    /// <summary>Account.</summary>
    Accounts = 1 << 3,

    /// <summary>Contact.</summary>
    Contacts = 1 << 4,

    /// <summary>Task and Event.</summary>
    Activities = 1 << 5,

    /// <summary>Campaign and CampaignMember.</summary>
    Campaigns = 1 << 6,

    /// <summary>User.</summary>
    Users = 1 << 7,

    /// <summary>Everything above.</summary>
    All = Opportunities | OpportunityHistory | Leads | Accounts | Contacts | Activities | Campaigns | Users,

    /// <summary>UserRole, the role hierarchy (not part of <see cref="All"/>: the analytics do not read it; record visibility does).</summary>
    UserRoles = 1 << 8,
}
