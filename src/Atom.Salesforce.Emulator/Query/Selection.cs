using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// One result row as it was at query time: the record (stored records are never changed in place, so the reference is a
/// snapshot) and, when the SELECT list follows relationships, the parents and child rows it reached.
/// </summary>
internal readonly record struct Row(StoredRecord Record, object?[]? Slots);

/// <summary>The SELECT list of a record query: what each row holds and how it is written.</summary>
internal sealed class Selection
{
    public List<SelectNode> Nodes { get; } = [];

    public int SlotCount { get; set; }

    public Row MakeRow(StoredRecord record, Org org)
    {
        if (SlotCount == 0)
        {
            return new Row(record, null);
        }

        var slots = new object?[SlotCount];
        foreach (var node in Nodes)
        {
            node.Fill(record, slots, org);
        }

        return new Row(record, slots);
    }

    public void Write(Utf8JsonWriter writer, Row row, string versionPath) => WriteObject(writer, Nodes, row.Record, row.Slots, versionPath);

    public static void WriteObject(Utf8JsonWriter writer, IReadOnlyList<SelectNode> nodes, StoredRecord record, object?[]? slots, string versionPath)
    {
        writer.WriteStartObject();
        RecordJson.WriteAttributes(writer, record.Schema.Name, RecordJson.Url(versionPath, record));
        foreach (var node in nodes)
        {
            node.Write(writer, record, slots, versionPath);
        }

        writer.WriteEndObject();
    }
}

/// <summary>An item of the SELECT list, under its output name.</summary>
internal abstract class SelectNode(string name)
{
    public string Name { get; } = name;

    /// <summary>Captures what the item reaches from <paramref name="record"/> at query time.</summary>
    public virtual void Fill(StoredRecord record, object?[] slots, Org org)
    {
    }

    public abstract void Write(Utf8JsonWriter writer, StoredRecord record, object?[]? slots, string versionPath);
}

/// <summary>
/// A field of the record the node sits on; or, with a slot, of the parent a path reaches (an aliased function over a
/// relationship path). <paramref name="transform"/> applies toLabel / FORMAT.
/// </summary>
internal sealed class ValueNode(string name, FieldPath path, int slot, Func<object?, FieldDefinition?, object?>? transform) : SelectNode(name)
{
    public FieldPath Path => path;

    public override void Fill(StoredRecord record, object?[] slots, Org org)
    {
        if (slot >= 0)
        {
            slots[slot] = path.Target(record, org);
        }
    }

    public override void Write(Utf8JsonWriter writer, StoredRecord record, object?[]? slots, string versionPath)
    {
        writer.WritePropertyName(Name);
        var target = slot >= 0 ? slots![slot] as StoredRecord : record;
        if (target is null)
        {
            writer.WriteNullValue();
            return;
        }

        var field = path.FieldOf(target);
        var value = path.Read(target);
        if (transform is not null)
        {
            value = transform(value, field);
        }

        FieldValues.Write(writer, field, value);
    }
}

/// <summary>A parent relationship (<c>Account</c>): a nested record with its own attributes, or null when the lookup is empty.</summary>
internal sealed class ParentNode(string name, Hop hop, int slot) : SelectNode(name)
{
    public Hop Hop { get; } = hop;

    public List<SelectNode> Children { get; } = [];

    public override void Fill(StoredRecord record, object?[] slots, Org org)
    {
        var parent = Hop.Follow(record, org);
        slots[slot] = parent;
        if (parent is not null)
        {
            foreach (var child in Children)
            {
                child.Fill(parent, slots, org);
            }
        }
    }

