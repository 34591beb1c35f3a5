namespace Atom.Salesforce.Client.Analytics;

/// <summary>Percentiles by selection (expected linear time), without sorting or allocating.</summary>
internal static class Quantiles
{
    /// <summary>
    /// The percentiles <paramref name="ps"/> (ascending, 0–1) of <paramref name="values"/>, interpolated linearly at
    /// position p × (n − 1). Reorders <paramref name="values"/>.
    /// </summary>
    public static void Compute(Span<double> values, ReadOnlySpan<double> ps, Span<double> results)
    {
        var n = values.Length;
        var done = 0;
        for (var q = 0; q < ps.Length; q++)
        {
            var position = ps[q] * (n - 1);
            var k = (int)Math.Floor(position);
            // Selections run left to right: everything before index `done` is already at most values[done].
            Select(values[done..], k - done);
            done = k;
            var low = values[k];
            var fraction = position - k;
            if (fraction == 0 || k + 1 >= n)
            {
                results[q] = low;
                continue;
            }

            var high = values[k + 1];
            for (var i = k + 2; i < n; i++)
            {
                high = Math.Min(high, values[i]);
            }

            results[q] = low + ((high - low) * fraction);
        }
    }

    /// <summary>The median of <paramref name="values"/>; reorders them.</summary>
    public static double Median(Span<double> values)
    {
        Span<double> result = stackalloc double[1];
        Compute(values, [0.5], result);
        return result[0];
    }

    /// <summary>
    /// The percentiles <paramref name="ps"/> (ascending, 0–1) of the <paramref name="n"/> values where
    /// <paramref name="values"/>[j] (ascending) occurs <paramref name="counts"/>[j] times: the same results as
    /// <see cref="Compute"/> over those values, read off the counts in one walk.
    /// </summary>
    public static void FromCounts(ReadOnlySpan<int> counts, ReadOnlySpan<double> values, int n, ReadOnlySpan<double> ps, Span<double> results)
    {
        var j = 0;
        var below = 0; // values before index j
        for (var q = 0; q < ps.Length; q++)
        {
            var position = ps[q] * (n - 1);
            var k = (int)Math.Floor(position);
            while (below + counts[j] <= k)
            {
                below += counts[j++];
            }

            var low = values[j];
            var fraction = position - k;
            if (fraction == 0 || k + 1 >= n)
            {
                results[q] = low;
                continue;
            }

            var high = low;
            if (k + 1 >= below + counts[j])
            {
                var m = j + 1;
                while (counts[m] == 0)
                {
                    m++;
                }

                high = values[m];
            }

            results[q] = low + ((high - low) * fraction);
        }
    }

    /// <summary>The median of counted values (see <see cref="FromCounts"/>).</summary>
    public static double Median(ReadOnlySpan<int> counts, ReadOnlySpan<double> values, int n)
    {
        Span<double> result = stackalloc double[1];
        FromCounts(counts, values, n, [0.5], result);
        return result[0];
    }

    /// <summary>Puts the k-th smallest value at index k, smaller or equal ones before it and greater or equal after it.</summary>
    public static void Select(Span<double> values, int k)
    {
        var left = 0;
        var right = values.Length - 1;
        while (right > left)
        {
            // Median of three as pivot, then Hoare partition: equal values split both ways, so runs of duplicates stay fast.
            var mid = left + ((right - left) / 2);
            if (values[mid] < values[left])
            {
                (values[mid], values[left]) = (values[left], values[mid]);
            }

            if (values[right] < values[left])
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            if (values[right] < values[mid])
            {
                (values[right], values[mid]) = (values[mid], values[right]);
            }

            var pivot = values[mid];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return;
            }
        }
    }
}
