namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// One OpportunityHistory row: Salesforce writes one when an opportunity is created and whenever its stage, amount,
/// probability or close date changes. Named as in Salesforce so that a SOQL query fills it directly.
/// </summary>
public sealed record OpportunityHistoryRecord
{
    /// <summary>The opportunity the row belongs to.</summary>
    public required string OpportunityId { get; init; }

    /// <summary>The stage after the change.</summary>
    public required string StageName { get; init; }

    /// <summary>The amount after the change: the deal's amount as of <see cref="CreatedDate"/>, not its final amount.</summary>
    public decimal? Amount { get; init; }

    /// <summary>
    /// The probability (percent, 0–100) after the change: what Salesforce showed for the deal as of <see cref="CreatedDate"/>,
    /// the stage's default unless a rep set another.
    /// </summary>
    public double? Probability { get; init; }

    /// <summary>The close date after the change.</summary>
    public DateOnly? CloseDate { get; init; }

    /// <summary>When the change happened.</summary>
    public DateTimeOffset CreatedDate { get; init; }
}
