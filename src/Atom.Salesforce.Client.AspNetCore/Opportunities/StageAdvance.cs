using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Telemetry;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.AspNetCore.Opportunities;

/// <summary>
/// <c>opportunities/stage-advance</c>: moves an open opportunity to the next open stage in OpportunityStage order, or to a
/// named open stage, and fills Probability and ForecastCategoryName from the stage. A closed opportunity, a closed target
/// stage and an unknown stage are refused (close deals with <c>opportunities/update</c>).
/// </summary>
internal static class StageAdvance
{
    internal const string StageQuery =
        "SELECT ApiName, MasterLabel, SortOrder, IsClosed, IsWon, DefaultProbability, ForecastCategoryName FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder";

    public static EndpointDefinition Definition { get; } = new(
        "opportunities/stage-advance",
        "opportunities",
        "Advance an opportunity to the next open stage, or to a named open stage; fills Probability and ForecastCategoryName.",
        [
            BodyProperty.UserId,
            new BodyProperty("opportunity_id", BodyType.Id, true, "The opportunity."),
            new BodyProperty("target_stage", BodyType.String, false, "An open stage to move to (API name or label); the next open stage when omitted."),
        ],
        ResponseSchema,
        HandleAsync);

    internal sealed record Stage(string ApiName, string Label, int SortOrder, bool IsClosed, double? Probability, string? ForecastCategory);

    internal sealed record Result(string Id, string PreviousStage, string Stage, double? Probability, string? ForecastCategory);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var id = call.Body.RequiredId("opportunity_id");
        var target = call.Body.String("target_stage");
        var client = call.Client;
        var opportunity = await client.SObjects.GetAsync<SObject>("Opportunity", id, ["StageName", "IsClosed"], call.CancellationToken).ConfigureAwait(false);
        var stages = new List<Stage>();
        await foreach (var row in client.Query.QueryAsync<SObject>(StageQuery, cancellationToken: call.CancellationToken).ConfigureAwait(false))
        {
            stages.Add(new Stage(
                row.Get<string>("ApiName") ?? row.Get<string>("MasterLabel") ?? string.Empty,
                row.Get<string>("MasterLabel") ?? string.Empty,
                row.Get<int?>("SortOrder") ?? 0,
                row.Get<bool?>("IsClosed") ?? false,
                row.Get<double?>("DefaultProbability"),
                row.Get<string>("ForecastCategoryName")));
        }

        var current = opportunity.Get<string>("StageName") ?? string.Empty;
        var next = Choose(stages, current, opportunity.Get<bool?>("IsClosed") ?? false, target);
        var update = new SObject("Opportunity") { ["StageName"] = next.ApiName, ["Probability"] = next.Probability };
        if (next.ForecastCategory is not null)
        {
            update["ForecastCategoryName"] = next.ForecastCategory;
        }

        await client.SObjects.UpdateAsync("Opportunity", id, update, call.CancellationToken).ConfigureAwait(false);
        Log.StageAdvanced(call.Services.Logger, id, current, next.ApiName, call.UserId!);
        return new Result(id, current, next.ApiName, next.Probability, next.ForecastCategory);
    }

    /// <summary>The stage to move to: the named one, or the first open stage after the current one in sort order.</summary>
    internal static Stage Choose(IReadOnlyList<Stage> stages, string current, bool isClosed, string? target)
    {
        var currentStage = stages.FirstOrDefault(s => Matches(s, current));
        if (isClosed || currentStage?.IsClosed == true)
        {
            throw EndpointError.Validation(EndpointErrorCodes.OpportunityClosed, $"The opportunity is closed ({current}); a closed deal does not advance.");
        }

        if (target is not null)
        {
            var named = stages.FirstOrDefault(s => Matches(s, target))
                ?? throw EndpointError.Validation(EndpointErrorCodes.UnknownStage, $"'{RequestBody.Excerpt(target)}' is not an active opportunity stage.");
            if (named.IsClosed)
            {
                throw EndpointError.Validation(EndpointErrorCodes.ClosedStage, $"'{named.ApiName}' is a closed stage; close a deal with opportunities/update.");
            }

            if (currentStage is not null && named.ApiName == currentStage.ApiName)
            {
                throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, $"The opportunity is already in '{named.ApiName}'.");
            }

            return named;
        }

        if (currentStage is null)
        {
            throw EndpointError.Validation(EndpointErrorCodes.UnknownStage, $"The opportunity's stage '{current}' is not an active stage; name a target_stage.");
        }

        return stages.Where(s => !s.IsClosed && s.SortOrder > currentStage.SortOrder).OrderBy(s => s.SortOrder).FirstOrDefault()
            ?? throw EndpointError.Validation(EndpointErrorCodes.NoNextStage, $"'{currentStage.ApiName}' is the last open stage; close the deal with opportunities/update.");
    }

    private static bool Matches(Stage stage, string name) =>
        string.Equals(stage.ApiName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(stage.Label, name, StringComparison.OrdinalIgnoreCase);

    private static JsonObject ResponseSchema() => Schemas.Object(
        "The stage change.",
        ("id", Schemas.Type("string", "The opportunity id.")),
        ("previous_stage", Schemas.Type("string", "The stage before.")),
        ("stage", Schemas.Type("string", "The new stage.")),
        ("probability", Schemas.Nullable("number", "The new Probability (the stage's default).")),
        ("forecast_category", Schemas.Nullable("string", "The new ForecastCategoryName.")));
}
