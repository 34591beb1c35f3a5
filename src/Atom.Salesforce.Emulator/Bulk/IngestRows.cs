using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator.Bulk;

/// <summary>One processed row: the values as uploaded, the record id (or null), whether it was created, and its error.</summary>
internal sealed record IngestRowResult(string[] Row, string? Id, bool Created, ApiError? Error);

/// <summary>
/// The row processing of a bulk ingest, shared by Bulk API 2.0 jobs and Bulk API 1.0 batches: each row is validated and
/// saved by the org's rules as the operation says (insert, update, upsert on an external id or Id, delete, hardDelete),
/// and a failing row gets its error without stopping the others.
/// </summary>
internal static class IngestRows
{
    /// <summary>
    /// Processes the rows under the header. When a header column names no field (or no parent external id),
    /// nothing is processed and <paramref name="badColumn"/> names it.
    /// </summary>
    public static List<IngestRowResult> Run(Org org, ObjectSchema schema, string operation, string? externalIdFieldName, string[] header, IEnumerable<string[]> rows, out string? badColumn)
    {
        badColumn = null;
        var results = new List<IngestRowResult>();
        var columns = new List<Column>();
        foreach (var name in header)
        {
            if (Column.TryCreate(schema, org.Schema, name, out var column))
            {
                columns.Add(column);
            }
            else
            {
                badColumn = name;
                return results;
            }
        }

        foreach (var row in rows)
        {
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }

            try
            {
                if (row.Length != columns.Count)
                {
                    throw new ApiException(400, "INVALID_FIELD", $"Row has {row.Length} values but the header has {columns.Count} columns");
                }

                var (id, created) = ProcessRow(org, schema, operation, externalIdFieldName, columns, row);
                results.Add(new IngestRowResult(row, id, created, null));
            }
            catch (ApiException e)
            {
                results.Add(new IngestRowResult(row, RowId(columns, row), false, e.Errors[0]));
            }
        }

