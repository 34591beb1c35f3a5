using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Soql;

namespace Atom.Salesforce.Client.AspNetCore.Records;

/// <summary>
/// Checks what a request says about fields against the object's describe: <c>fields</c> must be real fields, <c>query</c> must
/// pass <see cref="SoqlFilter"/> on the filterable fields, and record data may only set fields the user can create or update.
/// What goes to Salesforce is always the describe's spelling, never the caller's text.
/// </summary>
internal static class FieldGuard
{
    /// <summary>The requested fields in the describe's spelling, or the defaults that exist; Id always first.</summary>
    public static List<string> SelectFields(SObjectDescribe describe, IReadOnlyList<string>? requested, IReadOnlyList<string> defaults)
    {
        var fields = new List<string> { "Id" };
        if (requested is null || requested.Count == 0)
        {
            fields.AddRange(defaults.Select(f => describe.FindField(f)?.Name).OfType<string>().Where(f => f != "Id"));
            return fields;
        }

        foreach (var name in requested)
        {
            var field = describe.FindField(name)
                ?? throw EndpointError.Validation(EndpointErrorCodes.InvalidField, $"'{RequestBody.Excerpt(name)}' is not a field of {describe.Name}.");
            if (!fields.Contains(field.Name, StringComparer.OrdinalIgnoreCase))
            {
                fields.Add(field.Name);
            }
        }

        return fields;
    }

    /// <summary>A real field of the object, in the describe's spelling.</summary>
    public static string Field(SObjectDescribe describe, string name, string property) =>
        describe.FindField(name)?.Name
        ?? throw EndpointError.Validation(EndpointErrorCodes.InvalidField, $"'{property}': '{RequestBody.Excerpt(name)}' is not a field of {describe.Name}.");

    /// <summary>
    /// <c>SELECT fields FROM object [WHERE base]</c> with the caller's condition ANDed in after the SoqlFilter guard, and LIMIT.
    /// </summary>
    public static string BuildQuery(SObjectDescribe describe, IReadOnlyList<string> fields, string? baseCondition, string? userCondition, int limit)
    {
        var text = $"SELECT {string.Join(", ", fields)} FROM {describe.Name}" + (baseCondition is null ? string.Empty : " WHERE " + baseCondition);
        var query = SoqlQuery.Parse(text);
        if (!string.IsNullOrWhiteSpace(userCondition))
        {
            var filterable = describe.Fields.Where(f => f.Filterable).Select(f => f.Name).ToList();
            query = new SoqlFilter(filterable).ApplyTo(query, userCondition);
        }

        return (query with { Limit = limit }).ToString();
    }

    /// <summary>A record to create or update from the caller's field values: every field real and writable, every value plain.</summary>
    public static SObject ToRecord(SObjectDescribe describe, JsonElement values, string property, bool forCreate)
    {
        var record = new SObject(describe.Name);
        foreach (var item in values.EnumerateObject())
        {
            var field = describe.FindField(item.Name);
            if (field is null || string.Equals(field.Name, "Id", StringComparison.OrdinalIgnoreCase))
            {
                throw EndpointError.Validation(EndpointErrorCodes.InvalidField, $"'{property}': '{RequestBody.Excerpt(item.Name)}' is not a field of {describe.Name}.");
            }

            if (forCreate ? !field.Createable : !field.Updateable)
            {
                throw EndpointError.Validation(EndpointErrorCodes.InvalidField, $"'{property}': {describe.Name}.{field.Name} cannot be {(forCreate ? "set on create" : "updated")}.");
            }

            record[field.Name] = Value(item.Value, property, field.Name);
        }

        return record;
    }

    private static object? Value(JsonElement value, string property, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (text.Length > 131_072)
                {
                    throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{property}.{field}' is too long.");
                }

                return text;
            case JsonValueKind.Number:
                return value.TryGetInt64(out var whole) ? whole : value.TryGetDecimal(out var number) ? number
                    : throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{property}.{field}' is out of range.");
            default:
                throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"'{property}.{field}' must be a string, number, boolean or null.");
        }
    }

    /// <summary>A record as the response shows it: Id and the fields read, Salesforce's names and values.</summary>
    public static Dictionary<string, object?> ToJson(SObject record)
    {
        var json = new Dictionary<string, object?>(record.FieldCount + 1, StringComparer.Ordinal) { ["Id"] = record.Id };
        foreach (var name in record.FieldNames)
        {
            var value = record[name];
            json[name] = value is SObject nested ? ToJson(nested) : value;
        }

        return json;
    }
}
