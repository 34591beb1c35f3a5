using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Duplicates;
using Atom.Salesforce.Client.Analytics.Tests.Duplicates;
using BenchmarkDotNet.Attributes;

namespace Atom.Salesforce.Client.Benchmarks;

/// <summary>
/// Duplicate detection over 100,000 generated accounts (clean ones, planted duplicates and look-alikes; the labelled
/// generator of the analytics tests). The fair naive baseline is all-pairs scoring, which cannot run at 100,000 (5·10⁹
/// pairs), so it runs on the first 2,000 accounts beside blocking on the same 2,000.
/// </summary>
[MemoryDiagnoser]
public class DuplicateDetectionBenchmarks
{
    private const int Accounts = 100_000;
    private const int Subset = 2_000;
    private readonly DuplicateDetector _detector = new();
    private IReadOnlyList<AccountRecord> _accounts = [];
    private AccountRecord[] _subset = [];

    [GlobalSetup]
    public void Setup()
    {
        // 84,000 companies with their duplicates and look-alikes make 111,716 accounts, shuffled; the first 100,000 are used.
        var set = DuplicateSetGenerator.Accounts(84_000, seed: 1);
        _accounts = set.Records.Take(Accounts).ToList();
        _subset = [.. _accounts.Take(Subset)];
    }

    [Benchmark(Description = "all pairs, 2,000 accounts (baseline)", Baseline = true)]
    public int AllPairs2k()
    {
        var candidates = Array.ConvertAll(_subset, a => DuplicateCandidate.FromAccount(a));
        var found = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            for (var j = i + 1; j < candidates.Length; j++)
            {
                if (MatchScorer.Score(CandidateKind.Company, candidates[i], candidates[j], null, 0.8) >= 0.8)
                {
                    found++;
                }
            }
        }

        return found;
    }

    [Benchmark(Description = "blocking, 2,000 accounts")]
    public int Blocking2k() => _detector.FindAccounts(_subset).Pairs.Count;

    [Benchmark(Description = "blocking, 100,000 accounts")]
    public int Blocking100k() => _detector.FindAccounts(_accounts).Pairs.Count;
}
