using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

public sealed class LogisticModelTests
{
    [Fact]
    public void One_binary_feature_without_penalty_reproduces_each_groups_rate()
    {
        // x = 0: 1 of 4 positive; x = 1: 3 of 4. The maximum-likelihood fit predicts exactly 1/4 and 3/4.
        double[][] features = [[0], [0], [0], [0], [1], [1], [1], [1]];
        bool[] labels = [true, false, false, false, true, true, true, false];

        var model = LogisticModel.Train(features, labels, l2: 0);

        Assert.Equal(0.25, model.Predict([0]), 6);
        Assert.Equal(0.75, model.Predict([1]), 6);
        // Standardised: mean 0.5, sd 0.5, so x = 1 is +1 sd and its weight is logit(3/4) − logit(1/4) halved... doubled:
        // log-odds go from −ln 3 to +ln 3 over 2 sd, so the weight is ln 3 per sd and the intercept (at the mean) is 0.
        Assert.Equal(Math.Log(3), model.Weights[0], 6);
        Assert.Equal(0, model.Intercept, 6);
    }

    [Fact]
    public void Learns_a_planted_signal_and_ignores_noise()
    {
        // y ~ Bernoulli(sigmoid(−0.5 + 2·x1)); x2 is noise. With 20,000 rows the fit lands close to the truth.
        var random = new Random(7);
        var features = new List<double[]>();
        var labels = new List<bool>();
        for (var i = 0; i < 20_000; i++)
        {
            var x1 = Normal(random);
            var x2 = Normal(random);
            features.Add([x1, x2]);
            labels.Add(random.NextDouble() < LogisticModel.Sigmoid(-0.5 + 2 * x1));
        }

        var model = LogisticModel.Train(features, labels, l2: 0.01);
        var sd1 = Math.Sqrt(features.Average(f => f[0] * f[0]) - Math.Pow(features.Average(f => f[0]), 2));

        Assert.Equal(2.0, model.Weights[0] / sd1, 0.15);
        Assert.Equal(0.0, model.Weights[1], 0.1);
        Assert.Equal(LogisticModel.Sigmoid(-0.5 + 2 * 1.0), model.Predict([1.0, 0.0]), 0.03);

        Span<double> contributions = stackalloc double[2];
        model.Contributions([1.0, 0.0], contributions);
        Assert.True(contributions[0] > 1.5);
        Assert.Equal(model.Predict([1.0, 0.0]), LogisticModel.Sigmoid(model.Intercept + contributions[0] + contributions[1]), 12);
    }

    [Fact]
    public void Separable_or_one_sided_data_still_gives_finite_predictions()
    {
        var separable = LogisticModel.Train([[0], [1]], [false, true]);
        Assert.InRange(separable.Predict([1]), 0.5, 1);
        Assert.True(double.IsFinite(separable.Weights[0]));

        var allPositive = LogisticModel.Train([[0], [1], [2]], [true, true, true]);
        Assert.InRange(allPositive.Predict([1]), 0.5, 1);
        Assert.Equal(0, allPositive.Weights[0], 6);
    }

    [Fact]
    public void Bad_training_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LogisticModel.Train([], []));
        Assert.Throws<ArgumentException>(() => LogisticModel.Train([[1.0]], [true, false]));
        Assert.Throws<ArgumentException>(() => LogisticModel.Train([[1.0], [1.0, 2.0]], [true, false]));
        Assert.Throws<ArgumentException>(() => LogisticModel.Train([[double.NaN]], [true]));
        Assert.Throws<ArgumentException>(() => LogisticModel.Train([[1.0]], [true]).Predict([1.0, 2.0]));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
