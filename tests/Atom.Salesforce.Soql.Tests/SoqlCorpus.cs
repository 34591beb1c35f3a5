using System.Text;
using System.Text.Json;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>The SOQL corpus in tests/data/soql-corpus (see its README), copied next to the test binaries.</summary>
internal static class SoqlCorpus
{
    private static readonly Lazy<IReadOnlyList<ValidQuery>> LazyValid = new(() => Read("valid.jsonl").Select(e => new ValidQuery(
        e.GetProperty("id").GetString()!,
        e.GetProperty("tier").GetString()!,
        e.GetProperty("soql").GetString()!,
        e.TryGetProperty("normalized", out var n) ? n.GetString() : null,
        e.GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToArray(),
        e.TryGetProperty("caveats", out var c) ? c.EnumerateArray().Select(f => f.GetString()!).ToArray() : [])).ToList());

    private static readonly Lazy<IReadOnlyList<InvalidQuery>> LazyInvalid = new(() => Read("invalid.jsonl").Select(e => new InvalidQuery(
        e.GetProperty("id").GetString()!,
        e.GetProperty("level").GetString()!,
        e.GetProperty("soql").GetString()!,
        e.GetProperty("reason").GetString()!)).ToList());

    public static IReadOnlyList<ValidQuery> Valid => LazyValid.Value;

    public static IReadOnlyList<InvalidQuery> Invalid => LazyInvalid.Value;

    /// <summary>
    /// SOQL with whitespace outside string literals removed and keywords' case ignored (everything outside strings upper-cased):
    /// the corpus compares formatter output with its <c>normalized</c> text "apart from whitespace and keyword case".
    /// </summary>
    public static string Comparable(string soql)
    {
        var builder = new StringBuilder(soql.Length);
        var inString = false;
        for (var i = 0; i < soql.Length; i++)
        {
            var c = soql[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < soql.Length)
                {
                    builder.Append(soql[++i]);
                }
                else if (c == '\'')
                {
                    inString = false;
                }
            }
            else if (c == '\'')
            {
                inString = true;
                builder.Append(c);
            }
            else if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<JsonElement> Read(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "corpus", "soql", file))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement);

    internal sealed record ValidQuery(string Id, string Tier, string Soql, string? Normalized, string[] Features, string[] Caveats)
    {
        public override string ToString() => Id;
    }

    internal sealed record InvalidQuery(string Id, string Level, string Soql, string Reason)
    {
        public override string ToString() => Id;
    }
}
