using System.Text.Json;
using Atom.Salesforce.Soql;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// The SOQL parser and formatter over every <c>core</c> query of the corpus in tests/data/soql-corpus (506 queries; one operation = all of
/// them). Baseline: the lexer alone, which every parse must pay for; the ratios show what building the tree and printing
/// it add on top of reading the characters.
/// </summary>
[MemoryDiagnoser]
public class SoqlParserBenchmarks
{
    private string[] _queries = [];
    private SoqlQuery[] _parsed = [];

    /// <summary>How many queries one operation handles: divide the mean by it for the cost of one query.</summary>
    public int QueryCount => _queries.Length;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "corpus", "soql", "valid.jsonl");
        _queries = File.ReadLines(path)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("tier").GetString() == "core")
            .Select(e => e.GetProperty("soql").GetString()!)
            .ToArray();
        _parsed = _queries.Select(q => SoqlQuery.Parse(q)).ToArray();
    }

    [Benchmark(Baseline = true, Description = "lex only (baseline)")]
    public int Lex()
    {
        var tokens = 0;
        foreach (var query in _queries)
        {
            var lexer = new SoqlLexer(query, allowComments: false);
            while (lexer.Next().Kind != SoqlTokenKind.End)
            {
                tokens++;
            }
        }

        return tokens;
    }

    [Benchmark(Description = "parse")]
    public int Parse()
    {
        var items = 0;
        foreach (var query in _queries)
        {
            items += SoqlQuery.Parse(query).Select.Count;
        }

        return items;
    }

    [Benchmark(Description = "format")]
    public int Format()
    {
        var length = 0;
        foreach (var query in _parsed)
        {
            length += query.ToString().Length;
        }

        return length;
    }

    [Benchmark(Description = "parse + format")]
    public int ParseAndFormat()
    {
        var length = 0;
        foreach (var query in _queries)
        {
            length += SoqlQuery.Parse(query).ToString().Length;
        }

        return length;
    }
}
