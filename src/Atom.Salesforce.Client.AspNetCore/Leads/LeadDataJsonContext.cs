using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.AspNetCore.Leads;

/// <summary>
/// A lead given as <c>lead_data</c> to the scoring route, read with System.Text.Json's default options: its Salesforce
/// field names are <see cref="Atom.Salesforce.Client.Analytics.Data.LeadRecord"/>'s property names.
/// </summary>
[JsonSerializable(typeof(Atom.Salesforce.Client.Analytics.Data.LeadRecord))]
internal sealed partial class LeadDataJsonContext : JsonSerializerContext;
