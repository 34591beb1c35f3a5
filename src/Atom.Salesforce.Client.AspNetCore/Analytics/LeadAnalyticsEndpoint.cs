using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.Analytics;

/// <summary>
/// <c>analytics/leads</c>: <see cref="LeadAnalytics"/> over the user's org, for leads created in a date range, matching the
/// filters, grouped by a dimension.
/// </summary>
internal static class LeadAnalyticsEndpoint
{
    /// <summary>What <c>group_by</c> accepts: the dimension names and the Lead fields behind them.</summary>
    internal static readonly Dictionary<string, LeadDimension> GroupBy = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lead_source"] = LeadDimension.LeadSource,
        ["LeadSource"] = LeadDimension.LeadSource,
        ["owner"] = LeadDimension.Owner,
        ["OwnerId"] = LeadDimension.Owner,
        ["industry"] = LeadDimension.Industry,
        ["rating"] = LeadDimension.Rating,
    };

    public static EndpointDefinition Definition { get; } = new(
        "analytics/leads",
        "analytics",
        "Lead report: volume, conversion, time to convert, won revenue and ROI by a dimension and per campaign; monthly trends and lead velocity; aging and stale leads; scoring accuracy (AUC, Brier, calibration) on held-out leads.",
        [
            BodyProperty.UserId,
            BodyProperty.DateRange("Lead created dates covered"),
            new BodyProperty("group_by", BodyType.String, false, "The Lead field to group by, case-insensitive: LeadSource (default), OwnerId, Industry or Rating; or the pack's names lead_source, owner, industry, rating."),
            BodyProperty.Filters(
                "{\"lead_source\": [...], \"owners\": [OwnerId...], \"statuses\": [...], \"industries\": [...]}: only leads matching every filter given (\"lead_sources\" is an alias of \"lead_source\").",
                new AliasedName("lead_source", "lead_sources"),
                "owners",
                "statuses",
                "industries"),
        ],
        ResponseSchema,
        HandleAsync);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var body = call.Body;
        var groupBy = LeadDimension.LeadSource;
        if (body.String("group_by") is { } group && !GroupBy.TryGetValue(group, out groupBy))
        {
            throw EndpointError.Validation(
                EndpointErrorCodes.InvalidField, $"'group_by': '{RequestBody.Excerpt(group)}' is not a lead dimension; use lead_source, owner, industry or rating.");
        }

        var query = new LeadQuery
        {
            CreatedDate = body.DateRange("date_range"),
            GroupBy = groupBy,
            LeadSources = body.Filter("filters", "lead_source"),
            Owners = body.Filter("filters", "owners"),
            Statuses = body.Filter("filters", "statuses"),
            Industries = body.Filter("filters", "industries"),
        };
        var source = await AnalyticsSource.ForAsync(call).ConfigureAwait(false);
        var report = await call.Services.LeadAnalytics.AnalyzeAsync(source.Data, query, call.CancellationToken).ConfigureAwait(false);
        var data = JsonSerializer.SerializeToNode(report, EndpointJson.Info<LeadReport>())!.AsObject();
        var ownerGroups = groupBy == LeadDimension.Owner && report.Groups.Count > 0;
        if (ownerGroups || report.Stale.Count > 0)
        {
            var users = AnalyticsNames.Lookup(await AnalyticsNames.UserNamesAsync(source.Data, call.CancellationToken).ConfigureAwait(false));
            if (ownerGroups)
            {
                AnalyticsNames.AddNames(data["groups"], "key", "owner_name", users);
            }

            AnalyticsNames.AddNames(data["stale"], "owner_id", "owner_name", users);
        }

        return data;
    }

    private static JsonObject ResponseSchema()
    {
        var schema = Schemas.For<LeadReport>("The lead report.");
        Schemas.AddToItems(schema, "groups", "key", "owner_name", Schemas.Nullable("string", "The owner's name, when grouped by owner (the key is then the owner's id); absent otherwise."));
        Schemas.AddToItems(schema, "stale", "owner_id", "owner_name", Schemas.Nullable("string", "The owner's name."));
        return schema;
    }
}