        return results;
    }

    /// <summary>The external-id field an upsert job names (an external id field or Id), or null when it names none.</summary>
    public static FieldDefinition? UpsertKey(ObjectSchema schema, string? externalIdFieldName) =>
        externalIdFieldName is not null && schema.Field(externalIdFieldName) is { } field && (field.ExternalId || field.Type == FieldType.Id) ? field : null;

    /// <summary>
    /// The <c>sf__Error</c> cell as Salesforce writes it: <c>CODE:message:fields --</c>, for example
    /// <c>REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --</c> (jsforce's end-to-end test against a
    /// real org, <c>test/bulk2.test.ts</c>), and <c>CODE:message:--</c> when the error names no field
    /// (<c>ENTITY_IS_DELETED:entity is deleted:--</c>, seen in several clients' recorded results). How Salesforce
    /// separates several fields is not documented; a comma is the emulator's guess.
    /// </summary>
    public static string ErrorCell(ApiError error) =>
        $"{error.ErrorCode}:{error.Message}:{(error.Fields is { Count: > 0 } f ? string.Join(",", f) + " " : string.Empty)}--";

    private static (string Id, bool Created) ProcessRow(Org org, ObjectSchema schema, string operation, string? externalIdFieldName, List<Column> columns, string[] row)
    {
        // Sized for the row up front: growing it row after row was most of a job's allocations.
        var values = new Dictionary<string, object?>(columns.Count, StringComparer.OrdinalIgnoreCase);
        string? id = null;
        for (var i = 0; i < columns.Count; i++)
        {
            var raw = row[i];
            var column = columns[i];
            if (raw.Length == 0)
            {
                continue; // An empty value is ignored.
            }

            if (column.Field.Type == FieldType.Id)
            {
                id = raw;
                continue;
            }

            values[column.Field.Name] = raw == "#N/A" ? null : column.Read(org, raw);
        }

        switch (operation)
        {
            case "insert":
                return (org.Create(schema, values), true);
            case "update":
                org.Update(schema, id ?? throw new ApiException(400, "MISSING_ARGUMENT", "Id not specified in an update call", "Id"), values);
                return (org.Find(id)!.Id, false);
            case "upsert":
                var key = schema.Field(externalIdFieldName!)!;
                if (key.Type == FieldType.Id)
                {
                    if (id is null)
                    {
                        return (org.Create(schema, values), true);
                    }

                    org.Update(schema, id, values);
                    return (org.Find(id)!.Id, false);
                }

                if (!values.TryGetValue(key.Name, out var keyValue) || keyValue is null)
                {
                    throw new ApiException(400, "MISSING_ARGUMENT", $"{key.Name} not specified", key.Name);
                }

                lock (org.SyncRoot)
                {
                    var matches = org.FindBy(schema, key, keyValue);
                    switch (matches.Count)
                    {
                        case 0:
                            return (org.Create(schema, values), true);
                        case 1:
                            values.Remove(key.Name);
                            org.Update(schema, matches[0].Id, values);
                            return (matches[0].Id, false);
                        default:
                            // Salesforce names the field by its label: "DUPLICATE_EXTERNAL_ID:CIS Account Number: more than one
                            // record found for external id field: [...]" (recorded in clients' error handling; the
                            // DUPLICATE_EXTERNAL_ID code is in the SOAP API's StatusCode list).
                            throw new ApiException(400, "DUPLICATE_EXTERNAL_ID", $"{key.Label ?? OrgSchema.LabelOf(key.Name)}: more than one record found for external id field: [{string.Join(", ", matches.Select(m => m.Id))}]", key.Name);
                    }
                }

            default:
                var target = org.Find(id ?? throw new ApiException(400, "MISSING_ARGUMENT", "Id not specified in a delete call", "Id"));
                if (target is null || target.Schema != schema)
                {
                    throw new ApiException(400, RecordIds.IsValid(id) ? "INVALID_CROSS_REFERENCE_KEY" : "MALFORMED_ID", RecordIds.IsValid(id) ? "invalid cross reference id" : $"malformed id {id}");
                }

                org.Delete(schema, target.Id);
                return (target.Id, false);
        }
    }

    private static string? RowId(List<Column> columns, string[] row)
    {
        var index = columns.FindIndex(c => c.Field.Type == FieldType.Id);
        return index >= 0 && index < row.Length && RecordIds.IsValid(row[index]) ? RecordIds.Normalize(row[index]) : null;
    }

    /// <summary>A CSV column: a field, or a parent's external id (<c>Account.Ext_Id__c</c>) that names the lookup's target.</summary>
    internal sealed class Column
    {
        private Column(FieldDefinition field, ObjectSchema? parent, FieldDefinition? parentKey)
        {
            Field = field;
            Parent = parent;
            ParentKey = parentKey;
        }

        public FieldDefinition Field { get; }

        public ObjectSchema? Parent { get; }

        public FieldDefinition? ParentKey { get; }

        public static bool TryCreate(ObjectSchema schema, OrgSchema org, string name, out Column column)
        {
            column = null!;
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                if (schema.Field(name) is not { } field)
                {
                    return false;
                }

                column = new Column(field, null, null);
                return true;
            }

            if (schema.ParentRelationship(name[..dot]) is not { } lookup || org.Find(lookup.ReferenceTo[0]) is not { } parent
                || parent.Field(name[(dot + 1)..]) is not { } key || !(key.ExternalId || key.Type == FieldType.Id))
            {
                return false;
            }

            column = new Column(lookup, parent, key);
            return true;
        }

        public object? Read(Org org, string raw)
        {
            if (Parent is null)
            {
                return FieldValues.FromText(Field, raw);
            }

            var matches = ParentKey!.Type == FieldType.Id
                ? org.Find(raw) is { IsDeleted: false } found && found.Schema == Parent ? [found] : []
                : org.FindBy(Parent, ParentKey, FieldValues.FromText(ParentKey, raw) ?? raw);
            return matches.Count == 1
                ? matches[0].Id
                : throw new ApiException(400, "INVALID_FIELD", $"Foreign key external ID: {raw} not found for field {ParentKey.Name} in entity {Parent.Name}", Field.Name);
        }
    }
}
