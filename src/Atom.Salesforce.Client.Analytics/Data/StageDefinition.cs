namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// One stage of the opportunity stage picklist, in the org's order (OpportunityStage.SortOrder). The order decides what
/// "moving forward" means for the funnel and stage-to-stage conversion.
/// </summary>
/// <param name="Name">The stage name (OpportunityStage.ApiName).</param>
/// <param name="IsClosed">True for closed stages.</param>
/// <param name="IsWon">True for won stages.</param>
public sealed record StageDefinition(string Name, bool IsClosed = false, bool IsWon = false)
{
    /// <summary>The default Salesforce sales process: eight open stages, then Closed Won and Closed Lost.</summary>
    public static IReadOnlyList<StageDefinition> SalesforceDefaults { get; } =
    [
        new("Prospecting"),
        new("Qualification"),
        new("Needs Analysis"),
        new("Value Proposition"),
        new("Id. Decision Makers"),
        new("Perception Analysis"),
        new("Proposal/Price Quote"),
        new("Negotiation/Review"),
        new("Closed Won", IsClosed: true, IsWon: true),
        new("Closed Lost", IsClosed: true),
    ];
}
