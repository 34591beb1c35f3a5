using System.Globalization;
using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>How the report writes numbers, the same in the terminal and in the HTML (invariant culture).</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>An amount, rounded to a whole unit with thousands separators: <c>1,234,567</c>.</summary>
    public static string Money(double value) => value.ToString("N0", Invariant);

    /// <summary>An optional amount; <c>-</c> when unknown.</summary>
    public static string Money(double? value) => value is { } v ? Money(v) : "-";

    /// <summary>A short amount for chart axes: <c>950</c>, <c>12.5k</c>, <c>3.2M</c>.</summary>
    public static string Compact(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", Invariant) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", Invariant) + "k",
        _ => value.ToString("0", Invariant),
    };

    /// <summary>A count: <c>2,500</c>.</summary>
    public static string Count(int value) => value.ToString("N0", Invariant);

    /// <summary>A number of deals: <c>1 deal</c>, <c>2,500 deals</c>.</summary>
    public static string Deals(int value) => value == 1 ? "1 deal" : Count(value) + " deals";

    /// <summary>A rate as a percentage with one decimal: <c>42.5%</c>; <c>-</c> when unknown.</summary>
    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.0", Invariant) + "%" : "-";

    /// <summary>A number of days with one decimal: <c>12.5</c>; <c>-</c> when unknown.</summary>
    public static string Days(double? value) => value is { } v ? v.ToString("0.0", Invariant) : "-";

    /// <summary>A date as <c>yyyy-MM-dd</c>.</summary>
    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", Invariant);

    /// <summary>The reasons a deal is at risk, in words: <c>stalled, pushed, overdue</c>.</summary>
    public static string Reasons(AtRiskReasons reasons)
    {
        var words = new List<string>(3);
        if (reasons.HasFlag(AtRiskReasons.Stalled))
        {
            words.Add("stalled");
        }

        if (reasons.HasFlag(AtRiskReasons.CloseDatePushed))
        {
            words.Add("close date pushed");
        }

        if (reasons.HasFlag(AtRiskReasons.Overdue))
        {
            words.Add("overdue");
        }

        return string.Join(", ", words);
    }

    /// <summary>A bottleneck score with two decimals: <c>1.25</c>.</summary>
    public static string Score(double value) => value.ToString("0.00", Invariant);

    /// <summary>
    /// Why a stage is a bottleneck, in words: <c>conversion 40.0% vs typical 75.0% (0.53x)</c> or
    /// <c>median 18.0 days vs typical 6.0 (3.00x)</c>.
    /// </summary>
    public static string Reason(BottleneckReason reason) => reason.Measure == BottleneckMeasure.Conversion
        ? $"conversion {Percent(reason.Value)} vs typical {Percent(reason.Typical)} ({reason.Ratio.ToString("0.00", Invariant)}x)"
        : $"median {Days(reason.Value)} days vs typical {Days(reason.Typical)} ({reason.Ratio.ToString("0.00", Invariant)}x)";

    /// <summary>A histogram bin's range: <c>10k-25k</c>, or <c>100k+</c> for the last one.</summary>
    public static string Bin(HistogramBin bin) =>
        bin.UpperBound is { } upper ? $"{Compact(bin.LowerBound)}-{Compact(upper)}" : $"{Compact(bin.LowerBound)}+";
}
