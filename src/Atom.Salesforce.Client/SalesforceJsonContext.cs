using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Json;

/// <summary>Source-generated metadata for every type the SDK itself reads or writes.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SObject))]
[JsonSerializable(typeof(QueryResult<SObject>))]
[JsonSerializable(typeof(List<SObject>))]
[JsonSerializable(typeof(SaveResponse))]
[JsonSerializable(typeof(List<SaveResponse>))]
[JsonSerializable(typeof(Atom.Salesforce.Client.Bulk.BulkJobInfo))]
[JsonSerializable(typeof(DescribeGlobalResult))]
[JsonSerializable(typeof(SObjectDescribe))]
[JsonSerializable(typeof(UpdatedRecords))]
[JsonSerializable(typeof(DeletedRecords))]
[JsonSerializable(typeof(Dictionary<string, OrganizationLimit>))]
[JsonSerializable(typeof(List<ApiVersionInfo>))]
[JsonSerializable(typeof(OAuthTokenResponse))]
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
internal sealed partial class SalesforceJsonContext : JsonSerializerContext;
