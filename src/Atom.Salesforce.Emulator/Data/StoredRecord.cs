using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Data;

/// <summary>
/// A record held by the org. Values are CLR values by field type: string, bool, decimal, DateOnly, DateTimeOffset (UTC),
/// TimeOnly, or null; references hold 18-character ids. Keys are the schema's field names, looked up case-insensitively.
/// </summary>
internal sealed class StoredRecord
{
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly Dictionary<string, object?> _values;

    public StoredRecord(ObjectSchema schema, string id)
    {
        Schema = schema;
        Id = id;

        // Sized for every field at once: growing field by field allocated several times the record's own size.
        _values = new Dictionary<string, object?>(schema.Fields.Count, StringComparer.OrdinalIgnoreCase) { ["Id"] = id };
    }

    public ObjectSchema Schema { get; }

    public string Id { get; }

    /// <summary>Its place in its object's creation order, for a stable default order.</summary>
    public long Sequence { get; init; }

    /// <summary>Its index in the org's list of its object's records, so that a write replaces it without a search.</summary>
    public int Position { get; init; }

    public bool IsDeleted => this["IsDeleted"] is true;

    public DateTimeOffset? DeletedDate { get; set; }

    public object? this[string field]
    {
        get => _values.GetValueOrDefault(field);
        set => _values[Schema.Field(field)?.Name ?? field] = value is bool flag ? (flag ? True : False) : value;
    }

    public IReadOnlyDictionary<string, object?> Values => _values;

    /// <summary>A copy of this record under another id (generated records are copies of a record the org wrote).</summary>
    public StoredRecord CopyAs(string id)
    {
        var copy = new StoredRecord(Schema, id) { Sequence = Sequence, Position = Position, DeletedDate = DeletedDate };
        foreach (var (key, value) in _values)
        {
            copy._values[key] = value;
        }

        copy._values["Id"] = id;
        return copy;
    }

    public StoredRecord Copy()
    {
        var copy = new StoredRecord(Schema, Id) { Sequence = Sequence, Position = Position, DeletedDate = DeletedDate };
        foreach (var (key, value) in _values)
        {
            copy._values[key] = value;
        }

        return copy;
    }
}
