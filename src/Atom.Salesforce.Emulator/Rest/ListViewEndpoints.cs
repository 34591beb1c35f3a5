using System.Globalization;
using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Rest;

/// <summary>
/// List views (REST API Developer Guide, "List Views" <c>resources_listviews.htm</c>, "List View Describe"
/// <c>resources_listviewdescribe.htm</c>, "List View Results" <c>resources_listviewresults.htm</c>, 32.0 and later) and
/// the approval layouts describe (<c>resources_sobject_describe_approvallayouts.htm</c>).
/// Every object that describe calls <c>listviewable</c> has one list view, "All {plural label}" (developer name
/// <c>All{PluralLabel}</c>, as a new org's standard "All Accounts" view): no filter, the name field shown, and Id,
/// CreatedDate, LastModifiedDate and SystemModstamp as hidden columns, ordered by the name field then Id, nulls first, as
/// the guide's examples show a standard view. Other objects have none. An id that names no list view of the object is
/// 404 NOT_FOUND (the guide does not document that answer; NOT_FOUND is Salesforce's 404 for a resource it lacks).
/// The org defines no approval processes, so approval layouts are an empty list.
/// These routes are mapped before <see cref="RestEndpoints"/>, whose <c>/sobjects/{type}/{field}/{value}</c> route would
/// otherwise take <c>/listviews/{id}</c> for an external-id lookup.
/// </summary>
internal static class ListViewEndpoints
{
    /// <summary>List View Results: <c>limit</c> defaults to 25 and may be at most 2,000 (resources_listviewresults.htm).</summary>
    public const int DefaultLimit = 25;

    public const int MaxLimit = 2_000;

    private const string SObject = "/services/data/{version}/sobjects/{type}";

    private static readonly string[] HiddenColumns = ["Id", "CreatedDate", "LastModifiedDate", "SystemModstamp"];

    public static void Map(Router router)
    {
        router.Map("GET", SObject + "/listviews", ListViews);
        router.Map("GET", SObject + "/listviews/{listViewId}", ListView);
        router.Map("GET", SObject + "/listviews/{listViewId}/describe", Describe);
        router.Map("GET", SObject + "/listviews/{listViewId}/results", Results);
        router.Map("GET", SObject + "/describe/approvalLayouts", ApprovalLayouts);
    }

    /// <summary>The object's list view, or null: objects that describe calls listviewable (the writable ones) have one.</summary>
    private static (string Id, string DeveloperName, string Label)? ViewOf(Org org, ObjectSchema obj)
    {
        if (!obj.Writable)
        {
            return null;
        }

        var index = org.Schema.Objects.ToList().IndexOf(obj);
        return (RecordIds.Create("00B", index + 1), "All" + new string(obj.LabelPlural.Where(char.IsLetterOrDigit).ToArray()), "All " + obj.LabelPlural);
    }

    private static (ObjectSchema Obj, string Id, string DeveloperName, string Label) Require(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var view = ViewOf(context.Org, obj);
        var id = context["listViewId"];
        return view is { } v && RecordIds.IsValid(id) && RecordIds.Normalize(id) == v.Id
            ? (obj, v.Id, v.DeveloperName, v.Label)
            : throw ApiException.NotFound();
    }

