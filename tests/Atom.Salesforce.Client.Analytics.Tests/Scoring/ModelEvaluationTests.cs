using Atom.Salesforce.Client.Analytics.Scoring;

namespace Atom.Salesforce.Client.Analytics.Tests.Scoring;

public sealed class ModelEvaluationTests
{
    [Fact]
    public void Auc_brier_and_calibration_match_the_hand_worked_values()
    {
        // Positives at 0.35 and 0.8, negatives at 0.1 and 0.4: of the four (positive, negative) pairs only 0.35 < 0.4
        // is ordered wrongly, so AUC = 3/4. Brier = (0.1² + 0.4² + 0.65² + 0.2²) / 4 = 0.6325 / 4.
        var accuracy = ModelEvaluation.Evaluate([0.1, 0.4, 0.35, 0.8], [false, false, true, true], bins: 2);

        Assert.Equal(4, accuracy.Count);
        Assert.Equal(0.5, accuracy.BaseRate);
        Assert.Equal(0.75, accuracy.Auc!.Value, 12);
        Assert.Equal(0.158125, accuracy.BrierScore, 12);
        Assert.Equal(2, accuracy.Calibration.Count);
        Assert.Equal(new CalibrationBin
        {
            LowerBound = 0,
            UpperBound = 0.5,
            Count = 3,
            MeanPredicted = 0.85 / 3,
            ObservedRate = 1.0 / 3,
        }, accuracy.Calibration[0] with { MeanPredicted = 0.85 / 3 });
        Assert.Equal(0.85 / 3, accuracy.Calibration[0].MeanPredicted, 12);
        Assert.Equal(new CalibrationBin
        {
            LowerBound = 0.5,
            UpperBound = 1,
            Count = 1,
            MeanPredicted = 0.8,
            ObservedRate = 1,
        }, accuracy.Calibration[1]);
    }

    [Fact]
    public void Tied_predictions_count_half_and_one_outcome_has_no_auc()
    {
        Assert.Equal(0.5, ModelEvaluation.Evaluate([0.5, 0.5], [true, false]).Auc);
        // Ranks: 0.2 → 1, the three 0.6 → 3 each, 0.9 → 5. Positives hold 3 + 5 = 8; (8 − 3) / (2 · 3) = 5/6.
        Assert.Equal(5.0 / 6, ModelEvaluation.Evaluate([0.2, 0.6, 0.6, 0.6, 0.9], [false, true, false, false, true]).Auc!.Value, 12);
        Assert.Null(ModelEvaluation.Evaluate([0.2, 0.7], [true, true]).Auc);
        Assert.Equal(0, ModelEvaluation.Evaluate([], []).Count);
    }

    [Fact]
    public void A_probability_of_one_lands_in_the_last_bin_and_bad_input_is_refused()
    {
        var accuracy = ModelEvaluation.Evaluate([1.0, 0.0], [true, false], bins: 10);
        Assert.Equal([0.0, 0.9], accuracy.Calibration.Select(b => b.LowerBound));
        Assert.Equal(0, accuracy.BrierScore);

        Assert.Throws<ArgumentException>(() => ModelEvaluation.Evaluate([1.5], [true]));
        Assert.Throws<ArgumentException>(() => ModelEvaluation.Evaluate([double.NaN], [true]));
        Assert.Throws<ArgumentException>(() => ModelEvaluation.Evaluate([0.5], []));
    }
}
