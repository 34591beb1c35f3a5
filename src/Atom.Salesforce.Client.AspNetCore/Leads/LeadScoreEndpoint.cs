using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.AspNetCore.Analytics;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Records;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;

namespace Atom.Salesforce.Client.AspNetCore.Leads;

/// <summary>
/// <c>leads/score</c>: a saved lead (<c>lead_id</c>) or an unsaved one (<c>lead_data</c>) scored by the rules and, when the
/// user's org has the leads to train on, by a conversion model trained on that org (kept per user, see
/// <see cref="LeadModelCache"/>). Every score comes with its reasons. With <see cref="SalesforceEndpointOptions.AnalyticsFromMirror"/>
/// the lead, its activities and the training leads come from the mirror, restricted as the analytics routes are.
/// </summary>
internal static class LeadScoreEndpoint
{
    public static EndpointDefinition Definition { get; } = new(
        "leads/score",
        "leads",
        "Score a lead: a 0-100 rule score and the probability of conversion from a model trained on the org's own leads, each with its reasons.",
        [
            BodyProperty.UserId,
            new BodyProperty("lead_id", BodyType.Id, false, "The lead to score (a 00Q id). Give this or lead_data."),
            new BodyProperty("lead_data", BodyType.FieldValues, false, "An unsaved lead's fields (Lead field API names), scored as if it were saved today. Give this or lead_id."),
        ],
        () => Schemas.For<LeadScoreResponse>("The lead's scores."),
        HandleAsync);

    private static async Task<object?> HandleAsync(EndpointCall call)
    {
        var leadId = call.Body.String("lead_id");
        var leadData = call.Body.Element("lead_data");
        if ((leadId is null) == (leadData is null))
        {
            throw EndpointError.Validation(EndpointErrorCodes.MissingField, "Give exactly one of 'lead_id' and 'lead_data'.");
        }

        var scoring = call.Services.LeadScoring;

        // From the mirror when the app opted in and the user is placed (as for the analytics routes): the lead, its activities
        // and the training leads are what the user sees there, and no Salesforce API call is made for them.
        var mirror = call.Services.Options.AnalyticsFromMirror && call.Services.MirrorData is { } data
            ? await AnalyticsSource.VisibleAsync(call, data).ConfigureAwait(false)
            : null;
        Task<LeadScoringModel?> ModelAsync() => mirror is null
            ? call.Services.LeadModels.GetAsync(call.Client, scoring, call.CancellationToken)
            : call.Services.LeadModels.GetAsync(call.Login.UserId + "\n" + call.Login.Username, mirror, scoring, call.CancellationToken);
        if (leadId is not null)
        {
            if (!leadId.StartsWith("00Q", StringComparison.Ordinal))
            {
                throw NotALeadId();
            }

            var model = await ModelAsync().ConfigureAwait(false);
            LeadScoreResult result;
            try
            {
                result = mirror is null
                    ? await scoring.ScoreAsync(call.Client, leadId, model, call.CancellationToken).ConfigureAwait(false)
                    : await scoring.ScoreAsync(mirror, leadId, model, call.CancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                // ScoreAsync checks the 18-character checksum too.
                throw NotALeadId();
            }

            return new LeadScoreResponse(result.LeadId, result.Rules, result.Model, model?.Accuracy);
        }

        // Unknown fields, read-only fields and wrongly typed values are refused exactly as leads/create refuses them.
        var describe = await call.Services.Describes.GetAsync(call.Client, "Lead", call.CancellationToken).ConfigureAwait(false);
        FieldGuard.ToRecord(describe, leadData!.Value, "lead_data", forCreate: true);
        var fields = JsonNode.Parse(leadData.Value.GetRawText())!.AsObject();
        fields["Id"] = string.Empty;
        LeadRecord lead;
        try
        {
            lead = fields.Deserialize(LeadDataJsonContext.Default.LeadRecord)!;
        }
        catch (JsonException)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidField, "'lead_data' holds a value that does not fit its Lead field.");
        }

        var unsavedModel = await ModelAsync().ConfigureAwait(false);
        return new LeadScoreResponse(null, scoring.Score(lead), unsavedModel?.Predict(lead), unsavedModel?.Accuracy);
    }

    private static EndpointError NotALeadId() =>
        EndpointError.Validation(EndpointErrorCodes.InvalidId, "'lead_id' must be a lead id (15 or 18 letters and digits starting with 00Q).");
}

/// <summary>What <c>leads/score</c> answers.</summary>
/// <param name="LeadId">The lead scored; null for <c>lead_data</c>.</param>
/// <param name="Rules">The 0–100 rule score and the rules that fired.</param>
/// <param name="Model">The model's conversion probability and the features that moved it most; null when the org has too few leads to train on.</param>
/// <param name="ModelAccuracy">How the model did on the org's held-out leads (AUC, Brier score, calibration).</param>
internal sealed record LeadScoreResponse(string? LeadId, LeadRuleScore Rules, LeadPrediction? Model, ModelAccuracy? ModelAccuracy);
