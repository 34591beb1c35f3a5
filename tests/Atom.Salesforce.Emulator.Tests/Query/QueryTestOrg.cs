using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>An emulated org with the custom fields the query tests filter on, and helpers to query it through the SDK or raw HTTP.</summary>
internal static class QueryTestOrg
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static SalesforceEmulatorOptions Options(TimeProvider? time = null)
    {
        var options = new SalesforceEmulatorOptions();
        if (time is not null)
        {
            options.TimeProvider = time;
        }

        options.CustomFields["Account"] =
        [
            new FieldDefinition("Tags__c", FieldType.MultiPicklist) { PicklistValues = ["Red", "Green", "Blue"] },
            new FieldDefinition("Score__c", FieldType.Double) { Scale = 2 },
            new FieldDefinition("Active__c", FieldType.Boolean),
        ];
        options.CustomObjects.Add(new SObjectDefinition("Dated__c",
        [
            new FieldDefinition("D__c", FieldType.Date),
            new FieldDefinition("T__c", FieldType.DateTime),
        ]));
        return options;
    }

    public static EmulatedOrg Create(TimeProvider? time = null) => new(Options(time));

    public static Org Data(this EmulatedOrg org) => org.Emulator.Org;

    public static string Seed(this EmulatedOrg org, string type, params (string Field, object? Value)[] values) =>
        org.Data().Seed(type, values.ToDictionary(v => v.Field, v => v.Value, StringComparer.OrdinalIgnoreCase));

    public static async Task<List<SObject>> QueryAsync(this EmulatedOrg org, string soql, QueryOptions? options = null)
    {
        var records = new List<SObject>();
        await foreach (var record in org.Client.Query.QueryAsync<SObject>(soql, options ?? new QueryOptions(), cancellationToken: Ct))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The names of the records a query returns, in order.</summary>
    public static async Task<List<string?>> NamesAsync(this EmulatedOrg org, string soql) =>
        [.. (await org.QueryAsync(soql)).Select(r => r.Get<string>("Name"))];

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(this EmulatedOrg org, string pathAndQuery, string? queryOptions = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (queryOptions is not null)
        {
            request.Headers.TryAddWithoutValidation("Sforce-Query-Options", queryOptions);
        }

        using var response = await org.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> SoqlAsync(this EmulatedOrg org, string soql, string resource = "query") =>
        org.GetAsync($"/services/data/v66.0/{resource}?q={Uri.EscapeDataString(soql)}");

    /// <summary>The error code and message of a refused query.</summary>
    public static async Task<(HttpStatusCode Status, string Code, string Message)> ErrorAsync(this EmulatedOrg org, string soql)
    {
        var (status, body) = await org.SoqlAsync(soql);
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        return (status, body[0].GetProperty("errorCode").GetString()!, body[0].GetProperty("message").GetString()!);
    }
}
