using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// <c>analytics/performance</c>: <see cref="PerformanceAnalytics"/> over the user's org: per owner and per team (a manager
/// and their reports) won amount, win rate, deal size, cycle length, activities and pipeline coverage.
/// </summary>
internal static class PerformanceEndpoint
{
    public static EndpointDefinition Definition { get; } = new(
        "analytics/performance",
        "analytics",
        "Performance per owner and per team: won amount and count, win rate, average deal size, sales cycle, activities, open pipeline and coverage.",
        [
            BodyProperty.UserId,
            BodyProperty.DateRange("Close dates covered"),
            new BodyProperty("period", BodyType.String, false, "The coverage period: month, quarter (default) or year."),
            BodyProperty.Filters("{\"owners\": [OwnerId...]}: only these owners.", "owners"),
        ],
        () => Schemas.For<PerformanceReport>("The performance report."),
        HandleAsync);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var body = call.Body;
        var query = new PerformanceQuery
        {
            CloseDate = body.DateRange("date_range"),
            CoveragePeriod = AnalyticsPeriods.Parse(body, "period", CalendarPeriod.Quarter),
            Owners = body.Filter("filters", "owners"),
        };
        var source = await AnalyticsSource.ForAsync(call).ConfigureAwait(false);
        return await call.Services.PerformanceAnalytics.AnalyzeAsync(source.Data, query, call.CancellationToken).ConfigureAwait(false);
    }
}
