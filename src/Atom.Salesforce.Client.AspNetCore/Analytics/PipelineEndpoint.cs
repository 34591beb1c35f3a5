using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// <c>analytics/pipeline</c>: <see cref="PipelineAnalytics"/> over the user's org, scoped by close date range and filters and
/// grouped by a dimension.
/// </summary>
internal static class PipelineEndpoint
{
    /// <summary>What <c>group_by</c> accepts: the dimension names and the Opportunity fields behind them.</summary>
    internal static readonly Dictionary<string, PipelineDimension> GroupBy = new(StringComparer.OrdinalIgnoreCase)
    {
        ["stage"] = PipelineDimension.Stage,
        ["StageName"] = PipelineDimension.Stage,
        ["owner"] = PipelineDimension.Owner,
        ["OwnerId"] = PipelineDimension.Owner,
        ["lead_source"] = PipelineDimension.LeadSource,
        ["LeadSource"] = PipelineDimension.LeadSource,
        ["type"] = PipelineDimension.Type,
        ["forecast_category"] = PipelineDimension.ForecastCategory,
        ["ForecastCategoryName"] = PipelineDimension.ForecastCategory,
        ["close_month"] = PipelineDimension.CloseMonth,
        ["close_quarter"] = PipelineDimension.CloseQuarter,
    };

    public static EndpointDefinition Definition { get; } = new(
        "analytics/pipeline",
        "analytics",
        "Pipeline report: open and weighted pipeline by a dimension, win rate, sales cycle, deal sizes, funnel, velocity, at-risk deals.",
        [
            BodyProperty.UserId,
            BodyProperty.DateRange("Close dates covered"),
            new BodyProperty("group_by", BodyType.String, false, "The Opportunity field to group by, case-insensitive: StageName (default), OwnerId, LeadSource, Type or ForecastCategoryName; or the pack's names stage, owner, lead_source, type, forecast_category, and close_month or close_quarter (by CloseDate)."),
            BodyProperty.Filters(
                "{\"lead_source\": [...], \"owners\": [OwnerId...], \"stages\": [...]}: only deals matching every filter given (\"lead_sources\" is an alias of \"lead_source\").",
                new AliasedName("lead_source", "lead_sources"),
                "owners",
                "stages"),
            new BodyProperty("period", BodyType.String, false, "The forecast's close periods: month (default), quarter or year."),
        ],
        ResponseSchema,
        HandleAsync);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var body = call.Body;
        var groupBy = PipelineDimension.Stage;
        if (body.String("group_by") is { } group && !GroupBy.TryGetValue(group, out groupBy))
        {
            throw EndpointError.Validation(
                EndpointErrorCodes.InvalidField, $"'group_by': '{RequestBody.Excerpt(group)}' is not a pipeline dimension; use stage, owner, lead_source, type, forecast_category, close_month or close_quarter.");
        }

        var query = new PipelineQuery
        {
            CloseDate = body.DateRange("date_range"),
            GroupBy = groupBy,
            ForecastBy = AnalyticsPeriods.Parse(body, "period", CalendarPeriod.Month),
            Owners = body.Filter("filters", "owners"),
            LeadSources = body.Filter("filters", "lead_source"),
            Stages = body.Filter("filters", "stages"),
        };
        var source = await AnalyticsSource.ForAsync(call).ConfigureAwait(false);
        var report = await call.Services.PipelineAnalytics.AnalyzeAsync(source.Data, query, call.CancellationToken).ConfigureAwait(false);
        var data = JsonSerializer.SerializeToNode(report, EndpointJson.Info<PipelineReport>())!.AsObject();
        if (groupBy == PipelineDimension.Owner && report.Groups.Count > 0)
        {
            var users = await AnalyticsNames.UserNamesAsync(source.Data, call.CancellationToken).ConfigureAwait(false);
            AnalyticsNames.AddNames(data["groups"], "key", "owner_name", AnalyticsNames.Lookup(users));
        }

        if (report.AtRisk.Count > 0)
        {
            Func<string, (string? Name, string? AccountId)> deal;
            Func<string, string?> account;
            if (source.Mirror is { } mirror)
            {
                // From the mirror: the deals the user sees, and the names of their accounts (seeing a deal shows its account).
                var deals = (await source.Data.LoadAsync(SalesDataParts.Opportunities, cancellationToken: call.CancellationToken).ConfigureAwait(false))
                    .Opportunities.ToDictionary(o => o.Id, o => (o.Name, o.AccountId), StringComparer.Ordinal);
                var wanted = report.AtRisk.Select(d => deals.GetValueOrDefault(d.OpportunityId).AccountId).OfType<string>().ToHashSet(StringComparer.Ordinal);
                var accounts = (await mirror.LoadAsync(SalesDataParts.Accounts, cancellationToken: call.CancellationToken).ConfigureAwait(false))
                    .Accounts.Where(a => wanted.Contains(a.Id)).ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
                deal = id => deals.GetValueOrDefault(id);
                account = id => accounts.GetValueOrDefault(id);
            }
            else
            {
                // The deals and their accounts by name: two queries (200 ids each), not one per deal.
                var deals = await AnalyticsNames.RecordsAsync(call.Client, "Opportunity", "Name, AccountId", report.AtRisk.Select(d => d.OpportunityId), call.CancellationToken).ConfigureAwait(false);
                var accounts = await AnalyticsNames.RecordsAsync(
                    call.Client, "Account", "Name", deals.Values.Select(d => d.Get<string>("AccountId")).OfType<string>(), call.CancellationToken).ConfigureAwait(false);
                deal = id => deals.GetValueOrDefault(id) is { } d ? (d.Get<string>("Name"), d.Get<string>("AccountId")) : (null, null);
                account = id => accounts.GetValueOrDefault(id)?.Get<string>("Name");
            }

            foreach (var item in data["at_risk"]!.AsArray().OfType<JsonObject>())
            {
                var (name, accountId) = deal(item["opportunity_id"]!.GetValue<string>());
                AnalyticsNames.InsertAfter(item, "opportunity_id", "opportunity_name", name);
                AnalyticsNames.InsertAfter(item, "opportunity_name", "account_id", accountId);
                AnalyticsNames.InsertAfter(item, "account_id", "account_name", accountId is null ? null : account(accountId));
            }
        }

