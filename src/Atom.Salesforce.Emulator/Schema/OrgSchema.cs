namespace Atom.Salesforce.Emulator.Schema;

/// <summary>A child relationship: <c>Account.Contacts</c> is the Contacts whose AccountId points at the account.</summary>
internal sealed record ChildRelationship(string RelationshipName, ObjectSchema Child, FieldDefinition Field);

/// <summary>One object of the org's schema: its fields (system fields included) and relationships.</summary>
internal sealed class ObjectSchema
{
    private readonly Dictionary<string, FieldDefinition> _fields;
    private readonly Dictionary<string, FieldDefinition> _parentRelationships;
    private readonly List<ChildRelationship> _children = [];

    public ObjectSchema(SObjectDefinition definition, string keyPrefix, IReadOnlyList<FieldDefinition> fields)
    {
        Definition = definition;
        KeyPrefix = keyPrefix;
        Fields = fields;
        _fields = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _parentRelationships = fields.Where(f => f.RelationshipName is not null)
            .ToDictionary(f => f.RelationshipName!, StringComparer.OrdinalIgnoreCase);
        NameField = fields.FirstOrDefault(f => f.NameField);
    }

    public SObjectDefinition Definition { get; }

    public string Name => Definition.Name;

    public string Label => Definition.Label ?? OrgSchema.LabelOf(Name);

    public string LabelPlural => Definition.LabelPlural ?? Label + "s";

    public string KeyPrefix { get; }

    public bool Custom => Definition.Custom;

    public bool Writable => Definition.Writable;

    /// <summary>Every field, in describe order.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    public FieldDefinition? NameField { get; }

    public IReadOnlyList<ChildRelationship> ChildRelationships => _children;

    public FieldDefinition? Field(string name) => _fields.GetValueOrDefault(name);

    /// <summary>The reference field behind a parent relationship name (<c>Account</c> → AccountId).</summary>
    public FieldDefinition? ParentRelationship(string relationshipName) => _parentRelationships.GetValueOrDefault(relationshipName);

    public ChildRelationship? ChildRelationship(string relationshipName) =>
        _children.FirstOrDefault(c => c.RelationshipName.Equals(relationshipName, StringComparison.OrdinalIgnoreCase));

    internal void AddChild(ChildRelationship child) => _children.Add(child);

    public override string ToString() => Name;
}

/// <summary>The org's objects: the standard ones plus the custom objects and fields from the options.</summary>
internal sealed class OrgSchema
{
    private readonly Dictionary<string, ObjectSchema> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ObjectSchema> _byPrefix = new(StringComparer.Ordinal);

