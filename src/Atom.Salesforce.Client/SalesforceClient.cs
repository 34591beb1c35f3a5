using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client;

/// <summary>
/// Salesforce, as one user of one org sees it. Thread-safe; keep one per user for as long as you like. Get it from
/// <see cref="DependencyInjection.ISalesforceClientFactory.ForUser(string)"/>.
/// </summary>
public class SalesforceClient
{
    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only: every member is virtual.</summary>
    protected SalesforceClient()
    {
        UserId = string.Empty;
        SObjects = null!;
        Query = null!;
        Limits = null!;
        Composite = null!;
        Bulk = null!;
    }

    internal SalesforceClient(SalesforceConnection connection)
    {
        _connection = connection;
        UserId = connection.UserId;
        SObjects = new SObjectsClient(connection);
        Query = new QueryClient(connection);
        Limits = new LimitsClient(connection);
        Composite = new CompositeClient(connection);
        Bulk = new BulkClient(connection);
    }

    /// <summary>The SDK user id whose token this client uses.</summary>
    public virtual string UserId { get; }

    /// <summary>Single records: create, get, update, delete, upsert, describe, changed and deleted ids.</summary>
    public virtual SObjectsClient SObjects { get; }

    /// <summary>SOQL queries and SOSL searches.</summary>
    public virtual QueryClient Query { get; }

    /// <summary>Many operations in one API call: composite, batch, tree, graph and sObject Collections.</summary>
    public virtual CompositeClient Composite { get; }

    /// <summary>Bulk API 2.0: ingest jobs for any number of rows, and query jobs streamed page by page.</summary>
    public virtual BulkClient Bulk { get; }

    /// <summary>The org's limits.</summary>
    public virtual LimitsClient Limits { get; }

    /// <summary>
    /// The org's API usage as the last response reported it (<c>Sforce-Limit-Info</c>); null before the first call. Costs no call.
    /// </summary>
    public virtual ApiUsage? ApiUsage => _connection.ApiUsage;

    /// <summary>The REST API versions the org serves, oldest first.</summary>
    public virtual Task<IReadOnlyList<ApiVersionInfo>> GetApiVersionsAsync(CancellationToken cancellationToken = default) =>
        _connection.RunAsync<IReadOnlyList<ApiVersionInfo>>("SalesforceClient.GetApiVersions", async ct =>
        {
            var response = await _connection.SObjects.GetVersions(ct).ConfigureAwait(false);
            return await _connection.ReadAsync(response, _connection.Serializer.ReadInfo<List<ApiVersionInfo>>(), ct).ConfigureAwait(false);
        }, cancellationToken);
}
