namespace Atom.Salesforce.Client.Analytics.Pipeline;

/// <summary>The Salesforce forecast categories (ForecastCategoryName labels), in forecast order.</summary>
public static class ForecastCategories
{
    /// <summary>Open deals not yet likely enough for a forecast.</summary>
    public const string Pipeline = "Pipeline";

    /// <summary>Open deals that could close in the period.</summary>
    public const string BestCase = "Best Case";

    /// <summary>Open deals the owner commits to close in the period (API name <c>Forecast</c>).</summary>
    public const string Commit = "Commit";

    /// <summary>Won deals.</summary>
    public const string Closed = "Closed";

    /// <summary>Lost deals, and open deals left out of the forecast.</summary>
    public const string Omitted = "Omitted";

    /// <summary>All five in forecast order: Pipeline, Best Case, Commit, Closed, Omitted.</summary>
    public static IReadOnlyList<string> All { get; } = [Pipeline, BestCase, Commit, Closed, Omitted];
}
