namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>What the pipeline value is grouped by.</summary>
public enum PipelineDimension
{
    /// <summary>StageName, in stage order (the default).</summary>
    Stage,

    /// <summary>OwnerId.</summary>
    Owner,

    /// <summary>LeadSource.</summary>
    LeadSource,

    /// <summary>Type.</summary>
    Type,

    /// <summary>ForecastCategoryName.</summary>
    ForecastCategory,

    /// <summary>The close date's calendar month, keyed <c>yyyy-MM</c>.</summary>
    CloseMonth,

    /// <summary>The close date's calendar quarter, keyed <c>yyyy-Qn</c>.</summary>
    CloseQuarter,
}
