using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>The whole corpus of tests/data/soql-corpus against the parser and formatter.</summary>
public sealed class SoqlCorpusTests
{
    private static readonly SoqlParseOptions Apex = new() { AllowApexSyntax = true };

    /// <summary>Corpus features that only Apex accepts: with default options these must be refused.</summary>
    private static readonly string[] ApexOnlyFeatures = ["apex_bind", "comment", "bind_in_limit_offset"];

    /// <summary>
    /// Apex-tier queries the parser refuses even with AllowApexSyntax: syntax only the Apex compiler (jorje) takes and no
    /// Salesforce documentation describes.
    /// </summary>
    private static readonly Dictionary<string, string> ApexNotSupported = new()
    {
        ["v0529"] = "an alias after a child subquery: (SELECT ...) sampleAlias",
        ["v0537"] = "USING lookup l BIND i='bar'",
        ["v0538"] = "USING lookup l BIND i='bar', j='baz'",
        ["v0566"] = "USING listView(id=listViewId)",
    };

    /// <summary>The corpus marks queries every reference parser refuses; for those either answer is right.</summary>
    private static bool RefusedByReferenceParsers(SoqlCorpus.ValidQuery query) =>
        query.Caveats.Any(c => c.StartsWith("rejected by all reference parsers", StringComparison.Ordinal));

    [Fact]
    public void Every_core_query_parses_and_round_trips()
    {
        var core = SoqlCorpus.Valid.Where(q => q.Tier == "core").ToList();
        var failures = core.Select(q => RoundTripFailure(q, SoqlParseOptions.Default)).OfType<string>().ToList();

        Report($"core: {core.Count - failures.Count}/{core.Count} parse and round-trip, {core.Count(q => q.Normalized is not null)} checked against 'normalized'");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.Equal(506, core.Count);
    }

    [Fact]
    public void Every_syntax_invalid_query_is_rejected_with_a_position()
    {
        var syntax = SoqlCorpus.Invalid.Where(q => q.Level == "syntax").ToList();
        var accepted = new List<string>();
        foreach (var query in syntax)
        {
            try
            {
                SoqlQuery.Parse(query.Soql);
                accepted.Add($"{query.Id} accepted: {query.Soql} ({query.Reason})");
            }
            catch (SoqlSyntaxException e)
            {
                Assert.InRange(e.Position, 0, query.Soql.Length);
                Assert.True(e.Line >= 1 && e.Column >= 1, query.Id);
                Assert.Contains($"line {e.Line}, column {e.Column}", e.Message, StringComparison.Ordinal);
            }
        }

        Report($"syntax-invalid: {syntax.Count - accepted.Count}/{syntax.Count} rejected with a position");
        Assert.True(accepted.Count == 0, string.Join("\n", accepted));
        Assert.Equal(108, syntax.Count);
    }

    [Fact]
    public void Apex_queries_parse_with_the_option_and_apex_only_syntax_is_refused_without_it()
    {
        var apex = SoqlCorpus.Valid.Where(q => q.Tier == "apex").ToList();
        var failures = new List<string>();
        var refusedByDefault = 0;
        foreach (var query in apex)
        {
            var failure = RoundTripFailure(query, Apex);
            if (ApexNotSupported.ContainsKey(query.Id))
            {
                Assert.True(failure is not null, $"{query.Id} now parses: take it off the list of unsupported Apex syntax");
            }
            else if (failure is not null && !(RefusedByReferenceParsers(query) && failure.Contains(" refused: ", StringComparison.Ordinal)))
            {
                failures.Add(failure);
            }

            try
            {
                SoqlQuery.Parse(query.Soql);
                if (query.Features.Intersect(ApexOnlyFeatures).Any())
                {
                    failures.Add($"{query.Id} parsed without AllowApexSyntax although it uses {string.Join(", ", query.Features.Intersect(ApexOnlyFeatures))}");
                }
            }
            catch (SoqlSyntaxException)
            {
                refusedByDefault++;
            }
        }

        Report($"apex: {apex.Count - failures.Count - ApexNotSupported.Count}/{apex.Count} parse with AllowApexSyntax ({ApexNotSupported.Count} jorje-only forms refused); {refusedByDefault} refused by default");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    [Fact]
    public void Lenient_queries_never_crash_the_parser()
    {
        var lenient = SoqlCorpus.Valid.Where(q => q.Tier == "lenient").ToList();
        var accepted = 0;
        foreach (var query in lenient)
        {
            foreach (var options in new[] { SoqlParseOptions.Default, Apex })
            {
                try
                {
                    var ast = SoqlQuery.Parse(query.Soql, options);
                    Assert.Equal(ast, SoqlQuery.Parse(ast.ToString(), options));
                    accepted += options == Apex ? 0 : 1;
                }
                catch (SoqlSyntaxException)
                {
                    // Either answer is right for a lenient query; only a crash is wrong.
                }
            }
        }

        Report($"lenient: {accepted}/{lenient.Count} accepted by default, the rest refused cleanly");
        Assert.Equal(36, lenient.Count);
    }

    private static string? RoundTripFailure(SoqlCorpus.ValidQuery query, SoqlParseOptions options)
    {
        SoqlQuery ast;
        try
        {
            ast = SoqlQuery.Parse(query.Soql, options);
        }
        catch (SoqlSyntaxException e)
        {
            return $"{query.Id} refused: {e.Message}\n    {query.Soql.ReplaceLineEndings(" ")}";
        }

        var formatted = ast.ToString();
        SoqlQuery reparsed;
        try
        {
            reparsed = SoqlQuery.Parse(formatted, options);
        }
        catch (SoqlSyntaxException e)
        {
            return $"{query.Id} formatted text does not parse: {e.Message}\n    {formatted}";
        }

        if (reparsed != ast)
        {
            return $"{query.Id} Parse(Format(ast)) != ast\n    {formatted}\n    {reparsed}";
        }

        if (query.Normalized is { } normalized && SoqlCorpus.Comparable(normalized) != SoqlCorpus.Comparable(formatted))
        {
            return $"{query.Id} differs from normalized\n    ours: {formatted}\n    them: {normalized}";
        }

        return null;
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
