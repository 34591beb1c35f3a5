using Atom.Salesforce.Client.Streaming.Avro;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// The header of a Change Data Capture event (<c>ChangeEventHeader</c>), with the bitmap fields (<c>changedFields</c>,
/// <c>diffFields</c>, <c>nulledFields</c>) decoded into field names by the event's schema, as Salesforce documents: the first
/// bitmap for the top-level fields, <c>"N-0x…"</c> entries for the fields of the compound field at position N, named
/// <c>Compound.Component</c> (for example <c>BillingAddress.City</c>).
/// </summary>
public sealed class ChangeEventHeader
{
    internal ChangeEventHeader(AvroRecord header, AvroSchema eventSchema)
    {
        EntityName = header.Get<string>("entityName") ?? string.Empty;
        RecordIds = Strings(header, "recordIds");
        ChangeTypeName = header.Get<string>("changeType") ?? string.Empty;
        ChangeType = Parse(ChangeTypeName);
        ChangeOrigin = Optional<string>(header, "changeOrigin");
        TransactionKey = Optional<string>(header, "transactionKey") ?? string.Empty;
        SequenceNumber = Optional<int?>(header, "sequenceNumber") ?? 0;
        CommitTimestamp = Optional<long?>(header, "commitTimestamp") is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;
        CommitNumber = Optional<long?>(header, "commitNumber") ?? 0;
        CommitUser = Optional<string>(header, "commitUser") ?? string.Empty;
        ChangedFields = ChangeEventBitmap.Decode(Strings(header, "changedFields"), eventSchema);
        DiffFields = ChangeEventBitmap.Decode(Strings(header, "diffFields"), eventSchema);
        NulledFields = ChangeEventBitmap.Decode(Strings(header, "nulledFields"), eventSchema);
    }

    /// <summary>The object whose records changed, for example <c>Account</c>.</summary>
    public string EntityName { get; }

    /// <summary>The ids of the changed records (several when Salesforce merged the same change of several records); empty for an overflow event.</summary>
    public IReadOnlyList<string> RecordIds { get; }

    /// <summary>What happened, including gap and overflow events.</summary>
    public ChangeType ChangeType { get; }

    /// <summary>The change type as Salesforce wrote it, for example <c>UPDATE</c> or <c>GAP_OVERFLOW</c>.</summary>
    public string ChangeTypeName { get; }

    /// <summary>True for a gap event (<c>GAP_CREATE</c>, <c>GAP_UPDATE</c>, <c>GAP_DELETE</c>, <c>GAP_UNDELETE</c>): no field values; read the records by id.</summary>
    public bool IsGap => ChangeType is ChangeType.GapCreate or ChangeType.GapUpdate or ChangeType.GapDelete or ChangeType.GapUndelete;

    /// <summary>True for an overflow event (<c>GAP_OVERFLOW</c>): resynchronise <see cref="EntityName"/>.</summary>
    public bool IsOverflow => ChangeType == ChangeType.GapOverflow;

    /// <summary>The API and client that made the change (<c>com/salesforce/api/rest/66.0;client=…</c>), when Salesforce records it.</summary>
    public string? ChangeOrigin { get; }

    /// <summary>The transaction the change belongs to: every event of one transaction has the same key.</summary>
    public string TransactionKey { get; }

    /// <summary>The event's position within its transaction, from 1.</summary>
    public int SequenceNumber { get; }

    /// <summary>When the transaction was committed.</summary>
    public DateTimeOffset CommitTimestamp { get; }

    /// <summary>The system change number of the commit (diagnostic only: unique within one database instance).</summary>
    public long CommitNumber { get; }

    /// <summary>The id of the user who made the change.</summary>
    public string CommitUser { get; }

    /// <summary>The fields an update changed (<c>Compound.Component</c> for compound fields); empty for other change types.</summary>
    public IReadOnlyList<string> ChangedFields { get; }

    /// <summary>The fields whose values were sent as a diff (large text fields) rather than in full.</summary>
    public IReadOnlyList<string> DiffFields { get; }

    /// <summary>The fields an update set to null.</summary>
    public IReadOnlyList<string> NulledFields { get; }

    /// <summary>The entity, change type and record ids.</summary>
    public override string ToString() => $"{ChangeTypeName} {EntityName} [{string.Join(", ", RecordIds)}]";

    private static T? Optional<T>(AvroRecord record, string field) => record.Contains(field) ? record.Get<T>(field) : default;

    private static IReadOnlyList<string> Strings(AvroRecord record, string field) =>
        record.Contains(field) && record[field] is List<object?> list ? [.. list.OfType<string>()] : [];

    private static ChangeType Parse(string name) => name switch
    {
        "CREATE" => ChangeType.Create,
        "UPDATE" => ChangeType.Update,
        "DELETE" => ChangeType.Delete,
        "UNDELETE" => ChangeType.Undelete,
        "GAP_CREATE" => ChangeType.GapCreate,
        "GAP_UPDATE" => ChangeType.GapUpdate,
        "GAP_DELETE" => ChangeType.GapDelete,
        "GAP_UNDELETE" => ChangeType.GapUndelete,
        "GAP_OVERFLOW" => ChangeType.GapOverflow,
        _ => ChangeType.Unknown,
    };
}
