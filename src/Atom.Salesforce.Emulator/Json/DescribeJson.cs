using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Json;

/// <summary>describeGlobal and describe, generated from the schema in the shape of a real org's.</summary>
internal static class DescribeJson
{
    public static void WriteGlobal(Utf8JsonWriter writer, string versionPath, IReadOnlyList<ObjectSchema> objects)
    {
        writer.WriteStartObject();
        writer.WriteString("encoding", "UTF-8");
        writer.WriteNumber("maxBatchSize", 200);
        writer.WriteStartArray("sobjects");
        foreach (var obj in objects)
        {
            writer.WriteStartObject();
            WriteSummary(writer, versionPath, obj);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteSummary(Utf8JsonWriter writer, string versionPath, ObjectSchema obj)
    {
        writer.WriteBoolean("activateable", false);
        writer.WriteBoolean("createable", obj.Writable);
        writer.WriteBoolean("custom", obj.Custom);
        writer.WriteBoolean("customSetting", false);
        writer.WriteBoolean("deepCloneable", false);
        writer.WriteBoolean("deletable", obj.Writable);
        writer.WriteBoolean("deprecatedAndHidden", false);
        writer.WriteBoolean("feedEnabled", obj.Writable);
        writer.WriteBoolean("hasSubtypes", false);
        writer.WriteBoolean("isInterface", false);
        writer.WriteBoolean("isSubtype", false);
        writer.WriteString("keyPrefix", obj.KeyPrefix);
        writer.WriteString("label", obj.Label);
        writer.WriteString("labelPlural", obj.LabelPlural);
        writer.WriteBoolean("layoutable", obj.Writable);
        writer.WriteBoolean("mergeable", obj.Name is "Account" or "Contact" or "Lead");
        writer.WriteBoolean("mruEnabled", obj.Writable);
        writer.WriteString("name", obj.Name);
        writer.WriteBoolean("queryable", true);
        writer.WriteBoolean("replicateable", true);
        writer.WriteBoolean("retrieveable", true);
        writer.WriteBoolean("searchable", obj.Writable);
        writer.WriteBoolean("triggerable", obj.Writable);
        writer.WriteBoolean("undeletable", obj.Writable);
        writer.WriteBoolean("updateable", obj.Writable);
        writer.WriteStartObject("urls");
        writer.WriteString("rowTemplate", $"{versionPath}/sobjects/{obj.Name}/{{ID}}");
        writer.WriteString("defaultValues", $"{versionPath}/sobjects/{obj.Name}/defaultValues?recordTypeId&fields");
        writer.WriteString("describe", $"{versionPath}/sobjects/{obj.Name}/describe");
        writer.WriteString("sobject", $"{versionPath}/sobjects/{obj.Name}");
        writer.WriteEndObject();
    }

    public static void WriteDescribe(Utf8JsonWriter writer, string versionPath, ObjectSchema obj)
    {
        writer.WriteStartObject();
        WriteSummary(writer, versionPath, obj);
        writer.WriteStartArray("actionOverrides");
        writer.WriteEndArray();
        writer.WriteStartArray("childRelationships");
        foreach (var child in obj.ChildRelationships)
        {
            writer.WriteStartObject();
            writer.WriteBoolean("cascadeDelete", child.Child.Name is "OpportunityHistory" or "OpportunityContactRole" or "CampaignMember");
            writer.WriteString("childSObject", child.Child.Name);
            writer.WriteBoolean("deprecatedAndHidden", false);
            writer.WriteString("field", child.Field.Name);
            writer.WriteStartArray("junctionIdListNames");
            writer.WriteEndArray();
            writer.WriteStartArray("junctionReferenceTo");
            writer.WriteEndArray();
            writer.WriteString("relationshipName", child.RelationshipName);
            writer.WriteBoolean("restrictedDelete", false);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("compactLayoutable", obj.Writable);
        writer.WriteStartArray("fields");
        foreach (var field in obj.Fields)
        {
            WriteField(writer, field);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("listviewable", obj.Writable);
        writer.WriteBoolean("lookupLayoutable", obj.Writable);
        writer.WriteStartArray("namedLayoutInfos");
        writer.WriteEndArray();
        writer.WriteNull("networkScopeFieldName");
        writer.WriteStartArray("recordTypeInfos");
        writer.WriteStartObject();
        writer.WriteBoolean("active", true);
        writer.WriteBoolean("available", true);
        writer.WriteBoolean("defaultRecordTypeMapping", true);
        writer.WriteString("developerName", "Master");
        writer.WriteBoolean("master", true);
        writer.WriteString("name", "Master");
        writer.WriteString("recordTypeId", "012000000000000AAA");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteBoolean("searchLayoutable", obj.Writable);
        writer.WriteStartArray("supportedScopes");
        foreach (var (name, label) in new[] { ("everything", "All " + obj.LabelPlural.ToLowerInvariant()), ("mine", "My " + obj.LabelPlural.ToLowerInvariant()) })
        {
            writer.WriteStartObject();
            writer.WriteString("label", label);
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>One field's describe (DescribeFieldResult), also the <c>details</c> of a layout component.</summary>
    public static void WriteField(Utf8JsonWriter writer, FieldDefinition field)
    {
        var (type, soapType) = field.Type switch
        {
            FieldType.Id => ("id", "tns:ID"),
            FieldType.String => ("string", "xsd:string"),
            FieldType.TextArea => ("textarea", "xsd:string"),
            FieldType.Email => ("email", "xsd:string"),
            FieldType.Phone => ("phone", "xsd:string"),
            FieldType.Url => ("url", "xsd:string"),
            FieldType.Boolean => ("boolean", "xsd:boolean"),
            FieldType.Int => ("int", "xsd:int"),
            FieldType.Double => ("double", "xsd:double"),
            FieldType.Currency => ("currency", "xsd:double"),
            FieldType.Percent => ("percent", "xsd:double"),
            FieldType.Date => ("date", "xsd:date"),
            FieldType.DateTime => ("datetime", "xsd:dateTime"),
            FieldType.Time => ("time", "xsd:time"),
            FieldType.Picklist => ("picklist", "xsd:string"),
            FieldType.MultiPicklist => ("multipicklist", "xsd:string"),
            FieldType.Reference => ("reference", "tns:ID"),
            FieldType.Address => ("address", "urn:address"),
            FieldType.Location => ("location", "urn:location"),
            _ => ("anyType", "xsd:anyType"),
        };
        var isText = field.Type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url
            or FieldType.Picklist or FieldType.MultiPicklist or FieldType.Reference or FieldType.Id;
        var length = isText ? field.Length ?? (field.Type == FieldType.TextArea ? 32000 : 255) : 0;
        var isNumber = field.Type is FieldType.Double or FieldType.Currency or FieldType.Percent;
        var nillable = !field.Required && field.Type is not (FieldType.Boolean or FieldType.Id) && field.Createable | field.Updateable
            || (!field.Createable && !field.Updateable && field.Type is not (FieldType.Boolean or FieldType.Id) && !field.NameField);
        var sortable = !field.IsCompound && (field.Type is not (FieldType.TextArea or FieldType.MultiPicklist) || (field.Length ?? 32000) <= 255);

        writer.WriteStartObject();
        writer.WriteBoolean("aggregatable", sortable && field.Type != FieldType.Boolean);
        writer.WriteBoolean("autoNumber", false);
        writer.WriteNumber("byteLength", length * 3);
        writer.WriteBoolean("calculated", field.Calculated);
        writer.WriteNull("calculatedFormula");
        writer.WriteBoolean("cascadeDelete", false);
        writer.WriteBoolean("caseSensitive", false);
        if (field.CompoundFieldName is { } compoundName)
        {
            writer.WriteString("compoundFieldName", compoundName);
        }
        else
        {
            writer.WriteNull("compoundFieldName");
        }

        writer.WriteNull("controllerName");
        writer.WriteBoolean("createable", field.Createable);
        writer.WriteBoolean("custom", field.Custom);
        // Booleans describe their default; a picklist's default is marked among its values instead.
        if (field.DefaultValue is bool flag)
        {
            writer.WriteBoolean("defaultValue", flag);
        }
        else
        {
            writer.WriteNull("defaultValue");
        }

        writer.WriteNull("defaultValueFormula");
        writer.WriteBoolean("defaultedOnCreate", field.DefaultValue is not null || field.Type is FieldType.Id or FieldType.Boolean || !field.Createable && field.Name is "CreatedDate" or "CreatedById" or "LastModifiedDate" or "LastModifiedById" or "SystemModstamp" or "OwnerId" || field.Name == "OwnerId");
        writer.WriteBoolean("dependentPicklist", false);
        writer.WriteBoolean("deprecatedAndHidden", false);
        writer.WriteNumber("digits", field.Type == FieldType.Int ? field.Precision : 0);
        writer.WriteBoolean("displayLocationInDecimal", false);
        writer.WriteBoolean("encrypted", false);
        writer.WriteBoolean("externalId", field.ExternalId);
        writer.WriteNull("extraTypeInfo");
        writer.WriteBoolean("filterable", !field.IsCompound && (field.Type != FieldType.TextArea || (field.Length ?? 32000) <= 255));
        writer.WriteNull("filteredLookupInfo");
        writer.WriteBoolean("groupable", sortable && !isNumber && field.Type != FieldType.DateTime);
        writer.WriteBoolean("highScaleNumber", false);
        writer.WriteBoolean("htmlFormatted", false);
        writer.WriteBoolean("idLookup", field.Type == FieldType.Id || field.ExternalId || field.Unique || field.Name is "Email" or "Username");
        writer.WriteNull("inlineHelpText");
        writer.WriteString("label", field.Label ?? OrgSchema.LabelOf(field.Name));
        writer.WriteNumber("length", length);
        writer.WriteNull("mask");
        writer.WriteNull("maskType");
        writer.WriteString("name", field.Name);
        writer.WriteBoolean("nameField", field.NameField);
        writer.WriteBoolean("namePointing", field.ReferenceTo.Count > 1);
        writer.WriteBoolean("nillable", nillable);
        writer.WriteBoolean("permissionable", !field.Required && field.Createable && field.Type != FieldType.Id);
        WritePicklistValues(writer, field);
        writer.WriteBoolean("polymorphicForeignKey", field.ReferenceTo.Count > 1);
        writer.WriteNumber("precision", isNumber ? field.Precision : 0);
        // A geolocation field can be the first argument of DISTANCE() (Object Reference, Field, "queryByDistance").
        writer.WriteBoolean("queryByDistance", field.Type == FieldType.Location);
        writer.WriteNull("referenceTargetField");
        writer.WriteStartArray("referenceTo");
        foreach (var target in field.ReferenceTo)
        {
            writer.WriteStringValue(target);
        }

        writer.WriteEndArray();
        if (field.RelationshipName is { } relationship)
        {
            writer.WriteString("relationshipName", relationship);
        }
        else
        {
            writer.WriteNull("relationshipName");
        }

        writer.WriteNull("relationshipOrder");
        writer.WriteBoolean("restrictedDelete", false);
        writer.WriteBoolean("restrictedPicklist", field.RestrictedPicklist);
        writer.WriteNumber("scale", isNumber ? field.Scale : 0);
        writer.WriteBoolean("searchPrefilterable", false);
        writer.WriteString("soapType", soapType);
        writer.WriteBoolean("sortable", sortable);
        writer.WriteString("type", type);
        writer.WriteBoolean("unique", field.Unique);
        writer.WriteBoolean("updateable", field.Updateable);
        writer.WriteBoolean("writeRequiresMasterRead", false);
        writer.WriteEndObject();
    }

    /// <summary>A picklist field's values as describe (and a record type's picklists) write them.</summary>
    internal static void WritePicklistValues(Utf8JsonWriter writer, FieldDefinition field)
    {
        writer.WriteStartArray("picklistValues");
        foreach (var value in field.PicklistValues)
        {
            writer.WriteStartObject();
            writer.WriteBoolean("active", true);
            writer.WriteBoolean("defaultValue", Equals(field.DefaultValue, value));
            writer.WriteString("label", value);
            writer.WriteNull("validFor");
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
