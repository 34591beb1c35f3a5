namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>Why an open deal is at risk; a deal can have several reasons.</summary>
[Flags]
public enum AtRiskReasons
{
    /// <summary>Not at risk.</summary>
    None = 0,

    /// <summary>No stage change for <see cref="PipelineQuery.StalledAfterDays"/> days or more.</summary>
    Stalled = 1,

    /// <summary>The close date was moved later at least once.</summary>
    CloseDatePushed = 2,

    /// <summary>The close date is past and the deal is still open.</summary>
    Overdue = 4,
}
