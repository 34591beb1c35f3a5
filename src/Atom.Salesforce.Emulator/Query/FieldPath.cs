using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>One step of a child-to-parent path: the relationship and the reference field behind it.</summary>
/// <param name="RelationshipName">The relationship as the schema spells it (<c>Account</c>, <c>What</c>).</param>
/// <param name="Field">The reference field (the first candidate's, when the step starts from a polymorphic parent).</param>
/// <param name="Targets">The objects the step can reach; more than one for What and Who.</param>
internal sealed record Hop(string RelationshipName, FieldDefinition Field, IReadOnlyList<ObjectSchema> Targets)
{
    public bool Polymorphic => Targets.Count > 1;

    /// <summary>The parent the step reaches from <paramref name="record"/>, or null when the lookup is empty.</summary>
    public StoredRecord? Follow(StoredRecord record, Org org) => record[Field.Name] is string id ? org.Find(id) : null;
}

/// <summary>
/// A resolved field reference: <c>Name</c>, <c>Account.Owner.Name</c>, <c>What.Type</c>. A parent missing anywhere on the
/// path makes the value null (outer-join semantics).
/// </summary>
internal sealed class FieldPath
{
    /// <summary>Polymorphic relationships reach the "Name" object, which has these fields whatever the record's type.</summary>
    private static readonly HashSet<string> NameObjectFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "Name", "Type", "Alias", "Email", "FirstName", "LastName", "Phone", "Title", "IsActive", "UserRoleId", "ProfileId", "RecordTypeId",
    };

    private FieldPath(IReadOnlyList<Hop> hops, string fieldName, FieldDefinition? field, bool isType, string written)
    {
        Hops = hops;
        FieldName = fieldName;
        Field = field;
        IsType = isType;
        Written = written;
        Key = string.Join('.', hops.Select(h => h.RelationshipName).Append(fieldName));
    }

    public IReadOnlyList<Hop> Hops { get; }

    /// <summary>The last segment as the schema spells it.</summary>
    public string FieldName { get; }

    /// <summary>The field (its definition on the first object that has it); null for <c>.Type</c>.</summary>
    public FieldDefinition? Field { get; }

    /// <summary><c>What.Type</c>: the parent's object name.</summary>
    public bool IsType { get; }

    /// <summary>The path as written in the query.</summary>
    public string Written { get; }

    /// <summary>The path as the schema spells it: equal for the same field however it was written.</summary>
    public string Key { get; }

    public bool Polymorphic => Hops.Count > 0 && Hops[^1].Polymorphic;

    public ValueKind Kind => IsType ? ValueKind.Text : Values.KindOf(Field!);

    /// <summary>Resolves <paramref name="segments"/> from <paramref name="root"/>.</summary>
    public static FieldPath Resolve(OrgSchema schema, ObjectSchema root, IReadOnlyList<string> segments, string written, string soql)
    {
        var hops = new List<Hop>();
        IReadOnlyList<ObjectSchema> current = [root];
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (current.Count > 1)
            {
                // The Name object behind What and Who has no relationships of its own.
                throw QueryErrors.UnknownRelationship(soql, segments[i]);
            }

            var field = current[0].ParentRelationship(segments[i]) ?? throw QueryErrors.UnknownRelationship(soql, segments[i]);
            hops.Add(new Hop(field.RelationshipName!, field, [.. field.ReferenceTo.Select(t => schema.Find(t)!)]));
            current = hops[^1].Targets;
        }

        if (hops.Count > 5)
        {
            throw QueryErrors.Malformed("SOQL statements cannot query relationships that are more than 5 levels away.");
        }

        var last = segments[^1];
        if (current.Count > 1)
        {
            if (!NameObjectFields.Contains(last))
            {
                throw QueryErrors.NoSuchColumn(soql, last, "Name");
            }

            if (last.Equals("Type", StringComparison.OrdinalIgnoreCase))
            {
                return new FieldPath(hops, "Type", null, isType: true, written);
            }

            var candidate = current.Select(o => o.Field(last)).FirstOrDefault(f => f is not null)
                ?? new FieldDefinition(last, FieldType.String);
            return new FieldPath(hops, candidate.Name, candidate, isType: false, written);
        }

        var definition = current[0].Field(last) ?? throw QueryErrors.NoSuchColumn(soql, last, current[0].Name);
        return new FieldPath(hops, definition.Name, definition, isType: false, written);
    }

    /// <summary>The last record on the path (the row itself when there are no hops), or null when a lookup is empty.</summary>
    public StoredRecord? Target(StoredRecord record, Org org)
    {
        var current = record;
        foreach (var hop in Hops)
        {
            current = current[hop.Field.Name] is string id ? org.Find(id) : null;
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public object? Get(StoredRecord record, Org org) => Target(record, org) is { } target ? Read(target) : null;

    /// <summary>The value on the path's last record.</summary>
    public object? Read(StoredRecord target)
    {
        if (IsType)
        {
            return target.Schema.Name;
        }

        if (Field is { IsCompound: true } compound)
        {
            return CompoundValue.Of(target, compound);
        }

        return !Polymorphic || target.Schema.Field(FieldName) is not null ? ValueOf(target, FieldName) : null;
    }

    /// <summary>A stored value; the id from the record itself, which always has one.</summary>
    public static object? ValueOf(StoredRecord record, string field) =>
        field.Equals("Id", StringComparison.OrdinalIgnoreCase) ? record.Id : record[field];

    /// <summary>How to write the value read from <paramref name="target"/>.</summary>
    public FieldDefinition? FieldOf(StoredRecord target) => Polymorphic ? target.Schema.Field(FieldName) : Field;
}
