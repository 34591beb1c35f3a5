namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// One stage of the opportunity stage picklist, in the org's order (OpportunityStage.SortOrder). The order decides what
/// "moving forward" means for the funnel and stage-to-stage conversion. <see cref="OpportunityLoader.LoadStagesAsync"/>
/// reads the org's own stages.
/// </summary>
/// <param name="Name">The stage name (OpportunityStage.ApiName).</param>
/// <param name="IsClosed">True for closed stages.</param>
/// <param name="IsWon">True for won stages.</param>
public sealed record StageDefinition(string Name, bool IsClosed = false, bool IsWon = false)
{
    /// <summary>The probability (0–100) a deal takes when it enters the stage; null when unknown.</summary>
    public double? DefaultProbability { get; init; }

    /// <summary>
    /// The stage's forecast category label (Pipeline, Best Case, Commit, Closed or Omitted); null when unknown. The forecast
    /// uses it for an open deal that has no forecast category of its own.
    /// </summary>
    public string? ForecastCategoryName { get; init; }

    /// <summary>
    /// The default Salesforce sales process: eight open stages, then Closed Won and Closed Lost, with the default
    /// probabilities and forecast categories of a new org.
    /// </summary>
    public static IReadOnlyList<StageDefinition> SalesforceDefaults { get; } =
    [
        Open("Prospecting", 10),
        Open("Qualification", 10),
        Open("Needs Analysis", 20),
        Open("Value Proposition", 50),
        Open("Id. Decision Makers", 60),
        Open("Perception Analysis", 70),
        Open("Proposal/Price Quote", 75),
        Open("Negotiation/Review", 90),
        new("Closed Won", IsClosed: true, IsWon: true) { DefaultProbability = 100, ForecastCategoryName = "Closed" },
        new("Closed Lost", IsClosed: true) { DefaultProbability = 0, ForecastCategoryName = "Omitted" },
    ];

    private static StageDefinition Open(string name, double probability) =>
        new(name) { DefaultProbability = probability, ForecastCategoryName = "Pipeline" };
}
