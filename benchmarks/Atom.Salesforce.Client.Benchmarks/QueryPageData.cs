using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>Query pages shaped like Salesforce's: attributes, a parent relationship, dates, currency, nulls.</summary>
internal static class QueryPageData
{
    public static byte[] Page(int firstRecord, int count, int totalSize, string? nextRecordsUrl)
    {
        var json = new StringBuilder(count * 520);
        json.Append(CultureInfo.InvariantCulture, $"{{\"totalSize\":{totalSize},\"done\":{(nextRecordsUrl is null ? "true" : "false")},");
        if (nextRecordsUrl is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $"\"nextRecordsUrl\":\"{nextRecordsUrl}\",");
        }

        json.Append("\"records\":[");
        for (var i = firstRecord; i < firstRecord + count; i++)
        {
            if (i > firstRecord)
            {
                json.Append(',');
            }

            var id = $"006RO00000{i:D5}AAA";
            json.Append(CultureInfo.InvariantCulture, $$$"""
                {"attributes":{"type":"Opportunity","url":"/services/data/v66.0/sobjects/Opportunity/{{{id}}}"},
                "Id":"{{{id}}}","Name":"Deal {{{i}}} for Acme Widgets","StageName":"{{{(i % 3 == 0 ? "Prospecting" : "Closed Won")}}}",
                "Amount":{{{(i % 7 == 0 ? "null" : (1000 + i * 12.5m).ToString(CultureInfo.InvariantCulture))}}},"Probability":{{{i % 100}}},
                "CloseDate":"2025-{{{1 + i % 12:D2}}}-{{{1 + i % 28:D2}}}","IsClosed":{{{(i % 3 == 0 ? "false" : "true")}}},
                "CreatedDate":"2024-05-20T20:49:{{{i % 60:D2}}}.000+0000","LeadSource":null,
                "Account":{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001RO00000{{{i % 500:D5}}}AAA"},"Name":"Acme {{{i % 500}}}"}}
                """);
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}

/// <summary>The record as a user writes it for the SDK.</summary>
public sealed class Opportunity
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
public sealed class AccountRef
{
    public string? Name { get; set; }
}

/// <summary>
/// The same record for plain System.Text.Json. Its datetime is a string: STJ's own DateTimeOffset parser refuses
/// Salesforce's "+0000" offset, so the baseline does less work than the SDK, which parses it.
/// </summary>
public sealed class RawOpportunity
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
    public AccountRef? Account { get; set; }
}

/// <summary>A plain query page.</summary>
public sealed class RawPage
{
    [JsonPropertyName("totalSize")] public int TotalSize { get; set; }
    [JsonPropertyName("done")] public bool Done { get; set; }
    [JsonPropertyName("nextRecordsUrl")] public string? NextRecordsUrl { get; set; }
    [JsonPropertyName("records")] public List<RawOpportunity> Records { get; set; } = [];
}

/// <summary>Source-generated metadata, as the raw floor and a performance-minded user would have it.</summary>
[JsonSerializable(typeof(RawPage))]
[JsonSerializable(typeof(Query.QueryResult<Opportunity>))]
public sealed partial class BenchmarkJsonContext : JsonSerializerContext;
