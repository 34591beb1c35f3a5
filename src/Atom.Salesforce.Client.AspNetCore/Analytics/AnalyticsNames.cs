using System.Net;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// Names next to the ids of the analytics answers (<c>owner_name</c> beside <c>owner_id</c>, <c>account_name</c> beside an
/// account), added by the pack to the reports' JSON: a reader sees who and which account without a second request. The
/// names cost one query for the org's users (the query the performance report reads them with) and, for the pipeline's
/// at-risk deals, one for those deals and one for their accounts (200 ids per query), never a call per row. Names are a
/// convenience: when Salesforce refuses one of these reads (no access to User or Account), the report comes without them.
/// </summary>
internal static class AnalyticsNames
{
    private const int IdsPerQuery = 200;

    /// <summary>Every user's name by id, from the route's data source (the org, or the mirror).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> UserNamesAsync(ISalesDataSource source, CancellationToken cancellationToken)
    {
        try
        {
            var data = await source.LoadAsync(SalesDataParts.Users, cancellationToken: cancellationToken).ConfigureAwait(false);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var user in data.Users)
            {
                if (user.Name is { } name)
                {
                    names[user.Id] = name;
                }
            }

            return names;
        }
        catch (SalesforceApiException e) when (Refused(e))
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>The records of <paramref name="sObject"/> with these ids (the fields given, and Id), by id; queried 200 ids at a time.</summary>
    public static async Task<IReadOnlyDictionary<string, SObject>> RecordsAsync(
        SalesforceClient client, string sObject, string fields, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, SObject>(StringComparer.Ordinal);
        // The ids come from Salesforce's own answers; anything that is not a plain id is left out, never quoted into SOQL.
        var wanted = ids.Where(IsId).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            foreach (var chunk in wanted.Chunk(IdsPerQuery))
            {
                var soql = $"SELECT Id, {fields} FROM {sObject} WHERE Id IN ({string.Join(", ", chunk.Select(id => "'" + id + "'"))})";
                await foreach (var record in client.Query.QueryAsync<SObject>(soql, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (record.Id is { } id)
                    {
                        records[id] = record;
                    }
                }
            }
        }
        catch (SalesforceApiException e) when (Refused(e))
        {
            records.Clear();
        }

        return records;
    }

    /// <summary>Adds <paramref name="nameProperty"/> right after <paramref name="idProperty"/> in each item that has the id.</summary>
    public static void AddNames(JsonNode? items, string idProperty, string nameProperty, Func<string, string?> name)
    {
        if (items is not JsonArray array)
        {
            return;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            var id = item[idProperty] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            InsertAfter(item, idProperty, nameProperty, id is null ? null : name(id));
        }
    }

    /// <summary>Sets <paramref name="property"/> just after <paramref name="after"/> (at the end when there is no such property).</summary>
    public static void InsertAfter(JsonObject item, string after, string property, JsonNode? value)
    {
        item.Remove(property);
        var index = item.IndexOf(after);
        if (index < 0)
        {
            item[property] = value;
        }
        else
        {
            item.Insert(index + 1, property, value);
        }
    }

    /// <summary>Every user id's name among <paramref name="users"/>; null for an id that names no user.</summary>
    public static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> users) => id => users.GetValueOrDefault(id);

    private static bool IsId(string id) => id.Length is 15 or 18 && id.All(char.IsAsciiLetterOrDigit);

    private static bool Refused(SalesforceApiException e) => e.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound;
}
