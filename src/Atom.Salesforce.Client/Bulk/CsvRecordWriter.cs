using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// Turns records into CSV rows for an ingest job. POCOs give a column per scalar property (a null property is an empty cell,
/// which leaves the field alone, unless it is marked <c>[JsonIgnore(Condition = JsonIgnoreCondition.Never)]</c>, which sends
/// <c>#N/A</c> and clears it). <see cref="SObject"/>s give a column per field they send (a field set to null is <c>#N/A</c>; a
/// field not set is an empty cell); a nested <see cref="SObject"/> becomes <c>Relationship.Field</c> columns.
/// </summary>
internal sealed class CsvRecordWriter
{
    private static readonly HashSet<string> SystemFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "attributes", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
        "IsDeleted", "LastViewedDate", "LastReferencedDate",
    };

    private readonly SalesforceSerializer _serializer;
    private readonly SaveOperation _operation;
    private readonly IReadOnlyList<string>? _fixedColumns;
    private Type? _pocoType;
    private List<PocoColumn>? _pocoColumns;

    public CsvRecordWriter(SalesforceSerializer serializer, SaveOperation operation, IReadOnlyList<string>? columns)
    {
        _serializer = serializer;
        _operation = operation;
        _fixedColumns = columns;
    }

    /// <summary>The columns for a piece that starts with <paramref name="first"/>.</summary>
    public List<string> ColumnsFor(object first)
    {
        if (_operation.OnlyIdColumn)
        {
            return ["Id"];
        }

        if (_fixedColumns is not null)
        {
            return _operation.NeedsIdColumn && !_fixedColumns.Contains("Id", StringComparer.OrdinalIgnoreCase) ? ["Id", .. _fixedColumns] : [.. _fixedColumns];
        }

        var columns = new List<string>();
        if (_operation.NeedsIdColumn)
        {
            columns.Add("Id");
        }

        if (first is SObject record)
        {
            foreach (var name in record.FieldsToSend)
            {
                if (record[name] is SObject parent)
                {
                    columns.AddRange(parent.FieldsToSend.Select(f => name + "." + f));
                }
                else if (!string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase))
                {
                    columns.Add(name);
                }
            }
        }
        else
        {
            columns.AddRange(PocoColumns(first.GetType()).Select(c => c.Name));
            if (_operation.NeedsIdColumn && Composite.RecordJson.IdOf(_serializer, first) is null && !HasIdProperty(first.GetType()))
            {
                throw CallerArgument.Invalid($"A {_operation} needs the record id; {first.GetType().Name} has no Id property.", "records");
            }
        }

        return columns;
    }

    /// <summary>True when <paramref name="record"/> holds a value no column of <paramref name="columns"/> can carry.</summary>
    public bool NeedsNewColumns(object record, HashSet<string> columns)
    {
        if (_fixedColumns is not null || _operation.OnlyIdColumn || record is not SObject sObject)
        {
            return false;
        }

        foreach (var name in sObject.FieldsToSend)
        {
            if (sObject[name] is SObject parent)
            {
                if (parent.FieldsToSend.Any(f => !columns.Contains(name + "." + f)))
                {
                    return true;
                }
            }
            else if (!columns.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the cell values of <paramref name="record"/> for <paramref name="columns"/> into <paramref name="cells"/>.</summary>
    public void Cells(object record, List<string> columns, string[] cells)
    {
        if (record is SObject sObject)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                cells[i] = SObjectCell(sObject, columns[i]);
            }

            return;
        }

        var pocoColumns = PocoColumns(record.GetType());
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], "Id", StringComparison.OrdinalIgnoreCase))
            {
                cells[i] = Composite.RecordJson.IdOf(_serializer, record) ?? string.Empty;
                continue;
            }

            var column = pocoColumns.Find(c => string.Equals(c.Name, columns[i], StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                cells[i] = string.Empty;
                continue;
            }

            var value = column.Property.Get!(record);
            cells[i] = value is null ? (column.SendNull ? CsvValues.Null : string.Empty) : CsvValues.Format(value);
        }
    }

    private static string SObjectCell(SObject record, string column)
    {
        if (string.Equals(column, "Id", StringComparison.OrdinalIgnoreCase))
        {
            return record.Id ?? string.Empty;
        }

        var dot = column.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && record[column[..dot]] is SObject parent)
        {
            return SObjectCell(parent, column[(dot + 1)..]);
        }

        if (!record.Contains(column) || !record.ShouldSend(column))
        {
            return string.Empty;
        }

        return record[column] is { } value ? CsvValues.Format(value) : CsvValues.Null;
    }

    private List<PocoColumn> PocoColumns(Type type)
    {
        if (_pocoType == type && _pocoColumns is not null)
        {
            return _pocoColumns;
        }

        var info = _serializer.ReadOptions.GetTypeInfo(type);
        var columns = new List<PocoColumn>();
        if (info.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in info.Properties)
            {
                if (property.Get is null || !CsvValues.IsScalar(property.PropertyType))
                {
                    continue;
                }

                if (SystemFields.Contains(property.Name))
                {
                    continue; // Id, when needed, is the first column (ColumnsFor)
                }

                var never = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                    .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.Never) ?? false;
                columns.Add(new PocoColumn(property.Name, property, never));
            }
        }

        _pocoType = type;
        _pocoColumns = columns;
        return columns;
    }

    private bool HasIdProperty(Type type)
    {
        var info = _serializer.ReadOptions.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Object && info.Properties.Any(p => p.Get is not null && string.Equals(p.Name, "Id", StringComparison.OrdinalIgnoreCase));
    }

    private sealed record PocoColumn(string Name, JsonPropertyInfo Property, bool SendNull);
}
