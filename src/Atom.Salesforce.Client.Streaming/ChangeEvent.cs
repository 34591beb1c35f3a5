namespace Atom.Salesforce.Client.Streaming;

/// <summary>A Change Data Capture event with its record fields bound to <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The record type: the same POCO the REST API reads, or <c>SObject</c>.</typeparam>
public sealed class ChangeEvent<T> : IHasChangeEventHeader
{
    internal ChangeEvent(ChangeEventHeader header, T record)
    {
        Header = header;
        Record = record;
    }

    /// <summary>What changed: entity, change type, record ids, changed fields, commit.</summary>
    public ChangeEventHeader Header { get; }

    /// <summary>
    /// The record fields of the event. In an update only the changed fields have values (the rest are null: check
    /// <see cref="ChangeEventHeader.ChangedFields"/> and <see cref="ChangeEventHeader.NulledFields"/>); a gap or overflow
    /// event has none. When the event names one record, its id is in the record's <c>Id</c> too.
    /// </summary>
    public T Record { get; }

    /// <summary>The header.</summary>
    public override string ToString() => Header.ToString();
}

/// <summary>A decoded change event of any record type, for what needs its header only (the consumer's cache invalidation).</summary>
internal interface IHasChangeEventHeader
{
    ChangeEventHeader Header { get; }
}
