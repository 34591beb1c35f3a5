namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>The User fields the performance metrics read (names, and the manager that makes a team).</summary>
public sealed record UserRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The full name.</summary>
    public string? Name { get; init; }

    /// <summary>The user's manager; a manager and the users who report to them form a team.</summary>
    public string? ManagerId { get; init; }

    /// <summary>The department.</summary>
    public string? Department { get; init; }

    /// <summary>The job title.</summary>
    public string? Title { get; init; }

    /// <summary>False for deactivated users.</summary>
    public bool IsActive { get; init; }
}
