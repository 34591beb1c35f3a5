namespace Atom.Salesforce.Emulator.Demo;

// The generator first plans the whole org in memory (who, what, when), then writes it in time order. A plan's Id is set
// when its record is written; writes that refer to it come later in time, so the id is there when they run.

internal sealed class UserPlan
{
    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required string Title { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>The rep's territory (index into <see cref="DemoCatalog.Regions"/>), or -1 for the VP and marketing.</summary>
    public int Region { get; init; } = -1;

    public UserPlan? Manager { get; init; }

    /// <summary>Multiplies the rep's win rates, cycle lengths and activity volume: reps differ.</summary>
    public double Skill { get; init; } = 1;

    public double Speed { get; init; } = 1;

    public double Activity { get; init; } = 1;

    public string? Id { get; set; }
}

internal sealed class CampaignPlan
{
    public required string Name { get; init; }

    public required DemoCampaignType Kind { get; init; }

    public required DateOnly StartDate { get; init; }

    public required DateOnly EndDate { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required decimal BudgetedCost { get; init; }

    public string? Id { get; set; }
}

internal sealed class AccountPlan
{
    public required string Name { get; init; }

    public required DemoIndustry Industry { get; init; }

    public required int Size { get; init; }

    public required int Region { get; init; }

    public required DemoCity City { get; init; }

    public required string Domain { get; init; }

    public required decimal Employees { get; init; }

    public required string Source { get; init; }

    public required UserPlan Owner { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required string Type { get; init; }

    public AccountPlan? Parent { get; init; }

    public List<ContactPlan> Contacts { get; } = [];

    /// <summary>When the account first won a deal, if it has; customers from before the org's history count from the start.</summary>
    public DateTimeOffset? CustomerSince { get; set; }

    /// <summary>The source of the deal that made it a customer (a partner deal makes a channel customer).</summary>
    public string? WonThrough { get; set; }

    public DateOnly? LastActivityDate { get; set; }

    public string? Id { get; set; }

    public bool IsPartner => Type is "Channel Partner / Reseller" or "Technology Partner";

    public bool IsCustomerAt(DateTimeOffset time) => CustomerSince is { } since && since < time;
}

internal sealed class ContactPlan
{
    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required DemoTitle Title { get; init; }

    public required AccountPlan Account { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required string Source { get; init; }

    public required UserPlan Owner { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public ContactPlan? ReportsTo { get; init; }

    public string? Id { get; set; }
}

internal sealed class LeadPlan
{
    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required DemoTitle Title { get; init; }

    public required DemoSource Source { get; init; }

    public required string Rating { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required UserPlan Owner { get; init; }

    // The company the lead works for; a lead converted into an existing account takes that account's details.
    public required string Company { get; set; }

    public required DemoIndustry Industry { get; set; }

    public required int Size { get; set; }

    public required int Region { get; set; }

    public required DemoCity City { get; set; }

    public required string Domain { get; set; }

    public required decimal Employees { get; set; }

    public required string PhoneLine { get; init; }

    public CampaignPlan? Campaign { get; init; }

    public DateTimeOffset? Contacted { get; set; }

    public DateTimeOffset? Converted { get; set; }

    public DateTimeOffset? ClosedUnconverted { get; set; }

    public AccountPlan? Account { get; set; }

    public ContactPlan? Contact { get; set; }

    public OpportunityPlan? Opportunity { get; set; }

    public string? Id { get; set; }

    public string Email => $"{DemoOrgGenerator.Ascii(FirstName)}.{DemoOrgGenerator.Ascii(LastName)}@{Domain}";

    public string Phone => $"{City.PhonePrefix} {PhoneLine}";
}

internal sealed class OpportunityPlan
{
    public required DateTimeOffset Created { get; init; }

    public required DemoSource Source { get; init; }

    /// <summary>Null until the generator picks an account for a deal that did not come from a lead.</summary>
    public AccountPlan? Account { get; set; }

    public UserPlan? Owner { get; set; }

    public LeadPlan? Lead { get; init; }

    public CampaignPlan? Campaign { get; init; }

    public List<ContactPlan> Roles { get; } = [];

    public string Name { get; set; } = string.Empty;

    public string Type { get; set; } = "New Customer";

    /// <summary>The values it is created with, besides its references: stage, amount, close date, next step.</summary>
    public Dictionary<string, object?> Initial { get; } = [];

    /// <summary>Each later write to the opportunity, in time order: stage, amount and close date changes.</summary>
    public List<(DateTimeOffset At, Dictionary<string, object?> Values)> Writes { get; } = [];

    /// <summary>When it closed, if it has by the org clock.</summary>
    public DateTimeOffset? Closed { get; set; }

    public bool Won { get; set; }

    public DateOnly? LastActivityDate { get; set; }

    public string? Id { get; set; }

    /// <summary>The last moment activity is logged on it: its close, or now while it is open.</summary>
    public DateTimeOffset End(DateTimeOffset now) => Closed ?? now;
}
