namespace Atom.Salesforce.Client.Mirror;

/// <summary>The freshness of one mirror table, as the state table records it (any instance can read it).</summary>
public sealed class MirrorTableStatus
{
    /// <summary>The object's API name.</summary>
    public required string ObjectName { get; init; }

    /// <summary>The table, schema-qualified.</summary>
    public required string Table { get; init; }

    /// <summary>How it is kept current: <c>change-events</c> or <c>polling</c>.</summary>
    public required string Mode { get; init; }

    /// <summary><c>new</c>, <c>loading</c> (the initial load is under way; readers see the pages committed so far) or <c>loaded</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>Rows the initial load wrote.</summary>
    public long RowsLoaded { get; init; }

    /// <summary>When the last change applied was committed in Salesforce (the change event's commit time, or the newest SystemModstamp polled).</summary>
    public DateTimeOffset? LastChangeAt { get; init; }

    /// <summary>When the last change was applied to the table.</summary>
    public DateTimeOffset? LastAppliedAt { get; init; }

    /// <summary>When the table was last known to be current (a change applied, a poll done, a keepalive from the event bus).</summary>
    public DateTimeOffset? LastSyncedAt { get; init; }

    /// <summary>The lag of the last change: from its commit in Salesforce to its application in the mirror.</summary>
    public TimeSpan? Lag => LastChangeAt is { } at && LastAppliedAt is { } applied ? applied - at : null;

    /// <summary>Fields whose type changed in describe, with the column's old and new type (the column keeps its data as text).</summary>
    public IReadOnlyList<string> TypeChanges { get; init; } = [];

    /// <summary>The last error the writer met on this table, if it has not applied a change since.</summary>
    public string? LastError { get; init; }
}
