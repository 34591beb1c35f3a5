namespace Atom.Salesforce.Emulator.Schema;

/// <summary>The data types of emulated fields, named as describe names them.</summary>
public enum FieldType
{
    /// <summary><c>id</c>: the record id.</summary>
    Id,

    /// <summary><c>string</c></summary>
    String,

    /// <summary><c>textarea</c></summary>
    TextArea,

    /// <summary><c>email</c></summary>
    Email,

    /// <summary><c>phone</c></summary>
    Phone,

    /// <summary><c>url</c></summary>
    Url,

    /// <summary><c>boolean</c></summary>
    Boolean,

    /// <summary><c>int</c></summary>
    Int,

    /// <summary><c>double</c></summary>
    Double,

    /// <summary><c>currency</c></summary>
    Currency,

    /// <summary><c>percent</c></summary>
    Percent,

    /// <summary><c>date</c></summary>
    Date,

    /// <summary><c>datetime</c></summary>
    DateTime,

    /// <summary><c>time</c></summary>
    Time,

    /// <summary><c>picklist</c></summary>
    Picklist,

    /// <summary><c>multipicklist</c></summary>
    MultiPicklist,

    /// <summary><c>reference</c>: a lookup to another record.</summary>
    Reference,

    /// <summary>
    /// <c>address</c>: a read-only compound field (<c>BillingAddress</c>) whose value is an object built from its
    /// component fields, the fields whose <see cref="FieldDefinition.CompoundFieldName"/> names it.
    /// </summary>
    Address,

    /// <summary>
    /// <c>location</c>: a custom geolocation field (<c>Location__c</c>). Declaring one adds its components
    /// <c>Location__Latitude__s</c> and <c>Location__Longitude__s</c> (doubles with the field's <see cref="FieldDefinition.Scale"/>,
    /// written like any field); the compound field itself is read-only, selected as <c>{"latitude", "longitude"}</c>,
    /// and usable in <c>DISTANCE()</c>.
    /// </summary>
    Location,
}

/// <summary>
/// A field of an emulated object. Standard objects come with theirs; declare custom fields (names ending in <c>__c</c>)
/// in <see cref="SalesforceEmulatorOptions"/>.
/// </summary>
public sealed record FieldDefinition
{
    /// <summary>Creates a field.</summary>
    public FieldDefinition(string name, FieldType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
    }

    /// <summary>The API name.</summary>
    public string Name { get; }

    /// <summary>The data type.</summary>
    public FieldType Type { get; }

    /// <summary>The label; derived from the name when not set.</summary>
    public string? Label { get; init; }

    /// <summary>The maximum length of text fields (255 by default; 32,000 for text areas).</summary>
    public int? Length { get; init; }

    /// <summary>Digits in all, for numbers.</summary>
    public int Precision { get; init; } = 18;

    /// <summary>Digits after the decimal point, for numbers.</summary>
    public int Scale { get; init; }

    /// <summary>A value must be given on create (and cannot be cleared).</summary>
    public bool Required { get; init; }

    /// <summary>The field can be set on create.</summary>
    public bool Createable { get; init; } = true;

    /// <summary>The field can be changed on update.</summary>
    public bool Updateable { get; init; } = true;

    /// <summary>
    /// The field is an external id: upsert and retrieval can match on it. Its values are not forced unique (set
    /// <see cref="Unique"/> for that): an upsert whose value matches several records answers 300 with their URLs.
    /// </summary>
    public bool ExternalId { get; init; }

    /// <summary>
    /// Values must be unique (case-insensitively): a clash is refused with <c>DUPLICATE_VALUE</c>. Separate from
    /// <see cref="ExternalId"/>, as Salesforce's field attributes "External ID" and "Unique" are.
    /// </summary>
    public bool Unique { get; init; }

    /// <summary>The picklist's values, in order; the first marked default is used when none is given.</summary>
    public IReadOnlyList<string> PicklistValues { get; init; } = [];

    /// <summary>The value set when a record is created without one.</summary>
    public object? DefaultValue { get; init; }

    /// <summary>Values outside <see cref="PicklistValues"/> are refused.</summary>
    public bool RestrictedPicklist { get; init; }

    /// <summary>For references: the objects the field can point to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    /// <summary>For references: the name of the parent relationship (<c>Account</c> for <c>AccountId</c>, <c>Mother__r</c> for <c>Mother__c</c>).</summary>
    public string? RelationshipName { get; init; }

    /// <summary>For references: the name of the child relationship on the parent (<c>Contacts</c>), if it has one.</summary>
    public string? ChildRelationshipName { get; init; }

    /// <summary>The org computes the value (formula, roll-up, compound name); it cannot be written.</summary>
    public bool Calculated { get; init; }

    /// <summary>For a component of a compound field (<c>BillingCity</c>): the compound field's name (<c>BillingAddress</c>).</summary>
    public string? CompoundFieldName { get; init; }

    /// <summary>This is the object's name field.</summary>
    public bool NameField { get; init; }

    /// <summary>True for custom fields (<c>__c</c>) and the components of custom geolocation fields (<c>__s</c>).</summary>
    public bool Custom => Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) || Name.EndsWith("__s", StringComparison.OrdinalIgnoreCase);

    /// <summary>An address or geolocation compound field, read from its components.</summary>
    internal bool IsCompound => Type is FieldType.Address or FieldType.Location;
}

/// <summary>An emulated object: a standard one, or a custom one (<c>__c</c>) declared in <see cref="SalesforceEmulatorOptions"/>.</summary>
public sealed record SObjectDefinition
{
    /// <summary>Creates an object.</summary>
    public SObjectDefinition(string name, IReadOnlyList<FieldDefinition> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        Name = name;
        Fields = fields;
    }

    /// <summary>The API name.</summary>
    public string Name { get; }

    /// <summary>The fields besides the system fields (Id, CreatedDate, ... are added by the org).</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>The label; derived from the name when not set.</summary>
    public string? Label { get; init; }

    /// <summary>The plural label; the label plus "s" when not set.</summary>
    public string? LabelPlural { get; init; }

    /// <summary>The three-character id prefix; custom objects get a00, a01, ... in declaration order when not set.</summary>
    public string? KeyPrefix { get; init; }

    /// <summary>Records have an owner (OwnerId). True by default.</summary>
    public bool HasOwner { get; init; } = true;

    /// <summary>Records can be written through the API. False for objects only the org writes (OpportunityHistory).</summary>
    public bool Writable { get; init; } = true;

    /// <summary>True for custom objects (<c>__c</c>).</summary>
    public bool Custom => Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);
}
