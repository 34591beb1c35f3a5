using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>
/// Deterministic, seeded random mutations of every corpus query. Every outcome must be either a parsed query that
/// round-trips (Parse(Format(ast)) == ast) or a <see cref="SoqlSyntaxException"/> whose position lies inside the text.
/// Anything else (another exception, a stack overflow, a hang) is a parser bug; a failure prints the seed and the input
/// so that it can be replayed with <see cref="Mutate"/>.
/// </summary>
public sealed partial class SoqlFuzzTests
{
    private const int BaseSeed = 20_260_301;
    private const int MutationsPerQuery = 60;

    /// <summary>
    /// Hang guard, not a timing assertion: a single input that has not returned after this long is taken to be stuck in a
    /// loop. Inputs take microseconds; the margin is wide so that a slow, shared machine never trips it.
    /// </summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    private static readonly string[] Insertions =
    [
        "'", "\\", "(", ")", ",", ".", ":", "=", "<", ">", "!", "-", "+", "\"", ";", "/", "*", "%", "_", " ", "\n", "\r\n", "\t",
        "é", "中", "\u0000", "🙂", "\uD800", "\u200B", "\\'", "\\\\", "\\u", "\\u00e9", "\\%", "\\_", "''", "()", "(SELECT Id FROM Contacts)",
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "NOT IN", "LIKE", "NULL", "TRUE", "false", "GROUP BY", "ORDER BY", "LIMIT 5",
        "OFFSET 1", "WITH", "SECURITY_ENFORCED", "DATA CATEGORY", "TYPEOF", "WHEN", "THEN", "ELSE", "END", "FIELDS(ALL)", "COUNT()",
        "COUNT(Id)", "ROLLUP(", "CUBE(", "HAVING", "USING SCOPE", "FOR VIEW", "FOR UPDATE", "UPDATE TRACKING", "ALL ROWS", "BIND x = 1",
        "LAST_N_DAYS:", "LAST_N_DAYS:3", "TODAY", "USD5", "EUR5.10", "2024-01-01", "2024-02-30", "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00+0100", "01:00:00.000Z", "1.5e3", "-", "15.0", "99999999999999999999999999999999", "1e999", ":x", ":x.y()",
        "/*", "*/", "//", "DISTANCE(L__c, GEOLOCATION(1, 2), 'mi')", "convertTimezone(", "toLabel(", "FORMAT(", "CALENDAR_YEAR(", "NULLS LAST",
        "ASC", "DESC", "AS", "a.b.c", "__", "Id", "Name",
    ];

    [Fact]
    public async Task Mutated_corpus_queries_parse_and_round_trip_or_fail_with_a_syntax_error()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var seeds = SoqlCorpus.Valid.Select(q => q.Soql).Concat(SoqlCorpus.Invalid.Select(q => q.Soql)).ToArray();
        var guard = new HangGuard();
        var stats = new Stats();

        var worker = Task.Factory.StartNew(
            () => Run(seeds, guard, stats, cancellation),
            cancellation,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        while (!worker.IsCompleted)
        {
            await Task.WhenAny(worker, Task.Delay(100, cancellation));
            if (guard.Stuck(HangLimit) is { } stuck)
            {
                Assert.Fail($"Parsing one input did not return within {HangLimit.TotalSeconds} s (a hang). Seed {stuck.Seed}, options {stuck.Options}, input:\n{Show(stuck.Input)}");
            }
        }

        await worker;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{stats.Parses} parses of {stats.Inputs} mutated inputs: {stats.Parsed} parsed and round-tripped, {stats.Refused} refused with a syntax error");
        Assert.True(stats.Failures.Count == 0, string.Join("\n\n", stats.Failures.Take(15)));
        Assert.True(stats.Parses >= 50_000, $"only {stats.Parses} parses");
        Assert.True(stats.Parsed > 1_000 && stats.Refused > 1_000, $"{stats.Parsed} parsed, {stats.Refused} refused: the mutations are too tame or too wild");
    }

