using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Records;

/// <summary>The org's sObject types (<c>GET /sobjects</c>).</summary>
public sealed class DescribeGlobalResult
{
    /// <summary>The character encoding of the org, normally UTF-8.</summary>
    [JsonPropertyName("encoding")]
    public string? Encoding { get; init; }

    /// <summary>The most records one call may save.</summary>
    [JsonPropertyName("maxBatchSize")]
    public int MaxBatchSize { get; init; }

    /// <summary>Every sObject type the user can see.</summary>
    [JsonPropertyName("sobjects")]
    public IReadOnlyList<SObjectSummary> SObjects { get; init; } = [];
}

/// <summary>What describeGlobal says of one sObject type.</summary>
public class SObjectSummary
{
    /// <summary>The API name, for example <c>Account</c>.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = string.Empty;
    /// <summary>The singular label.</summary>
    [JsonPropertyName("label")] public string? Label { get; init; }
    /// <summary>The plural label.</summary>
    [JsonPropertyName("labelPlural")] public string? LabelPlural { get; init; }
    /// <summary>The three characters every id of this type starts with.</summary>
    [JsonPropertyName("keyPrefix")] public string? KeyPrefix { get; init; }
    /// <summary>True for custom objects.</summary>
    [JsonPropertyName("custom")] public bool Custom { get; init; }
    /// <summary>True for custom settings.</summary>
    [JsonPropertyName("customSetting")] public bool CustomSetting { get; init; }
    /// <summary>Records can be created.</summary>
    [JsonPropertyName("createable")] public bool Createable { get; init; }
    /// <summary>Records can be updated.</summary>
    [JsonPropertyName("updateable")] public bool Updateable { get; init; }
    /// <summary>Records can be deleted.</summary>
    [JsonPropertyName("deletable")] public bool Deletable { get; init; }
    /// <summary>Records can be undeleted from the recycle bin.</summary>
    [JsonPropertyName("undeletable")] public bool Undeletable { get; init; }
    /// <summary>The type can be queried with SOQL.</summary>
    [JsonPropertyName("queryable")] public bool Queryable { get; init; }
    /// <summary>The type can be searched with SOSL.</summary>
    [JsonPropertyName("searchable")] public bool Searchable { get; init; }
    /// <summary>Records can be retrieved by id.</summary>
    [JsonPropertyName("retrieveable")] public bool Retrieveable { get; init; }
    /// <summary>The type supports replication (updated/deleted).</summary>
    [JsonPropertyName("replicateable")] public bool Replicateable { get; init; }
    /// <summary>Records can be merged.</summary>
    [JsonPropertyName("mergeable")] public bool Mergeable { get; init; }
    /// <summary>The type is layoutable.</summary>
    [JsonPropertyName("layoutable")] public bool Layoutable { get; init; }
    /// <summary>Triggers can be defined on the type.</summary>
    [JsonPropertyName("triggerable")] public bool Triggerable { get; init; }
    /// <summary>Chatter feeds are enabled.</summary>
    [JsonPropertyName("feedEnabled")] public bool FeedEnabled { get; init; }
    /// <summary>The type is deprecated and hidden.</summary>
    [JsonPropertyName("deprecatedAndHidden")] public bool DeprecatedAndHidden { get; init; }
    /// <summary>REST URLs of the type (<c>sobject</c>, <c>describe</c>, <c>rowTemplate</c>, ...).</summary>
    [JsonPropertyName("urls")] public IReadOnlyDictionary<string, string> Urls { get; init; } = new Dictionary<string, string>();
    /// <summary>Every property Salesforce sent that has no typed member here, kept as JSON.</summary>
    [JsonExtensionData] public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The full describe of one sObject type (<c>GET /sobjects/{type}/describe</c>).</summary>
public sealed class SObjectDescribe : SObjectSummary
{
    /// <summary>Every field of the type.</summary>
    [JsonPropertyName("fields")] public IReadOnlyList<FieldDescribe> Fields { get; init; } = [];
    /// <summary>The relationships from child types to this one.</summary>
    [JsonPropertyName("childRelationships")] public IReadOnlyList<ChildRelationship> ChildRelationships { get; init; } = [];
    /// <summary>The record types available to the user.</summary>
    [JsonPropertyName("recordTypeInfos")] public IReadOnlyList<RecordTypeInfo> RecordTypeInfos { get; init; } = [];

