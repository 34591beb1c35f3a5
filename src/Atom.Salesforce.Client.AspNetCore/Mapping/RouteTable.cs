using Atom.Salesforce.Client.AspNetCore.Analytics;
using Atom.Salesforce.Client.AspNetCore.Contacts;
using Atom.Salesforce.Client.AspNetCore.Health;
using Atom.Salesforce.Client.AspNetCore.Leads;
using Atom.Salesforce.Client.AspNetCore.OAuth;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Opportunities;
using Atom.Salesforce.Client.AspNetCore.Records;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Webhooks;

namespace Atom.Salesforce.Client.AspNetCore.Mapping;

/// <summary>
/// Every JSON route of the pack, in the seed's order. Mapping and the OpenAPI document both read this list.
/// </summary>
internal static class RouteTable
{
    public static IReadOnlyList<EndpointDefinition> All { get; } = WithLogin(
    [
        RecordEndpoints.List(RecordObject.Account, parentFilter: false) with { Example = DocumentedExamples.AccountsList },
        RecordEndpoints.Create(RecordObject.Account) with { Example = DocumentedExamples.AccountsCreate },
        RecordEndpoints.Get(RecordObject.Account),
        RecordEndpoints.Update(RecordObject.Account),
        RecordEndpoints.Delete(RecordObject.Account),
        RecordEndpoints.List(RecordObject.Contact, parentFilter: true),
        RecordEndpoints.Create(RecordObject.Contact),
        RecordEndpoints.Update(RecordObject.Contact),
        ContactActivities.Definition,
        RecordEndpoints.List(RecordObject.Opportunity, parentFilter: true),
        RecordEndpoints.Create(RecordObject.Opportunity) with { Example = DocumentedExamples.OpportunitiesCreate },
        RecordEndpoints.Update(RecordObject.Opportunity),
        StageAdvance.Definition,
        RecordEndpoints.List(RecordObject.Lead, parentFilter: false),
        RecordEndpoints.Create(RecordObject.Lead) with { Example = DocumentedExamples.LeadsCreate },
        LeadScoreEndpoint.Definition,
        LeadConversion.Definition,
        PipelineEndpoint.Definition with { Example = DocumentedExamples.PipelineAnalytics },
        LeadAnalyticsEndpoint.Definition with { Example = DocumentedExamples.LeadAnalytics },
        AccountAnalyticsEndpoint.Definition,
        PerformanceEndpoint.Definition,
        HealthEndpoint.Definition,
        DisconnectEndpoint.Definition,
        LoginsEndpoint.Definition,
        .. WebhookRoutes.All,
    ]);

    /// <summary>
    /// Every route that takes <c>user_id</c> also takes <c>username</c>, last (the documented properties come first): which of
    /// the user's Salesforce logins to use, needed only when the user has several. The logins route lists them, so it needs none.
    /// </summary>
    private static List<EndpointDefinition> WithLogin(List<EndpointDefinition> definitions) =>
        [.. definitions.Select(d => d.Path == "oauth/logins" || !d.Body.Contains(BodyProperty.UserId)
            ? d
            : d with { Body = [.. d.Body, BodyProperty.Username] })];
}
