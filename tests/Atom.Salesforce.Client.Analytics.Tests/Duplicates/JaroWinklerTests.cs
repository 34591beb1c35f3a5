using Atom.Salesforce.Client.Analytics.Duplicates;

namespace Atom.Salesforce.Client.Analytics.Tests.Duplicates;

public sealed class JaroWinklerTests
{
    [Theory]
    // MARTHA/MARHTA: m = 6, t = 1 (T/H swapped), Jaro = (1 + 1 + 5/6) / 3 = 0.9444; prefix "MAR" (3): 0.9444 + 0.3·0.0556 = 0.9611.
    [InlineData("MARTHA", "MARHTA", 0.9444, 0.9611)]
    // DWAYNE/DUANE: m = 4 (D, A, N, E), t = 0, Jaro = (4/6 + 4/5 + 1) / 3 = 0.8222; prefix "D" (1): 0.8222 + 0.1·0.1778 = 0.84.
    [InlineData("DWAYNE", "DUANE", 0.8222, 0.84)]
    // DIXON/DICKSONX: window 3, m = 4 (D, I, O, N; X is 5 away), t = 0, Jaro = (4/5 + 4/8 + 1) / 3 = 0.7667; prefix "DI": 0.8133.
    [InlineData("DIXON", "DICKSONX", 0.7667, 0.8133)]
    public void Matches_the_published_worked_examples(string a, string b, double jaro, double jaroWinkler)
    {
        Assert.Equal(jaro, JaroWinkler.Jaro(a, b), 4);
        Assert.Equal(jaroWinkler, JaroWinkler.Similarity(a, b), 4);
        Assert.Equal(jaroWinkler, JaroWinkler.Similarity(b, a), 4);
    }

    [Fact]
    public void Equal_strings_score_one_and_strings_with_nothing_in_common_zero()
    {
        Assert.Equal(1, JaroWinkler.Similarity("acme", "acme"));
        Assert.Equal(1, JaroWinkler.Similarity("", ""));
        Assert.Equal(0, JaroWinkler.Similarity("abc", "xyz"));
        Assert.Equal(0, JaroWinkler.Similarity("abc", ""));
    }

    [Fact]
    public void The_prefix_bonus_applies_only_above_a_jaro_of_0_7()
    {
        // "ab"/"ac": window 0, m = 1, Jaro = (1/2 + 1/2 + 1) / 3 = 0.6667 ≤ 0.7, so no bonus despite the shared "a".
        Assert.Equal(2.0 / 3, JaroWinkler.Similarity("ab", "ac"), 10);
    }
}
