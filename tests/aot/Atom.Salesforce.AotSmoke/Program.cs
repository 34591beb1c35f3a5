// A NativeAOT console app over the SDK, run against the emulator by NativeAotSmokeTests: it queries, gets, creates,
// upserts by external id, runs a Bulk API 2.0 ingest and a Bulk query, subscribes to the Pub/Sub API (the Streaming
// package) and receives the change event of the record it created, and prints one line per step.
//
//   Atom.Salesforce.AotSmoke <instance url> <access token> <pub/sub url> <org id>
using System.Globalization;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Soql;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Atom.Salesforce.AotSmoke <instance url> <access token> <pub/sub url> <org id>");
    return 2;
}

var instance = new Uri(args[0]);
var tokens = new InMemoryTokenStore();

// The identity URL names the org: the Pub/Sub API's tenantid header comes from it.
await tokens.SaveAsync("aot", new SalesforceToken(args[1], instance, DateTimeOffset.UtcNow) { IdentityUrl = new Uri(instance, $"/id/{args[3]}/005Hs00000000001AAA") });
var options = new SalesforceOptions
{
    ClientId = "aot-smoke",
    LoginUrl = instance,
    ApplicationId = "AotSmoke",
    // The record types' metadata, generated at compile time: a NativeAOT app has no reflection-based JSON.
    TypeInfoResolver = SmokeJson.Default,
};

await using var factory = SalesforceClientFactory.Create(options, tokens);
var sf = factory.ForUser("aot");

var id = await sf.SObjects.CreateAsync("Account", new Account { Name = "AOT Smoke", Industry = "Technology", NumberOfEmployees = 42 });
Print("create", id);

var read = await sf.SObjects.GetAsync<Account>("Account", id);
Print("get", read.Id, read.Name, read.Industry, read.NumberOfEmployees);

var upserted = await sf.SObjects.UpsertAsync("Account", "Ext_Id__c", "AOT-EXT-1", new Account { Name = "AOT Upserted" });
Print("upsert", upserted.Id, upserted.Created ? "created" : "updated");

var industry = "Technology";
var typed = SoqlBuilder.From<Account>().Where(a => a.Industry == industry && a.Name == "AOT Smoke").ToString();
var queried = await sf.Query.QueryAsync<Account>(typed).ToListAsync();
Print("query", queried.Count, string.Join('|', queried.Select(a => a.Id)));

var dynamicRows = await sf.Query.QueryAsync<SObject>("SELECT Id, Name FROM Account WHERE Ext_Id__c = 'AOT-EXT-1'").ToListAsync();
Print("query-sobject", dynamicRows.Count, dynamicRows[0].Get<string>("Name"));

var rows = Enumerable.Range(1, 3).Select(i => new Account { Name = $"AOT Bulk {i}", NumberOfEmployees = i }).ToList();
var ingest = await sf.Bulk.IngestAsync("Account", SaveOperation.Insert, rows, new Atom.Salesforce.Client.Bulk.BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
Print("bulk-ingest", ingest.SuccessCount, ingest.FailureCount, string.Join('|', ingest.Results.Select(r => r.Id)));

var bulkRows = await sf.Bulk.QueryAsync<Account>("SELECT Id, Name, NumberOfEmployees FROM Account WHERE Name LIKE 'AOT Bulk %' ORDER BY Name",
    new Atom.Salesforce.Client.Bulk.BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(50) }).ToListAsync();
Print("bulk-query", bulkRows.Count, string.Join('|', bulkRows.Select(a => $"{a.Name}:{a.NumberOfEmployees}")));

// The Streaming package: the first change event of Account from the earliest retained one (the create above), decoded by its
// schema and bound to the app's Account type through the same compile-time JSON metadata.
using (var pubSub = PubSubClientFactory.Create(factory, new PubSubOptions { Endpoint = new Uri(args[2]) }))
using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
{
    await foreach (var received in pubSub.ForUser("aot").SubscribeAsync("/data/AccountChangeEvent", ReplayStart.Earliest, cancellationToken: timeout.Token))
    {
        var change = received.ToChangeEvent<Account>();
        Print("cdc", change.Header.ChangeTypeName, change.Header.EntityName, string.Join('|', change.Header.RecordIds), change.Record.Name, change.Record.NumberOfEmployees);
        break;
    }
}

Console.WriteLine("done");
return 0;

static void Print(string step, params object?[] values) =>
    Console.WriteLine(string.Join(' ', new[] { step }.Concat(values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))));

/// <summary>An Account as this app reads and writes it.</summary>
internal sealed class Account
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Industry { get; set; }

    public int? NumberOfEmployees { get; set; }
}

/// <summary>Compile-time JSON metadata for the app's record types (and the query page that carries them).</summary>
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(QueryResult<Account>))]
internal sealed partial class SmokeJson : JsonSerializerContext;
