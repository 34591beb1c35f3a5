using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// How well a probability model did on records it was not trained on.
/// </summary>
public sealed record ModelAccuracy
{
    [JsonConstructor]
    internal ModelAccuracy()
    {
    }

    /// <summary>How many held-out records were scored.</summary>
    public int Count { get; init; }

    /// <summary>The share of held-out records with the positive outcome.</summary>
    public double BaseRate { get; init; }

    /// <summary>
    /// Area under the ROC curve: the chance that a random positive record scores above a random negative one (ties count
    /// half). 0.5 is no better than chance, 1 is perfect; null when the held-out records hold only one outcome.
    /// </summary>
    public double? Auc { get; init; }

    /// <summary>The mean squared difference between predicted probability and outcome (0 or 1); lower is better.</summary>
    public double BrierScore { get; init; }

    /// <summary>
    /// The held-out records in equal-width bins of predicted probability: in a calibrated model each bin's observed rate is
    /// close to its mean prediction. Empty bins are left out.
    /// </summary>
    public IReadOnlyList<CalibrationBin> Calibration { get; init; } = [];
}

/// <summary>One bin of a calibration table.</summary>
public sealed record CalibrationBin
{
    [JsonConstructor]
    internal CalibrationBin()
    {
    }

    /// <summary>The lowest predicted probability in the bin (inclusive).</summary>
    public double LowerBound { get; init; }

    /// <summary>The bin's upper bound (exclusive, except 1 for the last bin).</summary>
    public double UpperBound { get; init; }

    /// <summary>How many records fell in the bin.</summary>
    public int Count { get; init; }

    /// <summary>The mean predicted probability in the bin.</summary>
    public double MeanPredicted { get; init; }

    /// <summary>The share of the bin's records with the positive outcome.</summary>
    public double ObservedRate { get; init; }
}
