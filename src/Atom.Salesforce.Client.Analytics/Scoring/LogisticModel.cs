namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// L2-regularised logistic regression on standardised features, fitted by Newton's method (iteratively reweighted least
/// squares). The models here have a few dozen features at most, so the k×k Newton system is tiny and a fit converges in
/// a handful of passes over the data. Standardising makes the weights comparable, and lets each prediction be explained
/// as the sum of per-feature contributions in log-odds (<see cref="Contributions"/>).
/// </summary>
internal sealed class LogisticModel
{
    private readonly double[] _means;
    private readonly double[] _scales;
    private readonly double[] _weights;

    private LogisticModel(double intercept, double[] weights, double[] means, double[] scales)
    {
        Intercept = intercept;
        _weights = weights;
        _means = means;
        _scales = scales;
    }

    /// <summary>The log-odds of a record whose features all sit at the training mean.</summary>
    public double Intercept { get; }

    /// <summary>How many features the model reads.</summary>
    public int FeatureCount => _weights.Length;

    /// <summary>The weight of each standardised feature, in log-odds per standard deviation.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Fits the model.</summary>
    /// <param name="features">One row per record, each with the same number of features.</param>
    /// <param name="labels">The outcome of each record.</param>
    /// <param name="l2">The ridge penalty on the weights (not the intercept); keeps a fit finite on separable data.</param>
    /// <param name="maxIterations">Newton steps at most.</param>
    public static LogisticModel Train(IReadOnlyList<double[]> features, IReadOnlyList<bool> labels, double l2 = 1.0, int maxIterations = 50)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count != labels.Count)
        {
            throw new ArgumentException("Every feature row needs its label.", nameof(labels));
        }

        if (features.Count == 0)
        {
            throw new ArgumentException("Training needs at least one record.", nameof(features));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        var n = features.Count;
        var k = features[0].Length;
        var means = new double[k];
        var scales = new double[k];
        foreach (var row in features)
        {
            if (row.Length != k)
            {
                throw new ArgumentException("Every feature row must have the same length.", nameof(features));
            }

            for (var j = 0; j < k; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException("Features must be finite numbers.", nameof(features));
                }

                means[j] += row[j];
            }
        }

        for (var j = 0; j < k; j++)
        {
            means[j] /= n;
        }

        foreach (var row in features)
        {
            for (var j = 0; j < k; j++)
            {
                scales[j] += (row[j] - means[j]) * (row[j] - means[j]);
            }
        }

        for (var j = 0; j < k; j++)
        {
            var sd = Math.Sqrt(scales[j] / n);
            scales[j] = sd > 1e-12 ? sd : 1; // a constant feature carries no signal; its weight stays at 0
        }

        var positives = 0;
        foreach (var label in labels)
        {
            positives += label ? 1 : 0;
        }

        // Start at the base rate, clamped so an all-one-outcome set still has a finite intercept.
        var rate = Math.Clamp((positives + 0.5) / (n + 1.0), 1e-6, 1 - 1e-6);
        var beta = new double[k + 1];
        beta[0] = Math.Log(rate / (1 - rate));
        var x = new double[k + 1];
        var gradient = new double[k + 1];
        var hessian = new double[(k + 1) * (k + 1)];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var i = 0; i < n; i++)
            {
                Standardise(features[i], means, scales, x);
                var p = Sigmoid(Dot(beta, x));
                var residual = (labels[i] ? 1.0 : 0.0) - p;
                var w = Math.Max(p * (1 - p), 1e-12);
                for (var a = 0; a <= k; a++)
                {
                    gradient[a] += residual * x[a];
                    for (var b = 0; b <= a; b++)
                    {
                        hessian[a * (k + 1) + b] += w * x[a] * x[b];
                    }
                }
            }

            for (var a = 1; a <= k; a++)
            {
                gradient[a] -= l2 * beta[a];
                hessian[a * (k + 1) + a] += l2;
            }

            var step = SolveSymmetric(hessian, gradient, k + 1);
            var change = 0.0;
            for (var a = 0; a <= k; a++)
            {
                beta[a] += step[a];
                change = Math.Max(change, Math.Abs(step[a]));
            }

            if (change < 1e-8)
            {
                break;
            }
        }

        return new LogisticModel(beta[0], beta[1..], means, scales);
    }

    /// <summary>The predicted probability of the positive outcome.</summary>
    public double Predict(ReadOnlySpan<double> features)
    {
        CheckLength(features);
        var z = Intercept;
        for (var j = 0; j < _weights.Length; j++)
        {
            z += _weights[j] * (features[j] - _means[j]) / _scales[j];
        }

        return Sigmoid(z);
    }

    /// <summary>
    /// Each feature's contribution to the log-odds, relative to a record at the training mean: the prediction is
    /// sigmoid(<see cref="Intercept"/> + the sum of the contributions).
    /// </summary>
    public void Contributions(ReadOnlySpan<double> features, Span<double> contributions)
    {
        CheckLength(features);
        if (contributions.Length != _weights.Length)
        {
            throw new ArgumentException("One contribution slot per feature.", nameof(contributions));
        }

        for (var j = 0; j < _weights.Length; j++)
        {
            contributions[j] = _weights[j] * (features[j] - _means[j]) / _scales[j];
        }
    }

    internal static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private void CheckLength(ReadOnlySpan<double> features)
    {
        if (features.Length != _weights.Length)
        {
            throw new ArgumentException($"The model reads {_weights.Length} features, not {features.Length}.", nameof(features));
        }
    }

    private static void Standardise(double[] row, double[] means, double[] scales, double[] x)
    {
        x[0] = 1;
        for (var j = 0; j < row.Length; j++)
        {
            x[j + 1] = (row[j] - means[j]) / scales[j];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Solves H·s = g for a symmetric positive definite H given by its lower triangle (Cholesky).</summary>
    private static double[] SolveSymmetric(double[] h, double[] g, int size)
    {
        var l = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = h[i * size + j];
                for (var m = 0; m < j; m++)
                {
                    sum -= l[i * size + m] * l[j * size + m];
                }

                l[i * size + j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j * size + j];
            }
        }

        var y = new double[size];
        for (var i = 0; i < size; i++)
        {
            var sum = g[i];
            for (var m = 0; m < i; m++)
            {
                sum -= l[i * size + m] * y[m];
            }

            y[i] = sum / l[i * size + i];
        }

        var s = new double[size];
        for (var i = size - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var m = i + 1; m < size; m++)
            {
                sum -= l[m * size + i] * s[m];
            }

            s[i] = sum / l[i * size + i];
        }

        return s;
    }
}
