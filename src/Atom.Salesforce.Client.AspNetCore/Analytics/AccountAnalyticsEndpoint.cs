using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.Analytics;
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
            BodyProperty.DateRange("Close dates of the deals counted"),
            new BodyProperty("group_by", BodyType.String, false, "What the summary is grouped by, case-insensitive: the Account field Industry (default), Type or OwnerId, or territory; the pack's names industry, type and owner are the same."),
            new BodyProperty("period", BodyType.String, false, "The growth period: month, quarter (default) or year."),
            new BodyProperty("limit", BodyType.Integer, false, "How many accounts each list (accounts, churn_risks, expansion_candidates) holds, 1 to the configured maximum (2,000 by default); 50 when omitted. The totals and summaries cover every account."),
            BodyProperty.Filters("{\"owners\": [OwnerId...], \"industries\": [...], \"types\": [...]}: only accounts matching every filter given.", "owners", "industries", "types"),
        ],
        ResponseSchema,
        HandleAsync);

    /// <summary>The answer's lists of accounts, each account with its owner's id (and the name the pack adds).</summary>
    private static readonly string[] OwnedLists = ["accounts", "churn_risks", "expansion_candidates"];

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
        var limit = call.Limit();
        var source = await AnalyticsSource.ForAsync(call).ConfigureAwait(false);
        var report = await call.Services.AccountAnalytics.AnalyzeAsync(source.Data, query, call.CancellationToken).ConfigureAwait(false);

        // An org may hold tens of thousands of accounts: the lists are cut to the limit, their full lengths said beside them.
        var data = JsonSerializer.SerializeToNode(
            report with
            {
                Accounts = [.. report.Accounts.Take(limit)],
                ChurnRisks = [.. report.ChurnRisks.Take(limit)],
                ExpansionCandidates = [.. report.ExpansionCandidates.Take(limit)],
            },
            EndpointJson.Info<AccountReport>())!.AsObject();
        var users = AnalyticsNames.Lookup(await AnalyticsNames.UserNamesAsync(source.Data, call.CancellationToken).ConfigureAwait(false));
        foreach (var list in OwnedLists)
        {
            AnalyticsNames.AddNames(data[list], "owner_id", "owner_name", users);
        }

        if (groupBy == AccountDimension.Owner)
        {
            AnalyticsNames.AddNames(data["groups"], "key", "owner_name", users);
        }

        data["account_count"] = report.Accounts.Count;
        data["churn_risk_count"] = report.ChurnRisks.Count;
        data["expansion_candidate_count"] = report.ExpansionCandidates.Count;
        data["limit"] = limit;
        return data;
    }

    private static JsonObject ResponseSchema()
    {
        var schema = Schemas.For<AccountReport>("The account report; accounts, churn_risks and expansion_candidates hold at most limit entries each.");
        foreach (var list in OwnedLists)
        {
            Schemas.AddToItems(schema, list, "owner_id", "owner_name", Schemas.Nullable("string", "The owner's name."));
        }

        Schemas.AddToItems(schema, "groups", "key", "owner_name", Schemas.Nullable("string", "The owner's name, when grouped by owner (the key is then the owner's id); absent otherwise."));
        var properties = schema["properties"]!.AsObject();
        properties["account_count"] = Schemas.Type("integer", "How many accounts the report covers (accounts may list fewer).");
        properties["churn_risk_count"] = Schemas.Type("integer", "How many customers are at churn risk.");
        properties["expansion_candidate_count"] = Schemas.Type("integer", "How many expansion candidates there are.");
        properties["limit"] = Schemas.Type("integer", "The limit applied to the lists.");
        return schema;
    }
}
