namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>Computes <see cref="ModelAccuracy"/> from predictions and outcomes.</summary>
internal static class ModelEvaluation
{
    /// <summary>AUC (rank statistic, ties averaged), Brier score and a calibration table of <paramref name="bins"/> bins.</summary>
    public static ModelAccuracy Evaluate(ReadOnlySpan<double> predicted, ReadOnlySpan<bool> actual, int bins = 10)
    {
        if (predicted.Length != actual.Length)
        {
            throw new ArgumentException("Every prediction needs its outcome.", nameof(actual));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var n = predicted.Length;
        if (n == 0)
        {
            return new ModelAccuracy { Count = 0, BaseRate = 0, BrierScore = 0 };
        }

        var positives = 0;
        var squaredError = 0.0;
        var binCount = new int[bins];
        var binPredicted = new double[bins];
        var binPositives = new int[bins];
        for (var i = 0; i < n; i++)
        {
            var p = predicted[i];
            if (double.IsNaN(p) || p < 0 || p > 1)
            {
                throw new ArgumentException($"Prediction {i} is {p}, outside 0 to 1.", nameof(predicted));
            }

            var y = actual[i] ? 1.0 : 0.0;
            positives += actual[i] ? 1 : 0;
            squaredError += (p - y) * (p - y);
            var bin = Math.Min((int)(p * bins), bins - 1);
            binCount[bin]++;
            binPredicted[bin] += p;
            binPositives[bin] += actual[i] ? 1 : 0;
        }

        var calibration = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            if (binCount[b] > 0)
            {
                calibration.Add(new CalibrationBin
                {
                    LowerBound = (double)b / bins,
                    UpperBound = (double)(b + 1) / bins,
                    Count = binCount[b],
                    MeanPredicted = binPredicted[b] / binCount[b],
                    ObservedRate = (double)binPositives[b] / binCount[b],
                });
            }
        }

        return new ModelAccuracy
        {
            Count = n,
            BaseRate = (double)positives / n,
            Auc = Auc(predicted, actual, positives),
            BrierScore = squaredError / n,
            Calibration = calibration,
        };
    }

    /// <summary>
    /// Mann–Whitney: (sum of the positives' ranks − P(P+1)/2) / (P·N), with tied predictions given their mean rank.
    /// </summary>
    private static double? Auc(ReadOnlySpan<double> predicted, ReadOnlySpan<bool> actual, int positives)
    {
        var n = predicted.Length;
        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = predicted.ToArray();
        Array.Sort(keys, order);
        var positiveRankSum = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
            {
                end++;
            }

            var meanRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (actual[order[k]])
                {
                    positiveRankSum += meanRank;
                }
            }

            start = end + 1;
        }

        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
