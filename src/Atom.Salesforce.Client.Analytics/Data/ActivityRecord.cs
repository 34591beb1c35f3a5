namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// One Task or Event, with the fields the engagement and activity metrics read. Both objects share these names in
/// Salesforce, so one record type holds either; <see cref="Kind"/> says which.
/// </summary>
public sealed record ActivityRecord
{
    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>Task or Event; the loader sets it from the object it read.</summary>
    public ActivityKind Kind { get; init; }

    /// <summary>The subject line.</summary>
    public string? Subject { get; init; }

    /// <summary>The type picklist value: Call, Email, Meeting or Other.</summary>
    public string? Type { get; init; }

    /// <summary>The contact or lead the activity is with.</summary>
    public string? WhoId { get; init; }

    /// <summary>The account, opportunity or campaign the activity is about.</summary>
    public string? WhatId { get; init; }

    /// <summary>The account Salesforce derives from <see cref="WhoId"/> and <see cref="WhatId"/>.</summary>
    public string? AccountId { get; init; }

    /// <summary>The due date of a task or the day of an event.</summary>
    public DateOnly? ActivityDate { get; init; }

    /// <summary>The task status; null for events.</summary>
    public string? Status { get; init; }

    /// <summary>True for a completed task; always false for events, which Salesforce does not close.</summary>
    public bool IsClosed { get; init; }

    /// <summary>The owning user's id.</summary>
    public string? OwnerId { get; init; }

    /// <summary>When the activity was created.</summary>
    public DateTimeOffset CreatedDate { get; init; }
}

/// <summary>Which activity object a <see cref="ActivityRecord"/> came from.</summary>
public enum ActivityKind
{
    /// <summary>A Task: a call, an e-mail or a to-do.</summary>
    Task,

    /// <summary>An Event: a meeting on the calendar.</summary>
    Event,
}
