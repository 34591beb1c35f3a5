using System.Text.Json;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>
/// What <c>/query</c> answers besides records: <c>?explain=</c> (a query plan) and <c>?q=...&amp;columns=true</c> (the
/// column metadata command-line tools read before they print a result).
/// </summary>
internal static class QueryMetadata
{
    /// <summary>
    /// <c>GET /query?explain=SOQL</c> (RESTMD <c>resources_query_performance_feedback</c>, formerly
    /// <c>dome_query_explain</c>, "Query Performance Feedback", API 30.0+):
    /// <c>{"plans": [{cardinality, fields, leadingOperationType, notes, relativeCost, sobjectCardinality, sobjectType}]}</c>,
    /// the shape jsforce's and the Salesforce VS Code extensions' explain types read. The emulator has no indexes and no
    /// optimizer, so it offers one plan, a <c>TableScan</c>: <c>cardinality</c> is the number of rows the query keeps,
    /// <c>sobjectCardinality</c> the object's rows, and <c>relativeCost</c> the fraction of rows kept (Salesforce's
    /// cost formula is not published; only "a cost above 1 is not selective" is documented). An invalid query string is
    /// refused as the query itself would be (the page documents MALFORMED_QUERY for it; whether Salesforce's explain
    /// also answers INVALID_FIELD / INVALID_TYPE for unknown names, as the emulator does, is not documented). Report
    /// and list view ids are accepted by Salesforce's explain; the emulator has neither, so an id is answered as the
    /// page documents an invalid one: <c>INVALID_ID</c> (the message is the emulator's).
    /// </summary>
    public static EmulatorResponse Explain(RequestContext context, string soql)
    {
        if (soql.Trim() is { Length: 15 or 18 } id && id.All(char.IsAsciiLetterOrDigit))
        {
            throw new ApiException(400, "INVALID_ID", $"invalid report or list view id: {id}");
        }

        var query = QueryCompiler.Parse(soql);
        var result = QueryCompiler.Run(context.Org, query, soql, includeDeleted: false, context.UserId, extraFilter: null);
        var obj = context.Org.RequireObject(query.From.ObjectType);
        var all = context.Org.Records(obj).Count;
        var kept = result.Aggregates is null && !result.CountOnly ? result.Rows.Length : result.TotalSize;
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("plans");
            writer.WriteStartObject();
            writer.WriteNumber("cardinality", kept);
            writer.WriteStartArray("fields");
            writer.WriteEndArray();
            writer.WriteString("leadingOperationType", "TableScan");
            writer.WriteStartArray("notes");
            writer.WriteEndArray();
            writer.WriteNumber("relativeCost", all == 0 ? 0.0 : Math.Round((double)Math.Min(kept, all) / all, 4));
            writer.WriteNumber("sobjectCardinality", all);
            writer.WriteString("sobjectType", obj.Name);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET /query?q=SOQL&amp;columns=true</c>: not in the REST reference, but what the Salesforce CLI's
    /// <c>sf data query</c> calls before every query (plugin-data <c>retrieveColumns</c>, which reads
    /// <c>columnMetadata[].columnName</c>, <c>joinColumns</c>, <c>aggregate</c> and <c>displayName</c>). The answer holds
    /// the columns and no records: <c>{columnMetadata, entityName, groupBy, idSelected, keyPrefix}</c>; each column has
    /// <c>aggregate, apexType, booleanType, columnName, custom, displayName, foreignKeyName, insertable, joinColumns,
    /// numberType, textType, updatable</c>. A parent relationship is a column whose <c>joinColumns</c> are the parent's
    /// fields; a child subquery is an <c>aggregate</c> column with join columns; an aggregate function is an
    /// <c>aggregate</c> column without. The exact <c>apexType</c> and <c>foreignKeyName</c> values Salesforce gives for
    /// relationship columns are not documented; the emulator gives the parent's object name and null.
    /// </summary>
    public static EmulatorResponse Columns(RequestContext context, string soql)
    {
        var query = QueryCompiler.Parse(soql);
        var result = QueryCompiler.Run(context.Org, query, soql, includeDeleted: false, context.UserId, extraFilter: null);
        var obj = context.Org.RequireObject(query.From.ObjectType);
        return EmulatorResponse.Json(200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columnMetadata");
            if (result.Selection is { } selection)
            {
                WriteColumns(writer, selection.Nodes);
            }
            else if (result.Aggregates is { } aggregates)
            {
                for (var i = 0; i < aggregates.Names.Count; i++)
                {
                    WriteColumn(writer, aggregates.Names[i], aggregates.Names[i], aggregates.Formats[i], aggregate: true, apexType: null, join: null);
                }
            }

            writer.WriteEndArray();
            writer.WriteString("entityName", obj.Name);
            writer.WriteBoolean("groupBy", query.GroupBy is not null);
            writer.WriteBoolean("idSelected", result.Selection?.Nodes.Any(n => n is ValueNode { Name: "Id" }) == true);
            writer.WriteString("keyPrefix", obj.KeyPrefix);
            writer.WriteEndObject();
        });
    }

    private static void WriteColumns(Utf8JsonWriter writer, IReadOnlyList<SelectNode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case ValueNode value:
                    var field = value.Path.Field;
                    WriteColumn(writer, node.Name, node.Name, field, aggregate: false, apexType: value.Path.IsType ? "String" : ApexType(field), join: null);
                    break;
                case ParentNode parent:
                    WriteColumn(writer, node.Name, node.Name, null, aggregate: false, apexType: parent.Hop.Targets[0].Name, join: parent.Children);
                    break;
                case ChildNode child:
                    WriteColumn(writer, node.Name, node.Name, null, aggregate: true, apexType: null, join: child.Query.Selection.Nodes);
                    break;
                default:
                    WriteColumn(writer, node.Name, node.Name, null, aggregate: false, apexType: null, join: null);
                    break;
            }
        }
    }

    private static void WriteColumn(Utf8JsonWriter writer, string name, string display, FieldDefinition? field, bool aggregate, string? apexType, IReadOnlyList<SelectNode>? join)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("aggregate", aggregate);
        if (apexType is null && aggregate && field is not null)
        {
            apexType = ApexType(field);
        }

        if (apexType is null)
        {
            writer.WriteNull("apexType");
        }
        else
        {
            writer.WriteString("apexType", apexType);
        }

        writer.WriteBoolean("booleanType", field?.Type == FieldType.Boolean);
        writer.WriteString("columnName", name);
        writer.WriteBoolean("custom", field?.Custom == true);
        writer.WriteString("displayName", display);
        writer.WriteNull("foreignKeyName");
        writer.WriteBoolean("insertable", field is { Createable: true, Calculated: false } && !aggregate);
        writer.WriteStartArray("joinColumns");
        if (join is not null)
        {
            WriteColumns(writer, join);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("numberType", field?.Type is FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent);
        writer.WriteBoolean("textType", field?.Type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.MultiPicklist);
        writer.WriteBoolean("updatable", field is { Updateable: true, Calculated: false } && !aggregate);
        writer.WriteEndObject();
    }

    /// <summary>The Apex type of a field's values (Apex Developer Guide, "Primitive Data Types").</summary>
    private static string? ApexType(FieldDefinition? field) => field?.Type switch
    {
        null => null,
        FieldType.Id or FieldType.Reference => "Id",
        FieldType.Boolean => "Boolean",
        FieldType.Int => "Integer",
        FieldType.Double or FieldType.Percent => "Double",
        FieldType.Currency => "Decimal",
        FieldType.Date => "Date",
        FieldType.DateTime => "Datetime",
        FieldType.Time => "Time",
        _ => "String",
    };
}