    /// <summary><c>GET /sobjects/{type}/listviews</c>: <c>{done, listviews, nextRecordsUrl, size, sobjectType}</c>.</summary>
    private static EmulatorResponse ListViews(RequestContext context)
    {
        var obj = context.Org.RequireObject(context["type"]);
        var view = ViewOf(context.Org, obj);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("done", true);
            writer.WriteStartArray("listviews");
            if (view is { } v)
            {
                WriteInfo(writer, context.VersionPath, obj, v.Id, v.DeveloperName, v.Label);
            }

            writer.WriteEndArray();
            writer.WriteNull("nextRecordsUrl");
            writer.WriteNumber("size", view is null ? 0 : 1);
            writer.WriteString("sobjectType", obj.Name);
            writer.WriteEndObject();
        });
    }

    /// <summary><c>GET /sobjects/{type}/listviews/{id}</c>: the view's basic information, as listed.</summary>
    private static EmulatorResponse ListView(RequestContext context)
    {
        var (obj, id, developerName, label) = Require(context);
        return EmulatorResponse.Json(200, writer => WriteInfo(writer, context.VersionPath, obj, id, developerName, label));
    }

    private static void WriteInfo(Utf8JsonWriter writer, string versionPath, ObjectSchema obj, string id, string developerName, string label)
    {
        var url = $"{versionPath}/sobjects/{obj.Name}/listviews/{id}";
        writer.WriteStartObject();
        writer.WriteString("describeUrl", url + "/describe");
        writer.WriteString("developerName", developerName);
        writer.WriteString("id", id);
        writer.WriteString("label", label);
        writer.WriteString("resultsUrl", url + "/results");
        writer.WriteBoolean("soqlCompatible", true);
        writer.WriteString("url", url);
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>GET .../listviews/{id}/describe</c>: <c>{columns, id, orderBy, query, scope, sobjectType, whereCondition}</c>; the
    /// query is the SOQL the view runs (it runs on <c>/query</c> unchanged).
    /// </summary>
    private static EmulatorResponse Describe(RequestContext context)
    {
        var (obj, id, _, _) = Require(context);
        var columns = Columns(obj);
        var name = obj.NameField?.Name ?? "Id";
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            WriteColumns(writer, columns, name);
            writer.WriteString("id", id);
            writer.WriteStartArray("orderBy");
            foreach (var field in new[] { name, "Id" }.Distinct())
            {
                writer.WriteStartObject();
                writer.WriteString("fieldNameOrPath", field);
                writer.WriteString("nullsPosition", "first");
                writer.WriteString("sortDirection", "ascending");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("query", Soql(obj, columns, name));
            writer.WriteString("scope", "everything");
            writer.WriteString("sobjectType", obj.Name);
            writer.WriteStartObject("whereCondition");
            writer.WriteStartArray("conditions");
            writer.WriteEndArray();
            writer.WriteString("conjunction", "and");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET .../listviews/{id}/results?limit=&amp;offset=</c>: <c>{columns, developerName, done, id, label, records, size}</c>,
    /// each record <c>{columns: [{fieldNameOrPath, value}]}</c> in the columns' order, values as strings (or null).
    /// </summary>
    private static EmulatorResponse Results(RequestContext context)
    {
        var (obj, id, developerName, label) = Require(context);
        var limit = Parameter(context, "limit", DefaultLimit, 1, MaxLimit);
        var offset = Parameter(context, "offset", 0, 0, int.MaxValue);
        var columns = Columns(obj);
        var name = obj.NameField?.Name ?? "Id";
        var all = context.Org.Records(obj)
            .OrderBy(r => r[name] is null ? 0 : 1)
            .ThenBy(r => r[name] as string ?? Convert.ToString(r[name], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            WriteColumns(writer, columns, name);
            writer.WriteString("developerName", developerName);
            writer.WriteBoolean("done", offset + page.Count >= all.Count);
            writer.WriteString("id", id);
            writer.WriteString("label", label);
            writer.WriteStartArray("records");
            foreach (var record in page)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("columns");
                foreach (var column in columns)
                {
                    writer.WriteStartObject();
                    writer.WriteString("fieldNameOrPath", column.Name);
                    var value = record[column.Name];
                    if (value is null)
                    {
                        writer.WriteNull("value");
                    }
                    else
                    {
                        writer.WriteString("value", Text(value));
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("size", page.Count);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET /sobjects/{type}/describe/approvalLayouts</c>: <c>{approvalLayouts: [...]}</c>, one per approval process of
    /// the object; the org has none, so the list is empty.
    /// </summary>
    private static EmulatorResponse ApprovalLayouts(RequestContext context)
    {
        context.Org.RequireObject(context["type"]);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("approvalLayouts");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static List<FieldDefinition> Columns(ObjectSchema obj) =>
        [.. new[] { obj.NameField?.Name }.Concat(HiddenColumns).OfType<string>().Distinct().Select(n => obj.Field(n)).OfType<FieldDefinition>()];

    private static string Soql(ObjectSchema obj, List<FieldDefinition> columns, string name) =>
        $"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {obj.Name} ORDER BY {name} ASC NULLS FIRST"
        + (name == "Id" ? string.Empty : ", Id ASC NULLS FIRST");

    /// <summary>The ListViewColumn entries (label, sort labels and type as the guide's examples give them).</summary>
    private static void WriteColumns(Utf8JsonWriter writer, List<FieldDefinition> columns, string sortedBy)
    {
        writer.WriteStartArray("columns");
        foreach (var column in columns)
        {
            var hidden = column.Name != sortedBy && HiddenColumns.Contains(column.Name);
            var isDate = column.Type is FieldType.DateTime or FieldType.Date;
            var sortable = column.Type != FieldType.Id;
            writer.WriteStartObject();
            WriteNullable(writer, "ascendingLabel", !sortable ? null : isDate ? "New to Old" : "Z-A");
            WriteNullable(writer, "descendingLabel", !sortable ? null : isDate ? "Old to New" : "A-Z");
            writer.WriteString("fieldNameOrPath", column.Name);
            writer.WriteBoolean("hidden", hidden);
            writer.WriteString("label", column.Label ?? OrgSchema.LabelOf(column.Name));
            writer.WriteBoolean("searchable", column.Type is FieldType.String);
            writer.WriteString("selectListItem", column.Name);
            WriteNullable(writer, "sortDirection", column.Name == sortedBy ? "ascending" : null);
            if (column.Name == sortedBy)
            {
                writer.WriteNumber("sortIndex", 0);
            }
            else
            {
                writer.WriteNull("sortIndex");
            }

            writer.WriteBoolean("sortable", sortable);
            writer.WriteString("type", column.Type switch
            {
                FieldType.Id => "id",
                FieldType.DateTime => "datetime",
                FieldType.Date => "date",
                _ => "string",
            });
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>
    /// A cell's text. dateTimes as the guide's List View Results example writes them (<c>Fri Aug 01 21:15:46 GMT
    /// 2014</c>); other values in their API form.
    /// </summary>
    private static string Text(object value) => value switch
    {
        DateTimeOffset moment => moment.UtcDateTime.ToString("ddd MMM dd HH:mm:ss 'GMT' yyyy", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static int Parameter(RequestContext context, string name, int fallback, int min, int max)
    {
        var text = context.Request.QueryValue(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ApiException(400, "INVALID_QUERY_PARAMETER", $"Invalid value for {name}: {text}; it must be between {min} and {max}");
    }
}
