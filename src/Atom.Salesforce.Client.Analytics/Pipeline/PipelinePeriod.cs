namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>A period of close dates for the forecast and summaries.</summary>
public enum PipelinePeriod
{
    /// <summary>The calendar month, keyed <c>yyyy-MM</c>.</summary>
    Month,

    /// <summary>The calendar quarter, keyed <c>yyyy-Qn</c>.</summary>
    Quarter,
}
