using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// One 2,000-record query page, from a stream, as the SDK reads it (into POCOs and into <see cref="SObject"/>) against plain
/// System.Text.Json with reflection metadata.
/// </summary>
[MemoryDiagnoser]
public class DeserializeQueryPageBenchmarks
{
    public const int Records = 2000;

    private static readonly JsonSerializerOptions PlainReflection = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private readonly JsonTypeInfo<QueryResult<Opportunity>> _sdkPoco = SalesforceJsonContext.Serializer.ReadInfo<QueryResult<Opportunity>>();
    private readonly JsonTypeInfo<QueryResult<SObject>> _sdkSObject = SalesforceJsonContext.Serializer.ReadInfo<QueryResult<SObject>>();
    private readonly JsonTypeInfo<QueryResult<Opportunity>> _sdkPocoSourceGenerated =
        new SalesforceSerializer(SalesforceJsonContext.Default, BenchmarkJsonContext.Default).ReadInfo<QueryResult<Opportunity>>();
    private byte[] _page = [];

    [GlobalSetup]
    public void Setup() => _page = QueryPageData.Page(0, Records, Records, null);

    [Benchmark(Baseline = true, Description = "plain STJ, reflection")]
    public async Task<int> PlainSystemTextJson()
    {
        using var stream = new MemoryStream(_page, writable: false);
        var page = await JsonSerializer.DeserializeAsync<RawPage>(stream, PlainReflection);
        return page!.Records.Count;
    }

    [Benchmark(Description = "SDK, POCO")]
    public async Task<int> SdkPoco()
    {
        using var stream = new MemoryStream(_page, writable: false);
        var page = await JsonSerializer.DeserializeAsync(stream, _sdkPoco);
        return page!.Records.Count;
    }

    [Benchmark(Description = "SDK, POCO, user source-gen context")]
    public async Task<int> SdkPocoSourceGenerated()
    {
        using var stream = new MemoryStream(_page, writable: false);
        var page = await JsonSerializer.DeserializeAsync(stream, _sdkPocoSourceGenerated);
        return page!.Records.Count;
    }

    [Benchmark(Description = "SDK, SObject")]
    public async Task<int> SdkSObject()
    {
        using var stream = new MemoryStream(_page, writable: false);
        var page = await JsonSerializer.DeserializeAsync(stream, _sdkSObject);
        return page!.Records.Count;
    }
}
