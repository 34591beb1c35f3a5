using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Json;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Rest;

/// <summary>
/// Page layouts (REST API Developer Guide "Describe Layouts" <c>resources_sobject_layouts.htm</c>, "Get Layouts and
/// Descriptions for an Object With Multiple Record Types"; SOAP API DescribeLayoutResult for the fields) and compact
/// layouts ("sObject CompactLayouts" <c>resources_sobject_compactlayouts.htm</c>, 29.0 and later; "Compact Layouts"
/// <c>resources_compact_layouts.htm</c>, 31.0 and later), generated from each layoutable (writable) object's describe.
/// Each object has one page layout, "{label} Layout", assigned to the master record type 012000000000000AAA: an
/// "{label} Information" section with the object's fields in two columns (top to bottom), a "System Information" section
/// with Created By and Last Modified By, the Edit / Delete / Clone buttons, the object's quick actions and a related list
/// per child relationship. Compact layouts are the system default (<c>id</c> null, name SYSTEM, as Salesforce answers
/// for an object without custom compact layouts): the name field and a few key fields.
/// An object that is not layoutable answers 404 NOT_FOUND. These routes are mapped before <see cref="RestEndpoints"/>.
/// </summary>
internal static class LayoutEndpoints
{
    /// <summary>The master record type every object has (describe's recordTypeInfos).</summary>
    public const string MasterRecordTypeId = "012000000000000AAA";

    /// <summary>"Compact Layouts": up to 100 objects can be queried at once.</summary>
    public const int MaxCompactLayoutObjects = 100;

    private const string SObject = "/services/data/{version}/sobjects/{type}";