    public override void Write(Utf8JsonWriter writer, StoredRecord record, object?[]? slots, string versionPath)
    {
        writer.WritePropertyName(Name);
        if (slots![slot] is StoredRecord parent)
        {
            Selection.WriteObject(writer, Children, parent, slots, versionPath);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>TYPEOF: the fields of the branch that matches the parent's type; null when none does.</summary>
internal sealed class TypeOfNode(string name, Hop hop, int slot) : SelectNode(name)
{
    public Dictionary<string, List<SelectNode>> Branches { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SelectNode>? Else { get; set; }

    public override void Fill(StoredRecord record, object?[] slots, Org org)
    {
        var parent = hop.Follow(record, org);
        slots[slot] = parent;
        if (parent is not null && Branch(parent) is { } branch)
        {
            foreach (var child in branch)
            {
                child.Fill(parent, slots, org);
            }
        }
    }

    public override void Write(Utf8JsonWriter writer, StoredRecord record, object?[]? slots, string versionPath)
    {
        writer.WritePropertyName(Name);
        if (slots![slot] is StoredRecord parent && Branch(parent) is { } branch)
        {
            Selection.WriteObject(writer, branch, parent, slots, versionPath);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private List<SelectNode>? Branch(StoredRecord parent) => Branches.GetValueOrDefault(parent.Schema.Name) ?? Else;
}

/// <summary>A child subquery: <c>{"totalSize", "done": true, "records"}</c>, or null when there are no children.</summary>
internal sealed class ChildNode(string name, ChildQuery query, int slot) : SelectNode(name)
{
    public ChildQuery Query => query;

    public override void Fill(StoredRecord record, object?[] slots, Org org) => slots[slot] = query.RowsFor(record);

    public override void Write(Utf8JsonWriter writer, StoredRecord record, object?[]? slots, string versionPath)
    {
        writer.WritePropertyName(Name);
        if (slots![slot] is not Row[] { Length: > 0 } rows)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber("totalSize", rows.Length);
        writer.WriteBoolean("done", true);
        writer.WriteStartArray("records");
        foreach (var row in rows)
        {
            query.Selection.Write(writer, row, versionPath);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>
/// A parent-to-child subquery run for every parent row: the children are filtered and sorted once, bucketed by parent,
/// and each parent takes its bucket up to the subquery's LIMIT.
/// </summary>
internal sealed class ChildQuery(
    Org org, ObjectSchema child, FieldDefinition parentField, bool includeDeleted, Func<StoredRecord, bool>? filter,
    IReadOnlyList<SortKey<StoredRecord>> order, int? limit, Selection selection)
{
    private Dictionary<string, List<StoredRecord>>? _byParent;

    public Selection Selection { get; } = selection;

    public Row[]? RowsFor(StoredRecord parent)
    {
        _byParent ??= Index();
        if (!_byParent.TryGetValue(parent.Id, out var children))
        {
            return null;
        }

        var count = limit is { } n ? Math.Min(n, children.Count) : children.Count;
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = Selection.MakeRow(children[i], org);
        }

        return rows;
    }

    private Dictionary<string, List<StoredRecord>> Index()
    {
        IEnumerable<StoredRecord> records = org.Records(child, includeDeleted);
        if (filter is not null)
        {
            records = records.Where(filter);
        }

        var index = new Dictionary<string, List<StoredRecord>>(StringComparer.Ordinal);
        foreach (var record in Sorting.Sort([.. records], order))
        {
            if (record[parentField.Name] is string parentId)
            {
                if (!index.TryGetValue(parentId, out var list))
                {
                    index[parentId] = list = [];
                }

                list.Add(record);
            }
        }

        return index;
    }
}

/// <summary>An ORDER BY key: ASC or DESC, nulls first (Salesforce's default) or last, picklists in their defined order.</summary>
internal sealed record SortKey<T>(Func<T, object?> Get, bool Descending, bool NullsLast, FieldDefinition? Field);

internal static class Sorting
{
    /// <summary>A stable sort: rows equal on every key keep their order (creation order by default).</summary>
    public static List<T> Sort<T>(List<T> items, IReadOnlyList<SortKey<T>> keys)
    {
        if (keys.Count == 0 || items.Count < 2)
        {
            return items;
        }

        var values = new object?[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            var row = new object?[keys.Count];
            for (var k = 0; k < keys.Count; k++)
            {
                row[k] = keys[k].Get(items[i]);
            }

            values[i] = row;
        }

        var order = Enumerable.Range(0, items.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            for (var k = 0; k < keys.Count; k++)
            {
                var c = CompareKey(values[a][k], values[b][k], keys[k]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.CompareTo(b);
        });
        return [.. order.Select(i => items[i])];
    }

    private static int CompareKey<T>(object? a, object? b, SortKey<T> key)
    {
        if (a is null || b is null)
        {
            if (a is null && b is null)
            {
                return 0;
            }

            return (a is null) == key.NullsLast ? 1 : -1;
        }

        var c = Values.Compare(a, b, key.Field);
        return key.Descending ? -c : c;
    }
}
