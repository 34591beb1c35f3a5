namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>The User fields the performance metrics read (names, and the manager that makes a team), and the user's role.</summary>
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

    /// <summary>The user's role (UserRole) in the org's role hierarchy; null for a user without a role.</summary>
    public string? UserRoleId { get; init; }
}

/// <summary>One role of the org's role hierarchy (UserRole): read with <see cref="SalesDataParts.UserRoles"/>.</summary>
public sealed record UserRoleRecord
{
    /// <summary>The record id (<c>00E…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The role's name.</summary>
    public string? Name { get; init; }

    /// <summary>The role above this one; null at the top of the hierarchy.</summary>
    public string? ParentRoleId { get; init; }
}
