using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client;

/// <summary>
/// Source-generated metadata for every type the SDK itself reads or writes. It lists types of every layer, so it sits at the
/// top (docs/architecture.md); the layers below get it through the <see cref="SalesforceSerializer"/> they are given.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SObject))]
[JsonSerializable(typeof(QueryResult<SObject>))]
[JsonSerializable(typeof(List<SObject>))]
[JsonSerializable(typeof(SaveResponse))]
[JsonSerializable(typeof(List<SaveResponse>))]
[JsonSerializable(typeof(BulkJobInfo))]
[JsonSerializable(typeof(DescribeGlobalResult))]
[JsonSerializable(typeof(SObjectDescribe))]
[JsonSerializable(typeof(UpdatedRecords))]
[JsonSerializable(typeof(DeletedRecords))]
[JsonSerializable(typeof(Dictionary<string, OrganizationLimit>))]
[JsonSerializable(typeof(List<ApiVersionInfo>))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateOnly))]
[JsonSerializable(typeof(TimeOnly))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class SalesforceJsonContext : JsonSerializerContext
{
    /// <summary>The serializer of a client without a user resolver: this context, then reflection for user types.</summary>
    public static SalesforceSerializer Serializer { get; } = new(Default, userResolver: null);
}
