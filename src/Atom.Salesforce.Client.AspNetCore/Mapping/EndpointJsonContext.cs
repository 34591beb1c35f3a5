using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Analytics.Accounts;
using Atom.Salesforce.Client.Analytics.Leads;
using Atom.Salesforce.Client.Analytics.Performance;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.AspNetCore.Contacts;
using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Health;
using Atom.Salesforce.Client.AspNetCore.Leads;
using Atom.Salesforce.Client.AspNetCore.OAuth;
using Atom.Salesforce.Client.AspNetCore.Opportunities;
using Atom.Salesforce.Client.AspNetCore.Records;
using Atom.Salesforce.Client.AspNetCore.Webhooks;

namespace Atom.Salesforce.Client.AspNetCore.Mapping;

/// <summary>
/// Source-generated metadata for everything the pack writes or reads with <see cref="EndpointJson.Options"/> (whose
/// naming policy, enum converters and ignore condition apply): the envelopes, each route's <c>data</c> (its static type
/// and, because the success envelope's <c>data</c> is an <see cref="object"/>, every type it holds at run time,
/// including the values a record's fields can hold), the OAuth state cookie, and the analytics results the OpenAPI
/// schemas describe. A type missing here fails at run time with <see cref="NotSupportedException"/>; the route tests
/// write every route.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SuccessEnvelope))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(OAuthEndpoints.PendingFlow))]
[JsonSerializable(typeof(OAuthEndpoints.ConnectedUser))]
[JsonSerializable(typeof(LoginsEndpoint.UserLogins))]
[JsonSerializable(typeof(DisconnectEndpoint.DisconnectedUser))]
[JsonSerializable(typeof(HealthProbe.Report))]
[JsonSerializable(typeof(RecordList))]
[JsonSerializable(typeof(RecordId))]
[JsonSerializable(typeof(ContactActivities.Result), TypeInfoPropertyName = "ContactActivitiesResult")]
[JsonSerializable(typeof(StageAdvance.Result), TypeInfoPropertyName = "StageAdvanceResult")]
[JsonSerializable(typeof(LeadConversion.Result), TypeInfoPropertyName = "LeadConversionResult")]
[JsonSerializable(typeof(LeadScoreResponse))]
[JsonSerializable(typeof(PipelineReport))]
[JsonSerializable(typeof(LeadReport))]
[JsonSerializable(typeof(AccountReport))]
[JsonSerializable(typeof(PerformanceReport))]
[JsonSerializable(typeof(BottleneckStage))]
[JsonSerializable(typeof(ForecastPeriod))]
[JsonSerializable(typeof(WebhookRoutes.CreatedWebhook))]
[JsonSerializable(typeof(WebhookRoutes.WebhookList))]
[JsonSerializable(typeof(WebhookRoutes.DeletedWebhook))]
[JsonSerializable(typeof(WebhookRoutes.RotatedSecret))]
[JsonSerializable(typeof(WebhookRoutes.EnabledWebhook))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(DateOnly))]
internal sealed partial class EndpointJsonContext : JsonSerializerContext;

/// <summary>
/// Hands the metadata above down to <see cref="EndpointJson"/> (in <c>Envelope</c>, a lower layer that cannot name the routes'
/// types) when the assembly loads, before any code of the pack runs; the context itself is made on first use.
/// </summary>
internal static class EndpointJsonMetadata
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "Assigns one delegate (no work at load); the layers keep Envelope below the routes whose types the context lists (docs/architecture.md).")]
    internal static void Register() => EndpointJson.Metadata = static () => EndpointJsonContext.Default;
}