    [Fact]
    public void Mutations_are_deterministic()
    {
        var query = SoqlCorpus.Valid[0].Soql;

        Assert.Equal(Mutate(query, 42), Mutate(query, 42));
        Assert.NotEqual(Mutate(query, 42), Mutate(query, 43));
    }

    /// <summary>The mutated input for a seed: one to three random edits of <paramref name="soql"/>.</summary>
    internal static string Mutate(string soql, int seed)
    {
        var random = new Random(seed);
        var tokens = Tokenize(soql);
        var edits = random.Next(1, 4);
        for (var edit = 0; edit < edits; edit++)
        {
            var at = random.Next(tokens.Count + 1);
            var some = tokens.Count > 0 ? random.Next(tokens.Count) : 0;
            switch (random.Next(11))
            {
                case 0 when tokens.Count > 0:
                    tokens.RemoveAt(some);
                    break;
                case 1 when tokens.Count > 0:
                    tokens.Insert(at, tokens[some]);
                    break;
                case 2 when tokens.Count > 1:
                    var other = random.Next(tokens.Count);
                    (tokens[some], tokens[other]) = (tokens[other], tokens[some]);
                    break;
                case 3:
                    tokens.Insert(at, Insertions[random.Next(Insertions.Length)]);
                    break;
                case 4:
                    tokens.Insert(at, " " + Insertions[random.Next(Insertions.Length)] + " ");
                    break;
                case 5 when tokens.Count > 0:
                    tokens[some] = MutateCharacters(tokens[some], random);
                    break;
                case 6 when tokens.Count > 0:
                    var count = random.Next(2, 6);
                    tokens.RemoveRange(some, Math.Min(count, tokens.Count - some));
                    break;
                case 7:
                    // A very long run: many copies of one character or token.
                    var unit = random.Next(2) == 0 && tokens.Count > 0 ? tokens[some] : Insertions[random.Next(Insertions.Length)];
                    var copies = Math.Min(random.Next(50, 4_000), (30_000 / Math.Max(1, unit.Length)) + 1);
                    tokens.Insert(at, new StringBuilder(unit.Length * copies).Insert(0, unit, copies).ToString());
                    break;
                case 8 when tokens.Count > 0:
                    tokens[some] = random.Next(2) == 0 ? tokens[some].ToUpperInvariant() : tokens[some].ToLowerInvariant();
                    break;
                case 9:
                    // A piece of another corpus query spliced in.
                    var donor = SoqlCorpus.Valid[random.Next(SoqlCorpus.Valid.Count)].Soql;
                    var start = random.Next(donor.Length);
                    tokens.Insert(at, donor[start..Math.Min(donor.Length, start + random.Next(1, 40))]);
                    break;
                default:
                    // Truncation at a random point.
                    if (tokens.Count > 0)
                    {
                        tokens.RemoveRange(some, tokens.Count - some);
                    }

                    break;
            }
        }

        return string.Concat(tokens);
    }

    private static void Run(string[] seeds, HangGuard guard, Stats stats, CancellationToken cancellation)
    {
        for (var q = 0; q < seeds.Length; q++)
        {
            for (var m = 0; m < MutationsPerQuery; m++)
            {
                cancellation.ThrowIfCancellationRequested();
                var seed = BaseSeed + (q * MutationsPerQuery) + m;
                var input = Mutate(seeds[q], seed);
                stats.Inputs++;
                Check(input, seed, SoqlParseOptions.Default, guard, stats);
                if (m % 3 == 0)
                {
                    Check(input, seed, SoqlAst.Apex, guard, stats);
                }
            }
        }
    }

