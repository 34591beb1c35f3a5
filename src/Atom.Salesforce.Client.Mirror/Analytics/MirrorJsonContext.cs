using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Mirror.Analytics;

/// <summary>The analytics' record types, bound from mirror rows without reflection (trimming and NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(OpportunityRecord))]
[JsonSerializable(typeof(OpportunityHistoryRecord))]
[JsonSerializable(typeof(LeadRecord))]
[JsonSerializable(typeof(AccountRecord))]
[JsonSerializable(typeof(ContactRecord))]
[JsonSerializable(typeof(ActivityRecord))]
[JsonSerializable(typeof(CampaignRecord))]
[JsonSerializable(typeof(CampaignMemberRecord))]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(UserRoleRecord))]
internal sealed partial class MirrorJsonContext : JsonSerializerContext;