    /// <summary>Finds a field by API name (case-insensitive), or null.</summary>
    public FieldDescribe? FindField(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The describe of one field.</summary>
public sealed class FieldDescribe
{
    /// <summary>The API name.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = string.Empty;
    /// <summary>The label.</summary>
    [JsonPropertyName("label")] public string? Label { get; init; }
    /// <summary>The field type: <c>id</c>, <c>string</c>, <c>boolean</c>, <c>int</c>, <c>double</c>, <c>currency</c>, <c>percent</c>, <c>date</c>, <c>datetime</c>, <c>picklist</c>, <c>reference</c>, ...</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = string.Empty;
    /// <summary>The SOAP type, for example <c>xsd:string</c>.</summary>
    [JsonPropertyName("soapType")] public string? SoapType { get; init; }
    /// <summary>The maximum length of text fields.</summary>
    [JsonPropertyName("length")] public int Length { get; init; }
    /// <summary>The total number of digits of number fields.</summary>
    [JsonPropertyName("precision")] public int Precision { get; init; }
    /// <summary>The digits after the decimal point.</summary>
    [JsonPropertyName("scale")] public int Scale { get; init; }
    /// <summary>The digits of integer fields.</summary>
    [JsonPropertyName("digits")] public int Digits { get; init; }
    /// <summary>The field may be null.</summary>
    [JsonPropertyName("nillable")] public bool Nillable { get; init; }
    /// <summary>The field can be set on create.</summary>
    [JsonPropertyName("createable")] public bool Createable { get; init; }
    /// <summary>The field can be set on update.</summary>
    [JsonPropertyName("updateable")] public bool Updateable { get; init; }
    /// <summary>The field can be used in WHERE.</summary>
    [JsonPropertyName("filterable")] public bool Filterable { get; init; }
    /// <summary>The field can be used in GROUP BY.</summary>
    [JsonPropertyName("groupable")] public bool Groupable { get; init; }
    /// <summary>The field can be used in ORDER BY.</summary>
    [JsonPropertyName("sortable")] public bool Sortable { get; init; }
    /// <summary>The field can be aggregated.</summary>
    [JsonPropertyName("aggregatable")] public bool Aggregatable { get; init; }
    /// <summary>Values are unique.</summary>
    [JsonPropertyName("unique")] public bool Unique { get; init; }
    /// <summary>The field is an external id (usable for upsert).</summary>
    [JsonPropertyName("externalId")] public bool ExternalId { get; init; }
    /// <summary>The field can identify a record in an upsert.</summary>
    [JsonPropertyName("idLookup")] public bool IdLookup { get; init; }
    /// <summary>The field is the record's name.</summary>
    [JsonPropertyName("nameField")] public bool NameField { get; init; }
    /// <summary>The field is custom.</summary>
    [JsonPropertyName("custom")] public bool Custom { get; init; }
    /// <summary>The field is a formula or roll-up.</summary>
    [JsonPropertyName("calculated")] public bool Calculated { get; init; }
    /// <summary>The formula of a formula field.</summary>
    [JsonPropertyName("calculatedFormula")] public string? CalculatedFormula { get; init; }
    /// <summary>The field is an auto number.</summary>
    [JsonPropertyName("autoNumber")] public bool AutoNumber { get; init; }
    /// <summary>Salesforce sets a default on create.</summary>
    [JsonPropertyName("defaultedOnCreate")] public bool DefaultedOnCreate { get; init; }
    /// <summary>The default value, as JSON.</summary>
    [JsonPropertyName("defaultValue")] public JsonElement? DefaultValue { get; init; }
    /// <summary>The values of a picklist.</summary>
    [JsonPropertyName("picklistValues")] public IReadOnlyList<PicklistValue> PicklistValues { get; init; } = [];
    /// <summary>Only the listed picklist values are accepted.</summary>
    [JsonPropertyName("restrictedPicklist")] public bool RestrictedPicklist { get; init; }
    /// <summary>The picklist depends on a controlling field.</summary>
    [JsonPropertyName("dependentPicklist")] public bool DependentPicklist { get; init; }
    /// <summary>The controlling field of a dependent picklist.</summary>
    [JsonPropertyName("controllerName")] public string? ControllerName { get; init; }
    /// <summary>The types a reference field can point to.</summary>
    [JsonPropertyName("referenceTo")] public IReadOnlyList<string> ReferenceTo { get; init; } = [];
    /// <summary>The relationship name of a reference field (<c>Account</c> for <c>AccountId</c>).</summary>
    [JsonPropertyName("relationshipName")] public string? RelationshipName { get; init; }
    /// <summary>0 or 1 for master-detail relationships.</summary>
    [JsonPropertyName("relationshipOrder")] public int? RelationshipOrder { get; init; }
    /// <summary>Deleting the parent deletes this record.</summary>
    [JsonPropertyName("cascadeDelete")] public bool CascadeDelete { get; init; }
    /// <summary>The parent cannot be deleted while this record points to it.</summary>
    [JsonPropertyName("restrictedDelete")] public bool RestrictedDelete { get; init; }
    /// <summary>The reference is polymorphic (more than one target type).</summary>
    [JsonPropertyName("polymorphicForeignKey")] public bool PolymorphicForeignKey { get; init; }
    /// <summary>The field is HTML formatted.</summary>
    [JsonPropertyName("htmlFormatted")] public bool HtmlFormatted { get; init; }
    /// <summary>The field is encrypted.</summary>
    [JsonPropertyName("encrypted")] public bool Encrypted { get; init; }
    /// <summary>The help text.</summary>
    [JsonPropertyName("inlineHelpText")] public string? InlineHelpText { get; init; }
    /// <summary>The field is deprecated and hidden.</summary>
    [JsonPropertyName("deprecatedAndHidden")] public bool DeprecatedAndHidden { get; init; }
    /// <summary>Every property Salesforce sent that has no typed member here, kept as JSON.</summary>
    [JsonExtensionData] public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One value of a picklist.</summary>
public sealed class PicklistValue
{
    /// <summary>The value stored in records.</summary>
    [JsonPropertyName("value")] public string Value { get; init; } = string.Empty;
    /// <summary>The label shown to users.</summary>
    [JsonPropertyName("label")] public string? Label { get; init; }
    /// <summary>The value can be chosen.</summary>
    [JsonPropertyName("active")] public bool Active { get; init; }
    /// <summary>The value is the default.</summary>
    [JsonPropertyName("defaultValue")] public bool DefaultValue { get; init; }
    /// <summary>The controlling values for which this value is valid (base64 bitmap), for dependent picklists.</summary>
    [JsonPropertyName("validFor")] public string? ValidFor { get; init; }
}

/// <summary>A relationship from a child type to the described type.</summary>
public sealed class ChildRelationship
{
    /// <summary>The child type.</summary>
    [JsonPropertyName("childSObject")] public string ChildSObject { get; init; } = string.Empty;
    /// <summary>The child's field that points to the parent.</summary>
    [JsonPropertyName("field")] public string Field { get; init; } = string.Empty;
    /// <summary>The name used in subqueries (<c>Contacts</c>); null when the relationship cannot be queried.</summary>
    [JsonPropertyName("relationshipName")] public string? RelationshipName { get; init; }
    /// <summary>Deleting the parent deletes the children.</summary>
    [JsonPropertyName("cascadeDelete")] public bool CascadeDelete { get; init; }
    /// <summary>The parent cannot be deleted while children exist.</summary>
    [JsonPropertyName("restrictedDelete")] public bool RestrictedDelete { get; init; }
}

/// <summary>A record type of the described type.</summary>
public sealed class RecordTypeInfo
{
    /// <summary>The record type's name.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = string.Empty;
    /// <summary>The record type's id.</summary>
    [JsonPropertyName("recordTypeId")] public string? RecordTypeId { get; init; }
    /// <summary>The user can use it.</summary>
    [JsonPropertyName("available")] public bool Available { get; init; }
    /// <summary>It is the user's default.</summary>
    [JsonPropertyName("defaultRecordTypeMapping")] public bool DefaultRecordTypeMapping { get; init; }
    /// <summary>It is the master record type.</summary>
    [JsonPropertyName("master")] public bool Master { get; init; }
}
