namespace Atom.Salesforce.Client.Analytics.Tests;

public sealed class QuantilesTests
{
    [Fact]
    public void Interpolates_between_the_nearest_values()
    {
        double[] values = [5, 1, 4, 2, 3];
        var results = new double[3];

        Quantiles.Compute(values, [0.25, 0.5, 0.9], results);

        // Sorted 1..5; positions 0.25 × 4 = 1 → 2; 0.5 × 4 = 2 → 3; 0.9 × 4 = 3.6 → 4 + 0.6 × (5 − 4) = 4.6.
        Assert.Equal([2, 3, 4.6], results, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal(2.5, Quantiles.Median(new double[] { 4, 1, 3, 2 }));
    }

    [Fact]
    public void Agrees_with_sorting_on_data_full_of_duplicates()
    {
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var values = Enumerable.Range(0, random.Next(1, 300)).Select(_ => (double)random.Next(0, 10)).ToArray();
            var sorted = values.Order().ToArray();
            var results = new double[4];

            Quantiles.Compute(values, [0.25, 0.5, 0.75, 0.9], results);

            double[] ps = [0.25, 0.5, 0.75, 0.9];
            for (var q = 0; q < ps.Length; q++)
            {
                var position = ps[q] * (sorted.Length - 1);
                var k = (int)Math.Floor(position);
                var expected = k + 1 < sorted.Length ? sorted[k] + ((sorted[k + 1] - sorted[k]) * (position - k)) : sorted[k];
                Assert.Equal(expected, results[q], 1e-9);
            }
        }
    }

    [Fact]
    public void Counted_values_give_the_same_results_as_selection()
    {
        var random = new Random(11);
        double[] ps = [0.25, 0.5, 0.75, 0.9];
        for (var round = 0; round < 50; round++)
        {
            double[] distinct = [.. Enumerable.Range(0, random.Next(1, 20)).Select(v => (v * 1.5) + random.NextDouble())];
            var counts = distinct.Select(_ => random.Next(0, 4)).ToArray();
            counts[random.Next(counts.Length)]++;
            var values = distinct.SelectMany((v, j) => Enumerable.Repeat(v, counts[j])).ToArray();
            var expected = new double[ps.Length];
            var actual = new double[ps.Length];

            Quantiles.Compute(values, ps, expected);
            Quantiles.FromCounts(counts, distinct, counts.Sum(), ps, actual);

            Assert.Equal(expected, actual);
            Assert.Equal(expected[1], Quantiles.Median(counts, distinct, counts.Sum()));
        }
    }
}
