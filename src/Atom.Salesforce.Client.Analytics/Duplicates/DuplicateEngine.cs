using System.Runtime.InteropServices;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>
/// Blocking, then scoring: records are grouped by each of their blocking keys, only records sharing a block are scored,
/// each pair at most once, and pairs at or above the threshold are joined into clusters with union-find.
/// </summary>
internal static class DuplicateEngine
{
    /// <param name="kind">Companies or persons.</param>
    /// <param name="candidates">The records, normalised.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="crossSidesOnly">Score only pairs with one record from each side (matching one set against another).</param>
    public static DuplicateReport Find(CandidateKind kind, IReadOnlyList<DuplicateCandidate> candidates, DuplicateOptions options, bool crossSidesOnly)
    {
        // Most keys (a phone, a domain) belong to one record: a key holds its record's index until a second record
        // shares it, and only then a list (stored as its bitwise complement).
        var keys = new Dictionary<string, int>(candidates.Count * 4, StringComparer.Ordinal);
        var shared = new List<List<int>>();
        for (var i = 0; i < candidates.Count; i++)
        {
            foreach (var key in candidates[i].BlockingKeys(kind))
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(keys, key, out var exists);
                if (!exists)
                {
                    slot = i;
                }
                else if (slot >= 0)
                {
                    if (slot != i)
                    {
                        shared.Add([slot, i]);
                        slot = ~(shared.Count - 1);
                    }
                }
                else if (shared[~slot][^1] != i)
                {
                    shared[~slot].Add(i);
                }
            }
        }

        var blocks = new List<(char Kind, List<int> Members)>(shared.Count);
        foreach (var (key, slot) in keys)
        {
            if (slot < 0)
            {
                blocks.Add((key[0], shared[~slot]));
            }
        }

        var compared = new HashSet<long>();
        var pairs = new List<(int A, int B, double Score)>();
        var oversized = 0;
        foreach (var (sortKind, members) in blocks)
        {
            if (members.Count <= options.MaxBlockSize)
            {
                for (var x = 0; x < members.Count; x++)
                {
                    for (var y = x + 1; y < members.Count; y++)
                    {
                        Compare(members[x], members[y]);
                    }
                }

                continue;
            }

            // Sorted neighbourhood: near spellings sort next to each other, so a window finds them in linear work.
            oversized++;
            var sorted = members.ToArray();
            var sortKeys = Array.ConvertAll(sorted, i => candidates[i].SortKey(sortKind));
            Array.Sort(sortKeys, sorted, StringComparer.Ordinal);
            for (var x = 0; x < sorted.Length; x++)
            {
                for (var y = x + 1; y < sorted.Length && y <= x + options.NeighbourhoodWindow; y++)
                {
                    Compare(sorted[x], sorted[y]);
                }
            }
        }

        pairs.Sort((p, q) => q.Score.CompareTo(p.Score) is var c && c != 0
            ? c
            : string.CompareOrdinal(candidates[p.A].Id, candidates[q.A].Id) is var d && d != 0 ? d : string.CompareOrdinal(candidates[p.B].Id, candidates[q.B].Id));
        var result = new List<DuplicatePair>(pairs.Count);
        var reasons = new List<ScoreReason>(5);
        foreach (var (a, b, score) in pairs)
        {
            reasons.Clear();
            MatchScorer.Score(kind, candidates[a], candidates[b], reasons);
            result.Add(new DuplicatePair
            {
                FirstId = candidates[a].Id,
                SecondId = candidates[b].Id,
                Score = score,
                Reasons = [.. reasons],
            });
        }

        return new DuplicateReport
        {
            RecordCount = candidates.Count,
            Comparisons = compared.Count,
            OversizedBlocks = oversized,
            Pairs = result,
            Clusters = Clusters(candidates, pairs),
        };

        void Compare(int i, int j)
        {
            if (i == j || (crossSidesOnly && candidates[i].Side == candidates[j].Side))
            {
                return;
            }

            // The first set's record first, then the lower index: one key per unordered pair.
            if (candidates[i].Side > candidates[j].Side || (candidates[i].Side == candidates[j].Side && i > j))
            {
                (i, j) = (j, i);
            }

            if (!compared.Add(((long)i << 32) | (uint)j))
            {
                return;
            }

            var score = MatchScorer.Score(kind, candidates[i], candidates[j], null, options.Threshold);
            if (score >= options.Threshold)
            {
                pairs.Add((i, j, score));
            }
        }
    }

    private static List<DuplicateCluster> Clusters(IReadOnlyList<DuplicateCandidate> candidates, List<(int A, int B, double Score)> pairs)
    {
        var forest = new UnionFind(candidates.Count);
        foreach (var (a, b, _) in pairs)
        {
            forest.Union(a, b);
        }

        var groups = new Dictionary<int, List<string>>();
        foreach (var (a, b, _) in pairs)
        {
            foreach (var i in (ReadOnlySpan<int>)[a, b])
            {
                var root = forest.Find(i);
                if (!groups.TryGetValue(root, out var ids))
                {
                    ids = [];
                    groups.Add(root, ids);
                }

                ids.Add(candidates[i].Id);
            }
        }

        var clusters = new List<DuplicateCluster>(groups.Count);
        foreach (var ids in groups.Values)
        {
            var distinct = ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            clusters.Add(new DuplicateCluster { Ids = distinct });
        }

        clusters.Sort((x, y) => y.Ids.Count.CompareTo(x.Ids.Count) is var c && c != 0 ? c : string.CompareOrdinal(x.Ids[0], y.Ids[0]));
        return clusters;
    }
}

/// <summary>Disjoint sets with path halving and union by size.</summary>
internal sealed class UnionFind
{
    private readonly int[] _parent;
    private readonly int[] _size;

    public UnionFind(int count)
    {
        _parent = new int[count];
        _size = new int[count];
        for (var i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }
    }

    public int Find(int i)
    {
        while (_parent[i] != i)
        {
            _parent[i] = _parent[_parent[i]];
            i = _parent[i];
        }

        return i;
    }

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/>; false when they were already one.</summary>
    public bool Union(int a, int b)
    {
        var x = Find(a);
        var y = Find(b);
        if (x == y)
        {
            return false;
        }

        if (_size[x] < _size[y])
        {
            (x, y) = (y, x);
        }

        _parent[y] = x;
        _size[x] += _size[y];
        return true;
    }
}
