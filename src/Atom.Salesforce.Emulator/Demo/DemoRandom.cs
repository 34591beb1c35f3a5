namespace Atom.Salesforce.Emulator.Demo;

/// <summary>
/// The generator's one source of randomness: a seeded <see cref="Random"/> (its seeded sequence is stable across
/// runtimes), drawn in a fixed order so that the same seed gives the same org.
/// </summary>
internal sealed class DemoRandom(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Uniform in [0, 1).</summary>
    public double Unit() => _random.NextDouble();

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int Index(int count) => _random.Next(count);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>], both included.</summary>
    public int Between(int min, int max) => _random.Next(min, max + 1);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Between(double min, double max) => min + (_random.NextDouble() * (max - min));

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public int Weighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        var target = _random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    /// <summary>An index drawn from running totals (<paramref name="cumulative"/>[i] = sum of weights 0..i), by bisection.</summary>
    public int Cumulative(double[] cumulative)
    {
        var target = _random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double Normal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal draw with the given median and log-space spread: deal sizes, durations.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>A point in [0, 1) whose density grows linearly from 0.7 to 1.3: a business that grows over the two years.</summary>
    public double Growing()
    {
        const double a = 0.7, b = 1.3;
        return (-a + Math.Sqrt((a * a) + (2 * (b - a) * _random.NextDouble()))) / (b - a);
    }
}