        return data;
    }

    private static JsonObject ResponseSchema()
    {
        static JsonObject N(string d) => Schemas.Nullable("number", d);
        static JsonObject I(string d) => Schemas.Type("integer", d);
        static JsonObject D(string d) => Schemas.Type("number", d);
        var group = Schemas.Named("PipelineGroup", Schemas.Object("One group.", ("key", Schemas.Nullable("string", "The group value.")), ("owner_name", Schemas.Nullable("string", "The owner's name, when grouped by owner (the key is then the owner's id); absent otherwise.")), ("count", I("Open deals.")), ("amount", D("Their amount.")), ("weighted_amount", D("Their weighted amount."))));
        var cycle = Schemas.Named("SalesCycle", Schemas.Object("Days from creation to close of won deals.", ("count", I("Deals.")), ("mean_days", N("Mean.")), ("median_days", N("Median."))));
        var bin = Schemas.Named("HistogramBin", Schemas.Object("A histogram bin.", ("lower_bound", D("Lower bound.")), ("upper_bound", N("Upper bound; null for the last.")), ("count", I("Deals."))));
        var sizes = Schemas.Named("DealSizeDistribution", Schemas.Object("Won deal amounts.", ("count", I("Deals.")), ("mean", N("Mean.")), ("p25", N("25th percentile.")), ("p50", N("Median.")), ("p75", N("75th percentile.")), ("p90", N("90th percentile.")), ("bins", Schemas.Array(bin, "Histogram."))));
        var stage = Schemas.Named("StageMetrics", Schemas.Object("One open stage.", ("stage_name", Schemas.Type("string", "Stage.")), ("reached", I("Deals that reached it.")), ("advanced", I("Of those, deals that moved on.")), ("conversion_rate", N("Advanced / reached.")), ("completed_stays", I("Completed stays.")), ("mean_days", N("Mean stay.")), ("median_days", N("Median stay."))));
        var risk = Schemas.Named("AtRiskDeal", Schemas.Object("An at-risk deal.", ("opportunity_id", Schemas.Type("string", "Deal.")), ("opportunity_name", Schemas.Nullable("string", "The deal's name.")), ("account_id", Schemas.Nullable("string", "The deal's account.")), ("account_name", Schemas.Nullable("string", "The account's name.")), ("stage_name", Schemas.Type("string", "Stage.")), ("amount", D("Amount.")), ("close_date", Schemas.Type("string", "Close date.")), ("days_since_stage_change", I("Days in stage.")), ("close_date_pushes", I("Close date moves.")), ("days_overdue", I("Days past close date.")), ("reasons", Schemas.Type("string", "stalled, close_date_pushed, overdue (comma-separated)."))));
        return Schemas.Named("PipelineReport", Schemas.Object(
            "The pipeline report.",
            ("start", Schemas.Nullable("string", "First close date covered (yyyy-MM-dd); null for all.")),
            ("end", Schemas.Nullable("string", "Last close date covered; null for all.")),
            ("count", I("Deals in scope.")),
            ("open_count", I("Open deals.")),
            ("won_count", I("Won deals.")),
            ("lost_count", I("Closed deals not won.")),
            ("open_amount", D("Total amount of open deals.")),
            ("weighted_amount", D("Open amount weighted by probability.")),
            ("groups", Schemas.Array(group, "Open pipeline by group_by.")),
            ("win_rate", N("Won / (won + lost); null when none closed.")),
            ("sales_cycle", cycle),
            ("deal_sizes", sizes),
            ("stages", Schemas.Array(stage, "Funnel in stage order.")),
            ("velocity", N("Amount per day: open deals x win rate x average won size / mean cycle.")),
            ("at_risk_count", I("Open deals at risk.")),
            ("at_risk_amount", D("Their amount.")),
            ("at_risk", Schemas.Array(risk, "Largest first.")),
            ("forecast", Schemas.Array(
                Schemas.For<ForecastPeriod>("One close period (yyyy-MM, yyyy-Qn or yyyy, by period) and its deals by forecast category."),
                "Every deal in scope by close period and forecast category, periods in time order.")),
            ("bottlenecks", Schemas.Array(
                Schemas.For<BottleneckStage>("An open stage holding deals back, with the measures that flagged it."),
                "The bottleneck stages, worst first."))));
    }
}
