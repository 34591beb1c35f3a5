using System.Text;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Json;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Reading one Bulk API 2.0 query result page (100,000 Opportunity rows, about 15 MB of CSV as Salesforce writes it: every
/// value quoted, some with commas, doubled quotes and line breaks) from a stream. Baseline: a plain <see cref="StreamReader"/>
/// line split on commas, which is wrong for quoted values but is the least any reader must do.
/// </summary>
[MemoryDiagnoser]
public class BulkCsvParseBenchmarks
{
    private const int Rows = 100_000;
    private byte[] _csv = [];

    public sealed class Opportunity
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public decimal? Amount { get; set; }
        public DateOnly? CloseDate { get; set; }
        public string? StageName { get; set; }
        public DateTimeOffset? CreatedDate { get; set; }
        public bool IsClosed { get; set; }
        public string? Description { get; set; }
    }

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("\"Id\",\"Name\",\"Amount\",\"CloseDate\",\"StageName\",\"CreatedDate\",\"IsClosed\",\"Description\"\n");
        for (var i = 0; i < Rows; i++)
        {
            text.Append("\"006Hs00000").Append(i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).Append("\",\"Deal ").Append(i)
                .Append(i % 10 == 0 ? ", renewal" : string.Empty).Append("\",\"").Append(1000 + i % 5000).Append(".50\",\"2026-03-31\",\"Prospecting\",")
                .Append("\"2025-01-31T10:00:00.000+0000\",\"").Append(i % 2 == 0 ? "true" : "false").Append("\",\"")
                .Append(i % 50 == 0 ? "Said \"\"yes\"\"\nthen left" : i % 3 == 0 ? string.Empty : "Notes for the deal").Append("\"\n");
        }

        _csv = Encoding.UTF8.GetBytes(text.ToString());
        Console.WriteLine($"// CSV size: {_csv.Length / 1_000_000.0:0.0} MB");
    }

    [Benchmark(Baseline = true, Description = "StreamReader line split (baseline)")]
    public int LineSplit()
    {
        using var reader = new StreamReader(new MemoryStream(_csv), Encoding.UTF8);
        var fields = 0;
        while (reader.ReadLine() is { } line)
        {
            fields += line.Split(',').Length;
        }

        return fields;
    }

    [Benchmark(Description = "SDK CsvReader rows (RFC 4180)")]
    public async Task<int> Rows_()
    {
        using var reader = new CsvReader(new MemoryStream(_csv));
        var fields = 0;
        while (await reader.ReadRowAsync(CancellationToken.None) is { } row)
        {
            fields += row.Length;
        }

        return fields;
    }

    [Benchmark(Description = "SDK rows as POCOs")]
    public async Task<int> Pocos()
    {
        using var reader = new CsvReader(new MemoryStream(_csv));
        var header = (await reader.ReadRowAsync(CancellationToken.None))!;
        var mapper = new CsvRecordReader<Opportunity>(SalesforceJsonContext.Serializer, "Opportunity", header);
        var count = 0;
        while (await reader.ReadRowAsync(CancellationToken.None) is { } row)
        {
            count += mapper.Read(row).IsClosed ? 1 : 0;
        }

        return count;
    }
}
