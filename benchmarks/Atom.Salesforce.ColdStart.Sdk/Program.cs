using System.Diagnostics;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Query;
using Microsoft.Extensions.DependencyInjection;

// The SDK side of the cold-start benchmark. Arguments: `di` or `nodi`, then the fake org's base URL. Prints the same line
// as the floor (see ColdStartReport in the runner).
var main = Stopwatch.GetTimestamp();
var mode = args[0];
var instance = new Uri(args[1]);
var token = new SalesforceToken("00DCOLD!sdk-token", instance, DateTimeOffset.UtcNow);

// The container's types are named only in ContainerClient, so that the `nodi` process never loads them.
IAsyncDisposable owner;
SalesforceClient client;
if (mode == "di")
{
    (client, owner) = await ContainerClient.CreateAsync(instance, token);
}
else
{
    var tokens = new InMemoryTokenStore();
    await tokens.SaveAsync("cold", token);
    var standalone = SalesforceClientFactory.Create(
        new SalesforceOptions { ClientId = "coldstart", LoginUrl = instance, TypeInfoResolver = SdkJson.Default }, tokens);
    client = standalone.ForUser("cold");
    owner = standalone;
}

var ready = Stopwatch.GetTimestamp();
var readyJit = System.Runtime.JitInfo.GetCompiledMethodCount();

var count = 0;
await foreach (var opportunity in client.Query.QueryAsync<Opportunity>(
    "SELECT Id, Name, StageName, Amount, Probability, CloseDate, IsClosed, CreatedDate, LeadSource, Account.Name FROM Opportunity"))
{
    count++;
}

var paged = Stopwatch.GetTimestamp();
Console.WriteLine(
    $"coldstart records={count} main={main} ready={ready} paged={paged} ready_jit={readyJit} " +
    $"jit={System.Runtime.JitInfo.GetCompiledMethodCount()} jit_ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F1} " +
    $"assemblies={AppDomain.CurrentDomain.GetAssemblies().Length}");
await owner.DisposeAsync();
return count == 10_000 ? 0 : 1;

/// <summary>The `di` client: <c>AddAtomSalesforce</c>, a built container, the token stored through its store.</summary>
internal static class ContainerClient
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static async Task<(SalesforceClient Client, IAsyncDisposable Owner)> CreateAsync(Uri instance, SalesforceToken token)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "coldstart";
            o.LoginUrl = instance;
            o.TypeInfoResolver = SdkJson.Default;
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("cold", token);
        return (provider.GetRequiredService<ISalesforceClientFactory>().ForUser("cold"), provider);
    }
}

/// <summary>The record as a user writes it for the SDK.</summary>
internal sealed class Opportunity
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? StageName { get; set; }
    public decimal? Amount { get; set; }
    public double? Probability { get; set; }
    public DateOnly? CloseDate { get; set; }
    public bool IsClosed { get; set; }
    public DateTimeOffset? CreatedDate { get; set; }
    public string? LeadSource { get; set; }
    public AccountRef? Account { get; set; }
}

/// <summary>The parent relationship.</summary>
internal sealed class AccountRef
{
    public string? Name { get; set; }
}

/// <summary>Source-generated metadata for the record type, as the floor has for its own (and as NativeAOT requires).</summary>
[JsonSerializable(typeof(Opportunity))]
[JsonSerializable(typeof(QueryResult<Opportunity>))]
internal sealed partial class SdkJson : JsonSerializerContext;
