using Atom.Salesforce.Client.ApexRest;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;

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
        Apex = null!;
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
        Apex = new ApexClient(connection);
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

    /// <summary>Your org's Apex REST services (<c>/services/apexrest/</c>), with typed JSON bodies.</summary>
    public virtual ApexClient Apex { get; }

    /// <summary>
    /// The org's API usage as the last response reported it (<c>Sforce-Limit-Info</c>); null before the first call. Costs no call.
    /// </summary>
    public virtual ApiUsage? ApiUsage => _connection.ApiUsage;

    /// <summary>The REST API versions the org serves, oldest first.</summary>
    public virtual Task<IReadOnlyList<ApiVersionInfo>> GetApiVersionsAsync(CancellationToken cancellationToken = default) =>
        GetApiVersionsAsync(_connection, cancellationToken);

    private static async Task<IReadOnlyList<ApiVersionInfo>> GetApiVersionsAsync(SalesforceConnection connection, CancellationToken cancellationToken) =>
        await connection.RunAsync(
            "SalesforceClient.GetApiVersions", connection.SObjects.GetVersions(),
            JsonResponseReader<List<ApiVersionInfo>>.For(connection.Serializer.ReadInfo<List<ApiVersionInfo>>()),
            write: false, sObjectType: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends a request the SDK has no method for, through the same pipeline as every other call: the user's token on the
    /// user's instance, one refresh and replay on 401, retries of safe methods, usage and telemetry, and error statuses
    /// mapped to <see cref="Errors.SalesforceApiException"/>. The request URL is resolved against the user's instance:
    /// <c>limits/</c> (no leading slash) against the REST API of the client's version (<c>/services/data/vNN.0/limits/</c>),
    /// <c>/services/apexrest/Orders</c> (leading slash) against the instance root. An absolute URL is accepted only on the
    /// user's instance, so that the token never leaves Salesforce. The request body is buffered so it can be sent again.
    /// </summary>
    /// <param name="request">The request; it is sent once and cannot be reused.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The response, headers read and body still to read (a success status, or 304 Not Modified). Dispose it.
    /// </returns>
    /// <exception cref="ArgumentException">The URL is absolute and not on the user's instance; nothing was sent.</exception>
    /// <exception cref="Errors.SalesforceApiException">Salesforce answered with an error status.</exception>
    public virtual Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is null)
        {
            throw new ArgumentException("The request has no URL.", nameof(request));
        }

        request.RequestUri = RawRequests.Resolve(request.RequestUri, _connection.Options, nameof(request));
        return _connection.RunAsync("SalesforceClient.Send", ct => RawRequests.SendAsync(_connection, request, ct), cancellationToken);
    }
}
