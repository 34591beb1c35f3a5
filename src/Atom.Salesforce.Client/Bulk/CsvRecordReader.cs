using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// Turns Bulk query CSV rows into <typeparamref name="T"/>: an <see cref="SObject"/> holding every column (empty cells are null,
/// relationship columns keep their dotted name, so <c>Get("Account.Name")</c> works), or a POCO whose properties match column
/// names (case-insensitive) and are converted from Salesforce's formats. Columns without a matching property are skipped.
/// </summary>
internal sealed class CsvRecordReader<T>
{
    private readonly string _sObjectType;
    private readonly string[] _header;
    private readonly JsonTypeInfo? _info;
    private readonly JsonPropertyInfo?[]? _properties;

    public CsvRecordReader(SalesforceSerializer serializer, string sObjectType, string[] header)
    {
        _sObjectType = sObjectType;
        _header = header;
        if (typeof(T) == typeof(SObject))
        {
            return;
        }

        _info = serializer.ReadOptions.GetTypeInfo(typeof(T));
        if (_info.Kind != JsonTypeInfoKind.Object || _info.CreateObject is null)
        {
            throw new NotSupportedException($"Bulk query rows can be read as SObject or as a class with a parameterless constructor, not as {typeof(T).Name}.");
        }

        _properties = header.Select(column => _info.Properties.FirstOrDefault(p =>
            p.Set is not null && CsvValues.IsScalar(p.PropertyType) && string.Equals(p.Name, column, StringComparison.OrdinalIgnoreCase))).ToArray();
    }

    public T Read(string[] row)
    {
        if (_properties is null)
        {
            var record = new SObject(_sObjectType, _header.Length);
            for (var i = 0; i < _header.Length && i < row.Length; i++)
            {
                if (string.Equals(_header[i], "Id", StringComparison.OrdinalIgnoreCase))
                {
                    record.Id = row[i].Length == 0 ? null : row[i];
                }
                else
                {
                    record.SetRead(_header[i], row[i].Length == 0 ? null : row[i]);
                }
            }

            record.TrackChanges();
            return (T)(object)record;
        }

        var value = _info!.CreateObject!();
        for (var i = 0; i < _properties.Length && i < row.Length; i++)
        {
            if (_properties[i] is { } property)
            {
                property.Set!(value, CsvValues.Parse(row[i], property.PropertyType, _header[i]));
            }
        }

        return (T)value;
    }
}
