using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>The corpus's invalid queries that only a schema can reject (tests/data/soql-corpus/invalid.jsonl, level "semantic").</summary>
public sealed class SemanticCorpusTests
{
    [Fact]
    public async Task Every_semantic_invalid_query_of_the_corpus_gets_MALFORMED_QUERY_or_INVALID_FIELD()
    {
        var queries = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "corpus", "soql", "invalid.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("level").GetString() == "semantic")
            .Select(e => (Id: e.GetProperty("id").GetString()!, Soql: e.GetProperty("soql").GetString()!))
            .ToList();
        await using var org = new EmulatedOrg(QueryTestOrg.Options());

        var codes = new List<(string Id, HttpStatusCode Status, string Code, string Message)>();
        foreach (var (id, soql) in queries)
        {
            var (status, code, message) = await org.ErrorAsync(soql);
            codes.Add((id, status, code, message));
        }

        var counts = codes.GroupBy(c => c.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}");
        TestContext.Current.SendDiagnosticMessage($"semantic corpus: {queries.Count} queries; {string.Join(", ", counts)}");
        foreach (var c in codes)
        {
            TestContext.Current.SendDiagnosticMessage($"{c.Id} {c.Code} {c.Message.Replace('\n', ' ')}");
        }

        Assert.Equal(12, queries.Count);
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.BadRequest, c.Status));
        Assert.All(codes, c => Assert.Contains(c.Code, new[] { "MALFORMED_QUERY", "INVALID_FIELD" }));
    }
}