    /// <summary>Fields a default layout leaves out of its first section (audit fields are in System Information).</summary>
    private static readonly HashSet<string> NotInLayout = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
        "MasterRecordId", "LastActivityDate", "LastViewedDate", "LastReferencedDate",
    };

    /// <summary>The key fields of the system default compact layouts, after the name field (where the object has them).</summary>
    private static readonly Dictionary<string, string[]> CompactFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Account"] = ["Phone", "Website", "OwnerId"],
        ["Contact"] = ["Title", "AccountId", "Phone", "Email"],
        ["Lead"] = ["Title", "Company", "Phone", "Email"],
        ["Opportunity"] = ["AccountId", "CloseDate", "Amount", "OwnerId"],
        ["Campaign"] = ["Status", "StartDate", "EndDate", "Type"],
        ["Task"] = ["ActivityDate", "Status", "Priority", "OwnerId"],
        ["Event"] = ["StartDateTime", "EndDateTime", "Location", "OwnerId"],
    };

    public static void Map(Router router)
    {
        router.Map("GET", SObject + "/describe/layouts", Layouts);
        router.Map("GET", SObject + "/describe/layouts/{recordTypeId}", LayoutForRecordType);
        router.Map("GET", SObject + "/describe/compactLayouts", CompactLayouts);
        router.Map("GET", SObject + "/describe/compactLayouts/{name}", CompactLayout);
        router.Map("GET", "/services/data/{version}/compactLayouts", CompactLayoutsOfObjects);
    }

    private static ObjectSchema RequireLayoutable(RequestContext context, string name)
    {
        var obj = context.Org.RequireObject(name);
        return obj.Writable ? obj : throw ApiException.NotFound();
    }

    private static int IndexOf(Org org, ObjectSchema obj) => org.Schema.Objects.ToList().IndexOf(obj) + 1;

    private static string LayoutId(Org org, ObjectSchema obj) => RecordIds.Create("00h", IndexOf(org, obj));

    /// <summary><c>GET /sobjects/{type}/describe/layouts</c>: <c>{layouts, recordTypeMappings, recordTypeSelectorRequired}</c>.</summary>
    private static EmulatorResponse Layouts(RequestContext context)
    {
        var obj = RequireLayoutable(context, context["type"]);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("layouts");
            WriteLayout(writer, context, obj);
            writer.WriteEndArray();
            writer.WriteStartArray("recordTypeMappings");
            WriteRecordTypeMapping(writer, context, obj);
            writer.WriteEndArray();
            writer.WriteStartArray("recordTypeSelectorRequired");
            writer.WriteBooleanValue(false);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary><c>GET /sobjects/{type}/describe/layouts/{recordTypeId}</c>: the one DescribeLayout of the record type.</summary>
    private static EmulatorResponse LayoutForRecordType(RequestContext context)
    {
        var obj = RequireLayoutable(context, context["type"]);
        var id = context["recordTypeId"];
        if (!RecordIds.IsValid(id) || RecordIds.Normalize(id) != MasterRecordTypeId)
        {
            throw ApiException.NotFound();
        }

        return EmulatorResponse.Json(200, writer => WriteLayout(writer, context, obj));
    }

    private static readonly string[] SystemFields = ["CreatedById", "LastModifiedById"];

    private static void WriteLayout(Utf8JsonWriter writer, RequestContext context, ObjectSchema obj)
    {
        var org = context.Org;
        var index = IndexOf(org, obj);
        var fields = obj.Fields.Where(f => !NotInLayout.Contains(f.Name) && f.CompoundFieldName is null).ToList();
        var system = SystemFields.Select(obj.Field).OfType<FieldDefinition>().ToList();
        var layoutId = LayoutId(org, obj);

        writer.WriteStartObject();
        writer.WriteStartObject("buttonLayoutSection");
        writer.WriteStartArray("detailButtons");
        foreach (var button in new[] { "Edit", "Delete", "Clone" })
        {
            WriteButton(writer, button);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        foreach (var (name, edit) in new[] { ("detailLayoutSections", false), ("editLayoutSections", true) })
        {
            writer.WriteStartArray(name);
            WriteSection(writer, obj.Label + " Information", RecordIds.Create("01B", (index * 2) - 1), fields, obj, edit, columns: 2, layoutId);
            WriteSection(writer, "System Information", RecordIds.Create("01B", index * 2), system, obj, edit, columns: 2, layoutId);
            writer.WriteEndArray();
        }

        writer.WriteNull("feedView");
        writer.WriteNull("highlightsPanelLayoutSection");
        writer.WriteString("id", layoutId);
        writer.WriteStartArray("multirowEditLayoutSections");
        writer.WriteEndArray();
        writer.WriteStartArray("offlineLinks");
        writer.WriteEndArray();
        writer.WriteStartObject("quickActionList");
        writer.WriteStartArray("quickActionListItems");
        foreach (var action in QuickActionEndpoints.ActionsOf(org.Schema, obj))
        {
            writer.WriteStartObject();
            writer.WriteNull("accessLevelRequired");
            writer.WriteStartArray("colors");
            writer.WriteEndArray();
            writer.WriteNull("iconUrl");
            writer.WriteStartArray("icons");
            writer.WriteEndArray();
            writer.WriteString("label", action.Label);
            writer.WriteNull("miniIconUrl");
            writer.WriteString("quickActionName", action.Name);
            writer.WriteString("targetSobjectType", action.TargetSObjectType);
            writer.WriteString("type", action.Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNull("relatedContent");
        writer.WriteStartArray("relatedLists");
        foreach (var child in obj.ChildRelationships.Where(c => c.Child.Writable))
        {
            WriteRelatedList(writer, child);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("saveOptions");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// A DescribeLayoutSection: the fields top to bottom in <paramref name="columns"/> columns (the left column first),
    /// an empty slot a placeholder item.
    /// </summary>
    internal static void WriteSection(Utf8JsonWriter writer, string heading, string sectionId, IReadOnlyList<FieldDefinition> fields, ObjectSchema obj, bool edit, int columns, string? parentLayoutId = null)
    {
        var rows = Math.Max(1, (fields.Count + columns - 1) / columns);
        writer.WriteStartObject();
        writer.WriteBoolean("collapsed", false);
        writer.WriteNumber("columns", columns);
        writer.WriteString("heading", heading);
        writer.WriteStartArray("layoutRows");
        var tabOrder = 0;
        for (var row = 0; row < rows; row++)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("layoutItems");
            for (var column = 0; column < columns; column++)
            {
                var slot = (column * rows) + row;
                WriteItem(writer, slot < fields.Count ? fields[slot] : null, obj, edit, ++tabOrder);
            }

            writer.WriteEndArray();
            writer.WriteNumber("numItems", columns);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("layoutSectionId", sectionId);
        if (parentLayoutId is null)
        {
            writer.WriteNull("parentLayoutId");
        }
        else
        {
            writer.WriteString("parentLayoutId", parentLayoutId);
        }

        writer.WriteNumber("rows", rows);
        writer.WriteString("tabOrder", "TopToBottom");
        writer.WriteBoolean("useCollapsibleSection", false);
        writer.WriteBoolean("useHeading", true);
        writer.WriteEndObject();
    }

    /// <summary>A DescribeLayoutItem: one Field component whose <c>details</c> is the field's describe, or a placeholder.</summary>
    private static void WriteItem(Utf8JsonWriter writer, FieldDefinition? field, ObjectSchema obj, bool edit, int tabOrder)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("editableForNew", field is not null && edit && field.Createable && !field.Calculated);
        writer.WriteBoolean("editableForUpdate", field is not null && edit && field.Updateable && !field.Calculated);
        writer.WriteString("label", field is null ? string.Empty : Label(field));
        writer.WriteStartArray("layoutComponents");
        if (field is not null)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("details");
            DescribeJson.WriteField(writer, field);
            writer.WriteNumber("displayLines", field.Type is FieldType.TextArea or FieldType.Address ? 3 : 1);
            writer.WriteNumber("tabOrder", tabOrder);
            writer.WriteString("type", "Field");
            writer.WriteString("value", field.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("placeholder", field is null);
        writer.WriteBoolean("required", field is not null && edit && field.Required && (field.Createable || field.Updateable));
        writer.WriteEndObject();
    }

    /// <summary>A layout item's label: a reference field is labelled by its relationship (Account ID → Account Name, Owner ID → Owner).</summary>
    private static string Label(FieldDefinition field)
    {
        var label = field.Label ?? OrgSchema.LabelOf(field.Name);
        return field.Type == FieldType.Reference && label.EndsWith(" ID", StringComparison.Ordinal) ? label[..^3] : label;
    }

    private static void WriteButton(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject();
        writer.WriteNull("behavior");
        writer.WriteNull("colors");
        writer.WriteNull("content");
        writer.WriteNull("contentSource");
        writer.WriteBoolean("custom", false);
        writer.WriteNull("encoding");
        writer.WriteNull("height");
        writer.WriteNull("icons");
        writer.WriteString("label", name);
        writer.WriteBoolean("menubar", false);
        writer.WriteString("name", name);
        writer.WriteBoolean("overridden", false);
        writer.WriteBoolean("resizeable", false);
        writer.WriteBoolean("scrollbars", false);
        writer.WriteBoolean("showsLocation", false);
        writer.WriteBoolean("showsStatus", false);
        writer.WriteBoolean("toolbar", false);
        writer.WriteNull("url");
        writer.WriteNull("width");
        writer.WriteNull("windowPosition");
        writer.WriteEndObject();
    }

    /// <summary>A RelatedList: the child's name field (else Id) and CreatedDate as columns, newest first, five rows.</summary>
    private static void WriteRelatedList(Utf8JsonWriter writer, ChildRelationship child)
    {
        var columns = new[] { child.Child.NameField?.Name ?? "Id", "CreatedDate" }.Distinct()
            .Select(child.Child.Field).OfType<FieldDefinition>().ToList();
        writer.WriteStartObject();
        writer.WriteNull("accessLevelRequiredForCreate");
        writer.WriteStartArray("buttons");
        writer.WriteEndArray();
        writer.WriteStartArray("columns");
        foreach (var column in columns)
        {
            writer.WriteStartObject();
            writer.WriteString("field", $"{child.Child.Name}.{column.Name}");
            writer.WriteString("fieldApiName", column.Name);
            writer.WriteNull("format");
            writer.WriteString("label", column.Label ?? OrgSchema.LabelOf(column.Name));
            writer.WriteString("lookupId", column.NameField ? "Id" : null);
            writer.WriteString("name", column.Name);
            writer.WriteBoolean("sortable", true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("custom", child.Child.Custom);
        writer.WriteString("field", child.Field.Name);
        writer.WriteString("label", child.Child.LabelPlural);
        writer.WriteNumber("limitRows", 5);
        writer.WriteString("name", child.RelationshipName);
        writer.WriteString("sobject", child.Child.Name);
        writer.WriteStartArray("sort");
        writer.WriteStartObject();
        writer.WriteBoolean("ascending", false);
        writer.WriteString("column", "CreatedDate");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A RecordTypeMapping of the master record type to the layout, with its picklists' values.</summary>
    private static void WriteRecordTypeMapping(Utf8JsonWriter writer, RequestContext context, ObjectSchema obj)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("active", true);
        writer.WriteBoolean("available", true);
        writer.WriteBoolean("defaultRecordTypeMapping", true);
        writer.WriteString("developerName", "Master");
        writer.WriteString("layoutId", LayoutId(context.Org, obj));
        writer.WriteBoolean("master", true);
        writer.WriteString("name", "Master");
        writer.WriteStartArray("picklistsForRecordType");
        foreach (var field in obj.Fields.Where(f => f.Type is FieldType.Picklist or FieldType.MultiPicklist))
        {
            writer.WriteStartObject();
            writer.WriteString("picklistName", field.Name);
            DescribeJson.WritePicklistValues(writer, field);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("recordTypeId", MasterRecordTypeId);
        writer.WriteStartObject("urls");
        writer.WriteString("layout", $"{context.VersionPath}/sobjects/{obj.Name}/describe/layouts/{MasterRecordTypeId}");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>GET /sobjects/{type}/describe/compactLayouts</c>: <c>{compactLayouts, defaultCompactLayoutId,
    /// recordTypeCompactLayoutMappings}</c>; without custom compact layouts the ids are null.
    /// </summary>
    private static EmulatorResponse CompactLayouts(RequestContext context)
    {
        var obj = RequireLayoutable(context, context["type"]);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("compactLayouts");
            WriteCompactLayout(writer, obj);
            writer.WriteEndArray();
            writer.WriteNull("defaultCompactLayoutId");
            writer.WriteStartArray("recordTypeCompactLayoutMappings");
            writer.WriteStartObject();
            writer.WriteBoolean("available", true);
            writer.WriteNull("compactLayoutId");
            writer.WriteString("compactLayoutName", "SYSTEM");
            writer.WriteString("recordTypeId", MasterRecordTypeId);
            writer.WriteString("recordTypeName", "Master");
            writer.WriteStartObject("urls");
            writer.WriteString("compactLayout", $"{context.VersionPath}/sobjects/{obj.Name}/describe/compactLayouts/{MasterRecordTypeId}");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET /sobjects/{type}/describe/compactLayouts/primary</c> (or the master record type's id, the mapping's URL):
    /// the one compact layout.
    /// </summary>
    private static EmulatorResponse CompactLayout(RequestContext context)
    {
        var obj = RequireLayoutable(context, context["type"]);
        var name = context["name"];
        if (!name.Equals("primary", StringComparison.OrdinalIgnoreCase) && !(RecordIds.IsValid(name) && RecordIds.Normalize(name) == MasterRecordTypeId))
        {
            throw ApiException.NotFound();
        }

        return EmulatorResponse.Json(200, writer => WriteCompactLayout(writer, obj));
    }

    /// <summary>
    /// <c>GET /compactLayouts?q=Account,Contact</c>: an object keyed by object name, each the object's primary compact
    /// layout. Without <c>q</c>, or with more than 100 objects, 400 INVALID_QUERY_PARAMETER (the guide documents no
    /// answer); an unknown or non-layoutable object is 404 NOT_FOUND.
    /// </summary>
    private static EmulatorResponse CompactLayoutsOfObjects(RequestContext context)
    {
        var names = (context.Request.QueryValue("q") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length is 0 or > MaxCompactLayoutObjects)
        {
            throw new ApiException(400, "INVALID_QUERY_PARAMETER", $"The q parameter must name between 1 and {MaxCompactLayoutObjects} objects, separated by commas");
        }

        var objects = names.Select(n => RequireLayoutable(context, n)).DistinctBy(o => o.Name).ToList();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            foreach (var obj in objects)
            {
                writer.WritePropertyName(obj.Name);
                WriteCompactLayout(writer, obj);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>The system default DescribeCompactLayout: <c>id</c> null, name SYSTEM, the name field and key fields.</summary>
    private static void WriteCompactLayout(Utf8JsonWriter writer, ObjectSchema obj)
    {
        var names = new[] { obj.NameField?.Name ?? "Id" }.Concat(CompactFields.GetValueOrDefault(obj.Name) ?? ["OwnerId"]);
        var fields = names.Distinct(StringComparer.OrdinalIgnoreCase).Select(obj.Field).OfType<FieldDefinition>().ToList();
        writer.WriteStartObject();
        writer.WriteStartArray("actions");
        writer.WriteEndArray();
        writer.WriteStartArray("fieldItems");
        var tabOrder = 0;
        foreach (var field in fields)
        {
            WriteItem(writer, field, obj, edit: false, ++tabOrder);
        }

        writer.WriteEndArray();
        writer.WriteNull("id");
        writer.WriteStartArray("imageItems");
        writer.WriteEndArray();
        writer.WriteString("label", "System Default");
        writer.WriteString("name", "SYSTEM");
        writer.WriteString("objectType", obj.Name);
        writer.WriteEndObject();
    }
}
