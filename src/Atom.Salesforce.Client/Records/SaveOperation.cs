namespace Atom.Salesforce.Client.Records;

/// <summary>
/// What a save does with each row, for every route: <see cref="SObjectsClient.SaveAsync{T}(string, SaveOperation, IEnumerable{T}, SaveOptions?, CancellationToken)"/>
/// and Bulk API 2.0 (<see cref="Bulk.BulkClient.IngestAsync{T}(string, SaveOperation, IEnumerable{T}, Bulk.BulkIngestOptions?, CancellationToken)"/>).
/// Compare and switch on the static values.
/// </summary>
public readonly struct SaveOperation : IEquatable<SaveOperation>
{
    private readonly string? _value;

    private SaveOperation(string value) => _value = value;

    /// <summary>Creates a record per row.</summary>
    public static SaveOperation Insert { get; } = new("insert");

    /// <summary>Updates the record named by each row's id.</summary>
    public static SaveOperation Update { get; } = new("update");

    /// <summary>Creates or updates by an external id field (<see cref="SaveOptions.ExternalIdField"/>, <see cref="Bulk.BulkIngestOptions.ExternalIdField"/>; Bulk: <c>Id</c> when not set).</summary>
    public static SaveOperation Upsert { get; } = new("upsert");

    /// <summary>Moves the record named by each row's id to the recycle bin.</summary>
    public static SaveOperation Delete { get; } = new("delete");

    /// <summary>
    /// Deletes the record named by each row's id for good, without the recycle bin. Only Bulk API 2.0 does this (it needs the
    /// "Bulk API Hard Delete" permission); <c>SaveAsync</c> always takes the Bulk route for it.
    /// </summary>
    public static SaveOperation HardDelete { get; } = new("hardDelete");

    /// <summary>The name Salesforce uses: <c>insert</c>, <c>update</c>, <c>upsert</c>, <c>delete</c> or <c>hardDelete</c>.</summary>
    public string Value => _value ?? "insert";

    internal bool NeedsIdColumn => Value is "update" or "delete" or "hardDelete";

    internal bool OnlyIdColumn => Value is "delete" or "hardDelete";

    /// <inheritdoc />
    public bool Equals(SaveOperation other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SaveOperation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>True when both name the same operation.</summary>
    public static bool operator ==(SaveOperation left, SaveOperation right) => left.Equals(right);

    /// <summary>True when they name different operations.</summary>
    public static bool operator !=(SaveOperation left, SaveOperation right) => !left.Equals(right);
}
