using Refit;

namespace Atom.Salesforce.Client.Http;

// The REST resources, described for Refit. Every method returns the raw response so that one place
// (SalesforceResponses) maps errors and streams bodies; Refit only builds the requests. Paths are relative to the user's
// instance, which SalesforceAuthHandler puts in place per request.

/// <summary>Versions, sObject rows, upsert, describe and replication resources.</summary>
internal interface ISObjectsApi
{
    [Get("/services/data/")]
    Task<HttpResponseMessage> GetVersions(CancellationToken cancellationToken);

    [Post("/services/data/{version}/sobjects/{type}/")]
    Task<HttpResponseMessage> Create(string version, string type, [Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/services/data/{version}/sobjects/{type}/{id}")]
    Task<HttpResponseMessage> Get(string version, string type, string id, [Query] string? fields, CancellationToken cancellationToken);

    [Patch("/services/data/{version}/sobjects/{type}/{id}")]
    Task<HttpResponseMessage> Update(string version, string type, string id, [Body] HttpContent body, CancellationToken cancellationToken);

    [Delete("/services/data/{version}/sobjects/{type}/{id}")]
    Task<HttpResponseMessage> Delete(string version, string type, string id, CancellationToken cancellationToken);

    [Patch("/services/data/{version}/sobjects/{type}/{field}/{value}")]
    Task<HttpResponseMessage> Upsert(string version, string type, string field, string value, [Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/services/data/{version}/sobjects/{type}/{field}/{value}")]
    Task<HttpResponseMessage> GetByExternalId(string version, string type, string field, string value, [Query] string? fields, CancellationToken cancellationToken);

    [Get("/services/data/{version}/sobjects/")]
    Task<HttpResponseMessage> DescribeGlobal(string version, [Header("If-Modified-Since")] string? ifModifiedSince, CancellationToken cancellationToken);

    [Get("/services/data/{version}/sobjects/{type}/describe/")]
    Task<HttpResponseMessage> Describe(string version, string type, [Header("If-Modified-Since")] string? ifModifiedSince, CancellationToken cancellationToken);

    [Get("/services/data/{version}/sobjects/{type}/updated/")]
    Task<HttpResponseMessage> GetUpdated(string version, string type, [Query] string start, [Query] string end, CancellationToken cancellationToken);

    [Get("/services/data/{version}/sobjects/{type}/deleted/")]
    Task<HttpResponseMessage> GetDeleted(string version, string type, [Query] string start, [Query] string end, CancellationToken cancellationToken);
}

/// <summary>SOQL query, queryAll, their next pages, and SOSL search.</summary>
internal interface IQueryApi
{
    [Get("/services/data/{version}/query/")]
    Task<HttpResponseMessage> Query(string version, [AliasAs("q")] string soql, [Header("Sforce-Query-Options")] string? queryOptions, CancellationToken cancellationToken);

    [Get("/services/data/{version}/queryAll/")]
    Task<HttpResponseMessage> QueryAll(string version, [AliasAs("q")] string soql, [Header("Sforce-Query-Options")] string? queryOptions, CancellationToken cancellationToken);

    /// <summary>The page at a <c>nextRecordsUrl</c>, which is a path on the instance.</summary>
    [Get("/{**nextRecordsPath}")]
    Task<HttpResponseMessage> Next(string nextRecordsPath, [Header("Sforce-Query-Options")] string? queryOptions, CancellationToken cancellationToken);

    [Get("/services/data/{version}/search/")]
    Task<HttpResponseMessage> Search(string version, [AliasAs("q")] string sosl, CancellationToken cancellationToken);
}

/// <summary>Org limits.</summary>
internal interface ILimitsApi
{
    [Get("/services/data/{version}/limits/")]
    Task<HttpResponseMessage> Get(string version, CancellationToken cancellationToken);
}

/// <summary>
/// The OAuth endpoints. Token and revoke are relative to the login URL, userinfo to the token's instance; the base address
/// may carry a path base.
/// </summary>
internal interface IOAuthApi
{
    [Post("/services/oauth2/token")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> Token([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    [Post("/services/oauth2/revoke")]
    Task<HttpResponseMessage> Revoke([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    [Get("/services/oauth2/userinfo")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> UserInfo([Header("Authorization")] string authorization, CancellationToken cancellationToken);

    /// <summary>The <c>ProfileId</c> of a user (sObject GET on the token's instance), read once at connect time.</summary>
    [Get("/services/data/{version}/sobjects/User/{id}?fields=ProfileId")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> UserProfile(string version, string id, [Header("Authorization")] string authorization, CancellationToken cancellationToken);
}

/// <summary>The composite family: composite, batch, tree, graph and sObject Collections.</summary>
internal interface ICompositeApi
{
    [Post("/services/data/{version}/composite/")]
    Task<HttpResponseMessage> Composite(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/services/data/{version}/composite/batch/")]
    Task<HttpResponseMessage> Batch(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/services/data/{version}/composite/tree/{type}/")]
    Task<HttpResponseMessage> Tree(string version, string type, [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/services/data/{version}/composite/graph/")]
    Task<HttpResponseMessage> Graph(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/services/data/{version}/composite/sobjects/")]
    Task<HttpResponseMessage> CreateRecords(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Patch("/services/data/{version}/composite/sobjects/")]
    Task<HttpResponseMessage> UpdateRecords(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Patch("/services/data/{version}/composite/sobjects/{type}/{externalIdField}/")]
    Task<HttpResponseMessage> UpsertRecords(string version, string type, string externalIdField, [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/services/data/{version}/composite/sobjects/{type}/")]
    Task<HttpResponseMessage> RetrieveRecords(string version, string type, [Body] HttpContent body, CancellationToken cancellationToken);

    [Delete("/services/data/{version}/composite/sobjects/")]
    Task<HttpResponseMessage> DeleteRecords(string version, [Query] string ids, [Query] string allOrNone, CancellationToken cancellationToken);
}

/// <summary>Bulk API 2.0 ingest and query jobs. The result paths are relative to the version that created the job.</summary>
internal interface IBulkApi
{
    [Post("/services/data/{version}/jobs/ingest/")]
    Task<HttpResponseMessage> CreateIngestJob(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Put("/services/data/{version}/jobs/ingest/{jobId}/batches/")]
    Task<HttpResponseMessage> UploadIngestData(string version, string jobId, [Body] HttpContent body, CancellationToken cancellationToken);

    [Patch("/services/data/{version}/jobs/{kind}/{jobId}/")]
    Task<HttpResponseMessage> ChangeJobState(string version, string kind, string jobId, [Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/services/data/{version}/jobs/{kind}/{jobId}/")]
    Task<HttpResponseMessage> GetJob(string version, string kind, string jobId, CancellationToken cancellationToken);

    [Delete("/services/data/{version}/jobs/{kind}/{jobId}/")]
    Task<HttpResponseMessage> DeleteJob(string version, string kind, string jobId, CancellationToken cancellationToken);

    [Get("/services/data/{version}/jobs/ingest/{jobId}/{resultKind}/")]
    [Headers("Accept: text/csv")]
    Task<HttpResponseMessage> GetIngestResults(string version, string jobId, string resultKind, CancellationToken cancellationToken);

    [Post("/services/data/{version}/jobs/query/")]
    Task<HttpResponseMessage> CreateQueryJob(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/services/data/{version}/jobs/query/{jobId}/results/")]
    [Headers("Accept: text/csv")]
    Task<HttpResponseMessage> GetQueryResults(string version, string jobId, [Query] string? locator, [Query] int? maxRecords, CancellationToken cancellationToken);
}