    public OrgSchema(IEnumerable<SObjectDefinition> customObjects, IReadOnlyDictionary<string, IReadOnlyList<FieldDefinition>> customFields)
    {
        var definitions = StandardObjects.All.ToList();
        var customIndex = 0;
        foreach (var custom in customObjects)
        {
            if (!custom.Custom)
            {
                throw new ArgumentException($"Custom object '{custom.Name}' must have a name ending in __c.");
            }

            var fields = custom.Fields.ToList();
            if (!fields.Any(f => f.NameField))
            {
                fields.Insert(0, new FieldDefinition("Name", FieldType.String) { Length = 80, NameField = true });
            }

            definitions.Add(new SObjectDefinition(custom.Name, fields)
            {
                Label = custom.Label,
                LabelPlural = custom.LabelPlural,
                KeyPrefix = custom.KeyPrefix ?? $"a{customIndex++:D2}",
                HasOwner = custom.HasOwner,
                Writable = custom.Writable,
            });
        }

        foreach (var definition in definitions)
        {
            var fields = definition.Fields.SelectMany(Expand).Select(Complete).ToList();
            if (customFields.TryGetValue(definition.Name, out var extra))
            {
                foreach (var field in extra)
                {
                    if (!field.Custom)
                    {
                        throw new ArgumentException($"Custom field '{definition.Name}.{field.Name}' must have a name ending in __c.");
                    }

                    fields.AddRange(Expand(field).Select(Complete));
                }
            }

            var all = SystemFields(definition, fields);
            var schema = new ObjectSchema(definition, definition.KeyPrefix!, all);
            if (!_byName.TryAdd(schema.Name, schema) || !_byPrefix.TryAdd(schema.KeyPrefix, schema))
            {
                throw new ArgumentException($"Object '{schema.Name}' or key prefix '{schema.KeyPrefix}' is declared twice.");
            }
        }

        foreach (var schema in _byName.Values)
        {
            foreach (var field in schema.Fields.Where(f => f.ChildRelationshipName is not null))
            {
                foreach (var target in field.ReferenceTo)
                {
                    if (!_byName.TryGetValue(target, out var parent))
                    {
                        throw new ArgumentException($"'{schema.Name}.{field.Name}' refers to unknown object '{target}'.");
                    }

                    parent.AddChild(new ChildRelationship(field.ChildRelationshipName!, schema, field));
                }
            }
        }

        Objects = [.. _byName.Values.OrderBy(o => o.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<ObjectSchema> Objects { get; }

    public ObjectSchema? Find(string name) => _byName.GetValueOrDefault(name);

    public ObjectSchema? FindByPrefix(string keyPrefix) => _byPrefix.GetValueOrDefault(keyPrefix);

    /// <summary>A label from an API name: <c>AnnualRevenue</c> → "Annual Revenue", <c>Region__c</c> → "Region".</summary>
    public static string LabelOf(string name)
    {
        var bare = name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
        if (bare.EndsWith("Id", StringComparison.Ordinal) && bare.Length > 2)
        {
            bare = bare[..^2] + " ID";
        }

        var label = new System.Text.StringBuilder();
        for (var i = 0; i < bare.Length; i++)
        {
            var c = bare[i];
            if (c == '_')
            {
                label.Append(' ');
                continue;
            }

            if (i > 0 && char.IsUpper(c) && char.IsLower(bare[i - 1]))
            {
                label.Append(' ');
            }

            label.Append(c);
        }

        return label.ToString();
    }

    /// <summary>
    /// A geolocation field as Salesforce defines it (SOAP API Developer Guide, "Compound Fields" / "Geolocation Compound
    /// Field"; Object Reference, field types "location"): its latitude and longitude components,
    /// <c>Name__Latitude__s</c> and <c>Name__Longitude__s</c>, then the read-only compound field. Other fields as declared.
    /// </summary>
    private static IEnumerable<FieldDefinition> Expand(FieldDefinition field)
    {
        if (field.Type != FieldType.Location)
        {
            return [field];
        }

        var stem = field.Name[..^3];
        var label = field.Label ?? LabelOf(field.Name);
        return
        [
            new FieldDefinition(stem + "__Latitude__s", FieldType.Double) { Precision = 18, Scale = field.Scale, CompoundFieldName = field.Name, Label = label + " (Latitude)" },
            new FieldDefinition(stem + "__Longitude__s", FieldType.Double) { Precision = 18, Scale = field.Scale, CompoundFieldName = field.Name, Label = label + " (Longitude)" },
            field with { Createable = false, Updateable = false, Required = false },
        ];
    }

    /// <summary>Defaults a declared field leaves open: a custom lookup's relationship name (<c>Mother__c</c> → <c>Mother__r</c>).</summary>
    private static FieldDefinition Complete(FieldDefinition field) => field.Type == FieldType.Reference && field.RelationshipName is null && field.Custom
        ? field with { RelationshipName = field.Name[..^3] + "__r" }
        : field;

    /// <summary>Id first, then the object's fields, then owner and audit fields, as describe lists them.</summary>
    private static List<FieldDefinition> SystemFields(SObjectDefinition definition, List<FieldDefinition> fields)
    {
        var system = new List<FieldDefinition>
        {
            new("Id", FieldType.Id) { Length = 18, Createable = false, Updateable = false, Label = "Record ID" },
            new("IsDeleted", FieldType.Boolean) { Createable = false, Updateable = false, Label = "Deleted" },
        };
        system.AddRange(fields);
        if (definition.HasOwner)
        {
            system.Add(new FieldDefinition("OwnerId", FieldType.Reference)
            {
                ReferenceTo = ["User"],
                RelationshipName = "Owner",
                Length = 18,
                Label = "Owner ID",
            });
        }

        system.Add(new FieldDefinition("CreatedDate", FieldType.DateTime) { Createable = false, Updateable = false });
        system.Add(new FieldDefinition("CreatedById", FieldType.Reference) { ReferenceTo = ["User"], RelationshipName = "CreatedBy", Createable = false, Updateable = false, Length = 18 });
        system.Add(new FieldDefinition("LastModifiedDate", FieldType.DateTime) { Createable = false, Updateable = false });
        system.Add(new FieldDefinition("LastModifiedById", FieldType.Reference) { ReferenceTo = ["User"], RelationshipName = "LastModifiedBy", Createable = false, Updateable = false, Length = 18 });
        system.Add(new FieldDefinition("SystemModstamp", FieldType.DateTime) { Createable = false, Updateable = false });
        return system;
    }
}
