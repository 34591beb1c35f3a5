namespace Atom.Salesforce.Client.Bulk;

/// <summary>What a Bulk API 2.0 ingest job does with its rows. Compare and switch on the static values.</summary>
public readonly struct BulkOperation : IEquatable<BulkOperation>
{
    private readonly string? _value;

    private BulkOperation(string value) => _value = value;

    /// <summary>Creates a record per row.</summary>
    public static BulkOperation Insert { get; } = new("insert");

    /// <summary>Updates the record named by each row's <c>Id</c> column.</summary>
    public static BulkOperation Update { get; } = new("update");

    /// <summary>Creates or updates by an external id field (<see cref="BulkIngestOptions.ExternalIdField"/>; <c>Id</c> when not set).</summary>
    public static BulkOperation Upsert { get; } = new("upsert");

    /// <summary>Moves the records named by the <c>Id</c> column to the recycle bin.</summary>
    public static BulkOperation Delete { get; } = new("delete");

    /// <summary>Deletes the records named by the <c>Id</c> column for good; needs the "Bulk API Hard Delete" permission.</summary>
    public static BulkOperation HardDelete { get; } = new("hardDelete");

    /// <summary>The name Salesforce uses, for example <c>upsert</c>.</summary>
    public string Value => _value ?? "insert";

    internal bool NeedsIdColumn => Value is "update" or "delete" or "hardDelete";

    internal bool OnlyIdColumn => Value is "delete" or "hardDelete";

    /// <inheritdoc />
    public bool Equals(BulkOperation other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BulkOperation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>True when both name the same operation.</summary>
    public static bool operator ==(BulkOperation left, BulkOperation right) => left.Equals(right);

    /// <summary>True when they name different operations.</summary>
    public static bool operator !=(BulkOperation left, BulkOperation right) => !left.Equals(right);
}
