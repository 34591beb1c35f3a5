using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// <c>analytics/accounts</c>: <see cref="AccountAnalytics"/> over the user's org: growth by period, health, churn risk,
/// expansion candidates, engagement, lifetime value and territories, for deals closing in a date range.
/// </summary>
internal static class AccountAnalyticsEndpoint
{
    /// <summary>What <c>group_by</c> accepts: the summary's dimension names and the Account fields behind them.</summary>
    internal static readonly Dictionary<string, AccountDimension> GroupBy = new(StringComparer.OrdinalIgnoreCase)
    {
        ["industry"] = AccountDimension.Industry,
        ["type"] = AccountDimension.Type,
        ["owner"] = AccountDimension.Owner,
        ["OwnerId"] = AccountDimension.Owner,
        ["territory"] = AccountDimension.Territory,
    };

    public static EndpointDefinition Definition { get; } = new(
        "analytics/accounts",
        "analytics",
        "Account report: won revenue by period with year-over-year growth, explainable health scores, churn risk, expansion candidates, engagement, customer lifetime value and territories.",
        [
            BodyProperty.UserId,
            new BodyProperty("date_range", BodyType.DateRange, false, "Close dates of the deals counted: a relative literal (\"LAST_N_DAYS:365\", \"this_year\") or {\"start\": \"yyyy-MM-dd\", \"end\": \"yyyy-MM-dd\"}; all when omitted."),
            new BodyProperty("group_by", BodyType.String, false, "What the summary is grouped by: industry (default), type, owner or territory."),
            new BodyProperty("period", BodyType.String, false, "The growth period: month, quarter (default) or year."),
            BodyProperty.Filters("{\"owners\": [OwnerId...], \"industries\": [...], \"types\": [...]}: only accounts matching every filter given.", "owners", "industries", "types"),
        ],
        () => Schemas.For<AccountReport>("The account report."),
        HandleAsync);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var body = call.Body;
        var groupBy = AccountDimension.Industry;
        if (body.String("group_by") is { } group && !GroupBy.TryGetValue(group, out groupBy))
        {
            throw EndpointError.Validation(
                EndpointErrorCodes.InvalidField, $"'group_by': '{RequestBody.Excerpt(group)}' is not an account dimension; use industry, type, owner or territory.");
        }

        var query = new AccountQuery
        {
            CloseDate = body.DateRange("date_range"),
            GroupBy = groupBy,
            GrowthPeriod = AnalyticsPeriods.Parse(body, "period", CalendarPeriod.Quarter),
            Owners = body.Filter("filters", "owners"),
            Industries = body.Filter("filters", "industries"),
            Types = body.Filter("filters", "types"),
        };
        return await call.Services.AccountAnalytics.AnalyzeAsync(call.Client, query, call.CancellationToken).ConfigureAwait(false);
    }
}
