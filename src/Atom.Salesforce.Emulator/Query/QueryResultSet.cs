using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>What a query produced, captured at query time so that its pages show the rows as they were.</summary>
internal sealed class QueryResultSet
{
    /// <summary>Rows of a record query (references, not JSON: a page is written when it is asked for).</summary>
    public Row[] Rows { get; init; } = [];

    public Selection? Selection { get; init; }

    /// <summary>The groups of an aggregate query, all of them returned in one response.</summary>
    public AggregateRows? Aggregates { get; init; }

    /// <summary>SELECT COUNT(): the count is <see cref="TotalSize"/> and there are no records.</summary>
    public bool CountOnly { get; init; }

    /// <summary>A query with OFFSET answers its first batch only, without a locator (reference §6.5).</summary>
    public bool FirstBatchOnly { get; init; }

    public int TotalSize { get; init; }
}

/// <summary>AggregateResult records: the column names and how to write each, and the values of each group.</summary>
internal sealed class AggregateRows(IReadOnlyList<string> names, IReadOnlyList<FieldDefinition?> formats, IReadOnlyList<object?[]> rows)
{
    public IReadOnlyList<string> Names { get; } = names;

    public IReadOnlyList<FieldDefinition?> Formats { get; } = formats;

    public IReadOnlyList<object?[]> Rows { get; } = rows;
}
