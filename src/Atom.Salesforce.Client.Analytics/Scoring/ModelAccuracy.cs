namespace Atom.Salesforce.Client.Analytics.Scoring;

/// <summary>
/// How well a probability model did on records it was not trained on.
/// </summary>
/// <param name="Count">How many held-out records were scored.</param>
/// <param name="BaseRate">The share of held-out records with the positive outcome.</param>
/// <param name="Auc">
/// Area under the ROC curve: the chance that a random positive record scores above a random negative one (ties count
/// half). 0.5 is no better than chance, 1 is perfect; null when the held-out records hold only one outcome.
/// </param>
/// <param name="BrierScore">The mean squared difference between predicted probability and outcome (0 or 1); lower is better.</param>
/// <param name="Calibration">
/// The held-out records in equal-width bins of predicted probability: in a calibrated model each bin's observed rate is
/// close to its mean prediction. Empty bins are left out.
/// </param>
public sealed record ModelAccuracy(int Count, double BaseRate, double? Auc, double BrierScore, IReadOnlyList<CalibrationBin> Calibration);

/// <summary>One bin of a calibration table.</summary>
/// <param name="LowerBound">The lowest predicted probability in the bin (inclusive).</param>
/// <param name="UpperBound">The bin's upper bound (exclusive, except 1 for the last bin).</param>
/// <param name="Count">How many records fell in the bin.</param>
/// <param name="MeanPredicted">The mean predicted probability in the bin.</param>
/// <param name="ObservedRate">The share of the bin's records with the positive outcome.</param>
public sealed record CalibrationBin(double LowerBound, double UpperBound, int Count, double MeanPredicted, double ObservedRate);
