using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

// The floor of the cold-start benchmark: what any program pays to connect and page 10,000 records with no SDK at all.
// Arguments: the fake org's base URL. Prints one line the runner parses (see ColdStartReport in the runner).
var main = Stopwatch.GetTimestamp();
var instance = new Uri(args[0]);

// "Connect": the HttpClient and the token a real app would have stored.
using var http = new HttpClient { BaseAddress = instance };
var token = "00DCOLD!floor-token";
var ready = Stopwatch.GetTimestamp();
var readyJit = System.Runtime.JitInfo.GetCompiledMethodCount();

var count = 0;
string? next = "/services/data/v66.0/query?q=SELECT+Id,Name,StageName,Amount,Probability,CloseDate,IsClosed,CreatedDate,LeadSource,Account.Name+FROM+Opportunity";
while (next is not null)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, next);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    var page = await JsonSerializer.DeserializeAsync(stream, FloorJson.Default.RawPage);
    count += page!.Records.Count;
    next = page.Done ? null : page.NextRecordsUrl;
}

var paged = Stopwatch.GetTimestamp();
Console.WriteLine(
    $"coldstart records={count} main={main} ready={ready} paged={paged} ready_jit={readyJit} " +
    $"jit={System.Runtime.JitInfo.GetCompiledMethodCount()} jit_ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F1} " +
    $"assemblies={AppDomain.CurrentDomain.GetAssemblies().Length}");
return count == 10_000 ? 0 : 1;

/// <summary>An Opportunity as plain System.Text.Json reads it (the datetime kept as text: STJ refuses Salesforce's +0000).</summary>
internal sealed class RawOpportunity
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? StageName { get; set; }
    public decimal? Amount { get; set; }
    public double? Probability { get; set; }
    public DateOnly? CloseDate { get; set; }
    public bool IsClosed { get; set; }
    public string? CreatedDate { get; set; }
    public string? LeadSource { get; set; }
    public RawAccount? Account { get; set; }
}

/// <summary>The parent relationship.</summary>
internal sealed class RawAccount
{
    public string? Name { get; set; }
}

/// <summary>One query page.</summary>
internal sealed class RawPage
{
    [JsonPropertyName("totalSize")] public int TotalSize { get; set; }
    [JsonPropertyName("done")] public bool Done { get; set; }
    [JsonPropertyName("nextRecordsUrl")] public string? NextRecordsUrl { get; set; }
    [JsonPropertyName("records")] public List<RawOpportunity> Records { get; set; } = [];
}

/// <summary>Source-generated metadata: no reflection, as a performance-minded program would have it.</summary>
[JsonSerializable(typeof(RawPage))]
internal sealed partial class FloorJson : JsonSerializerContext;
