namespace Atom.Salesforce.Client.Analytics.Data;

/// <summary>
/// One stage of the opportunity stage picklist, in the org's order (OpportunityStage.SortOrder). The order decides what
/// "moving forward" means for the funnel and stage-to-stage conversion. <see cref="OpportunityLoader.LoadStagesAsync"/>
/// reads the org's own stages.
/// </summary>
public sealed record StageDefinition
{
    /// <summary>The stage name (OpportunityStage.ApiName).</summary>
    public required string Name { get; init; }

    /// <summary>True for closed stages.</summary>
    public bool IsClosed { get; init; }

    /// <summary>True for won stages.</summary>
    public bool IsWon { get; init; }

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
        new() { Name = "Closed Won", IsClosed = true, IsWon = true, DefaultProbability = 100, ForecastCategoryName = "Closed" },
        new() { Name = "Closed Lost", IsClosed = true, DefaultProbability = 0, ForecastCategoryName = "Omitted" },
    ];

    private static StageDefinition Open(string name, double probability) =>
        new() { Name = name, DefaultProbability = probability, ForecastCategoryName = "Pipeline" };
}
