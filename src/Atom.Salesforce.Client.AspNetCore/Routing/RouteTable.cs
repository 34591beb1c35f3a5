using Atom.Salesforce.Client.AspNetCore.Analytics;
using Atom.Salesforce.Client.AspNetCore.Contacts;
using Atom.Salesforce.Client.AspNetCore.Health;
using Atom.Salesforce.Client.AspNetCore.Leads;
using Atom.Salesforce.Client.AspNetCore.Opportunities;
using Atom.Salesforce.Client.AspNetCore.Records;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// Every JSON route of the pack, in the seed's order. Mapping and the OpenAPI document both read this list.
/// </summary>
internal static class RouteTable
{
    public static IReadOnlyList<EndpointDefinition> All { get; } =
    [
        RecordEndpoints.List(RecordObject.Account, parentFilter: false),
        RecordEndpoints.Create(RecordObject.Account),
        RecordEndpoints.Get(RecordObject.Account),
        RecordEndpoints.Update(RecordObject.Account),
        RecordEndpoints.Delete(RecordObject.Account),
        RecordEndpoints.List(RecordObject.Contact, parentFilter: true),
        RecordEndpoints.Create(RecordObject.Contact),
        RecordEndpoints.Update(RecordObject.Contact),
        ContactActivities.Definition,
        RecordEndpoints.List(RecordObject.Opportunity, parentFilter: true),
        RecordEndpoints.Create(RecordObject.Opportunity),
        RecordEndpoints.Update(RecordObject.Opportunity),
        StageAdvance.Definition,
        RecordEndpoints.List(RecordObject.Lead, parentFilter: false),
        RecordEndpoints.Create(RecordObject.Lead),
        LeadScoreEndpoint.Definition,
        LeadConversion.Definition,
        PipelineEndpoint.Definition,
        LeadAnalyticsEndpoint.Definition,
        AccountAnalyticsEndpoint.Definition,
        PerformanceEndpoint.Definition,
        HealthEndpoint.Definition,
    ];
}