    private static void Check(string input, int seed, SoqlParseOptions options, HangGuard guard, Stats stats)
    {
        var label = options.AllowApexSyntax ? "AllowApexSyntax" : "default";
        guard.Start(input, seed, label);
        stats.Parses++;
        try
        {
            SoqlQuery ast;
            try
            {
                ast = SoqlQuery.Parse(input, options);
            }
            catch (SoqlSyntaxException e)
            {
                stats.Refused++;
                if (e.Position < 0 || e.Position > input.Length || e.Line < 1 || e.Column < 1 || e.Column > e.Position + 1)
                {
                    stats.Fail(seed, label, input, $"syntax error with a position outside the text: position {e.Position}, line {e.Line}, column {e.Column}");
                }

                return;
            }

            string formatted;
            SoqlQuery again;
            try
            {
                formatted = ast.ToString();
                again = SoqlQuery.Parse(formatted, options);
            }
            catch (SoqlSyntaxException e)
            {
                stats.Fail(seed, label, input, $"the formatted query does not parse: {e.Message}\n  formatted: {Show(ast.ToString())}");
                return;
            }

            if (again != ast)
            {
                stats.Fail(seed, label, input, $"Parse(Format(ast)) != ast\n  formatted: {Show(formatted)}\n  again:     {Show(again.ToString())}");
            }
            else if (again.ToString() != formatted)
            {
                stats.Fail(seed, label, input, $"formatting is not stable\n  first:  {Show(formatted)}\n  second: {Show(again.ToString())}");
            }
            else
            {
                stats.Parsed++;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stats.Fail(seed, label, input, $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            guard.Stop();
        }
    }

    private static string MutateCharacters(string token, Random random)
    {
        var builder = new StringBuilder(token);
        var position = random.Next(builder.Length + 1);
        switch (random.Next(3))
        {
            case 0 when builder.Length > 0:
                builder.Remove(Math.Min(position, builder.Length - 1), 1);
                break;
            case 1:
                builder.Insert(position, (char)random.Next(0, 128));
                break;
            default:
                builder.Insert(position, Insertions[random.Next(Insertions.Length)][0]);
                break;
        }

        return builder.ToString();
    }

    /// <summary>Quoted strings, words, runs of whitespace and single other characters.</summary>
    private static List<string> Tokenize(string soql) => TokenPattern().Matches(soql).Select(m => m.Value).ToList();

    [GeneratedRegex(@"'(?:\\.|[^'\\])*'?|\w+|\s+|.", RegexOptions.Singleline)]
    private static partial Regex TokenPattern();

    private static string Show(string input) => input.Length <= 600
        ? input.ReplaceLineEndings("⏎")
        : $"{input[..300].ReplaceLineEndings("⏎")} …({input.Length - 600} more characters)… {input[^300..].ReplaceLineEndings("⏎")}";

    private sealed class Stats
    {
        public List<string> Failures { get; } = [];

        public int Inputs { get; set; }

        public int Parses { get; set; }

        public int Parsed { get; set; }

        public int Refused { get; set; }

        public void Fail(int seed, string options, string input, string problem)
        {
            lock (Failures)
            {
                Failures.Add($"seed {seed} ({options}): {problem}\n  input: {Show(input)}");
            }
        }
    }

    /// <summary>Remembers which input is being parsed and since when, for the test thread to look at.</summary>
    private sealed class HangGuard
    {
        private readonly Lock _lock = new();
        private (string Input, int Seed, string Options, long Started)? _current;

        public void Start(string input, int seed, string options)
        {
            lock (_lock)
            {
                _current = (input, seed, options, Stopwatch.GetTimestamp());
            }
        }

        public void Stop()
        {
            lock (_lock)
            {
                _current = null;
            }
        }

        public (string Input, int Seed, string Options)? Stuck(TimeSpan limit)
        {
            lock (_lock)
            {
                return _current is { } current && Stopwatch.GetElapsedTime(current.Started) > limit
                    ? (current.Input, current.Seed, current.Options)
                    : null;
            }
        }
    }
}
