using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Atom.Salesforce.Client.Http;

// The REST resources as small hand-written request methods over the user's HttpClient (no Refit, no reflection: trimming
// and NativeAOT safe, and nothing to build at start-up). Every method returns the raw response with its headers read and
// its body still to stream, so that one place (SalesforceConnection) maps errors and streams bodies. Paths are relative to
// the HttpClient's base address (its path base kept), which SalesforceAuthHandler moves to the user's instance; path
// values and query values are escaped with Uri.EscapeDataString; a null query value or header is left out.

/// <summary>
/// Versions, sObject rows, upsert, describe and replication resources: each builds its request, which
/// <see cref="SalesforceConnection.RunAsync{T}(string, HttpRequestMessage, ResponseReader{T}, bool, string?, CancellationToken)"/> sends.
/// </summary>
internal sealed class SObjectsApi(RestChannel http)
{
    public HttpRequestMessage GetVersions() =>
        RestRequest.Build(http, HttpMethod.Get, "/services/data/");

    public HttpRequestMessage Create(string version, string type, HttpContent body) =>
        RestRequest.Build(http, HttpMethod.Post, RestRequest.Data(version, "sobjects", type) + "/", body);

    public HttpRequestMessage Get(string version, string type, string id, string? fields) =>
        RestRequest.Build(http, HttpMethod.Get, RestRequest.Data(version, "sobjects", type, id) + RestRequest.Query(("fields", fields)));

    public HttpRequestMessage Update(string version, string type, string id, HttpContent body) =>
        RestRequest.Build(http, HttpMethod.Patch, RestRequest.Data(version, "sobjects", type, id), body);

    public HttpRequestMessage Delete(string version, string type, string id) =>
        RestRequest.Build(http, HttpMethod.Delete, RestRequest.Data(version, "sobjects", type, id));

    public HttpRequestMessage Upsert(string version, string type, string field, string value, HttpContent body) =>
        RestRequest.Build(http, HttpMethod.Patch, RestRequest.Data(version, "sobjects", type, field, value), body);

    public HttpRequestMessage GetByExternalId(string version, string type, string field, string value, string? fields) =>
        RestRequest.Build(http, HttpMethod.Get, RestRequest.Data(version, "sobjects", type, field, value) + RestRequest.Query(("fields", fields)));

    public HttpRequestMessage DescribeGlobal(string version, string? ifModifiedSince) =>
        RestRequest.Build(http, HttpMethod.Get, RestRequest.Data(version, "sobjects") + "/", headers: [("If-Modified-Since", ifModifiedSince)]);

    public HttpRequestMessage Describe(string version, string type, string? ifModifiedSince) =>
        RestRequest.Build(http, HttpMethod.Get, RestRequest.Data(version, "sobjects", type, "describe") + "/", headers: [("If-Modified-Since", ifModifiedSince)]);

    public HttpRequestMessage GetUpdated(string version, string type, string start, string end) =>
        RestRequest.Build(http, HttpMethod.Get, RestRequest.Data(version, "sobjects", type, "updated") + "/" + RestRequest.Query(("start", start), ("end", end)));

    public HttpRequestMessage GetDeleted(string version, string type, string start, string end) =>
        RestRequest.Build(http, HttpMethod.Get, RestRequest.Data(version, "sobjects", type, "deleted") + "/" + RestRequest.Query(("start", start), ("end", end)));
}

/// <summary>SOQL query, queryAll, their next pages, and SOSL search.</summary>
internal sealed class QueryApi(RestChannel http)
{
    public Task<HttpResponseMessage> Query(string version, string soql, string? queryOptions, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "query") + "/" + RestRequest.Query(("q", soql)), cancellationToken,
            headers: [("Sforce-Query-Options", queryOptions)]);

    public Task<HttpResponseMessage> QueryAll(string version, string soql, string? queryOptions, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "queryAll") + "/" + RestRequest.Query(("q", soql)), cancellationToken,
            headers: [("Sforce-Query-Options", queryOptions)]);

    /// <summary>The page at a <c>nextRecordsUrl</c>, which is a path on the instance (each of its segments escaped, slashes kept).</summary>
    public Task<HttpResponseMessage> Next(string nextRecordsPath, string? queryOptions, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Path(nextRecordsPath.Split('/')), cancellationToken,
            headers: [("Sforce-Query-Options", queryOptions)]);

    public Task<HttpResponseMessage> Search(string version, string sosl, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "search") + "/" + RestRequest.Query(("q", sosl)), cancellationToken);
}

/// <summary>Org limits.</summary>
internal sealed class LimitsApi(RestChannel http)
{
    public Task<HttpResponseMessage> Get(string version, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "limits") + "/", cancellationToken);
}

/// <summary>
/// The OAuth endpoints. Token and revoke are relative to the login URL, userinfo to the token's instance; the base address
/// may carry a path base.
/// </summary>
internal sealed class OAuthApi(RestChannel http)
{
    private static readonly (string, string?)[] AcceptJson = [("Accept", "application/json")];

    public Task<HttpResponseMessage> Token(Dictionary<string, string> form, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, "/services/oauth2/token", cancellationToken, new FormUrlEncodedContent(form), AcceptJson);

    public Task<HttpResponseMessage> Revoke(Dictionary<string, string> form, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, "/services/oauth2/revoke", cancellationToken, new FormUrlEncodedContent(form));

    public Task<HttpResponseMessage> UserInfo(string authorization, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, "/services/oauth2/userinfo", cancellationToken, headers: [.. AcceptJson, ("Authorization", authorization)]);

    /// <summary>The <c>ProfileId</c> of a user (sObject GET on the token's instance), read once at connect time.</summary>
    public Task<HttpResponseMessage> UserProfile(string version, string id, string authorization, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "sobjects", "User", id) + "?fields=ProfileId", cancellationToken,
            headers: [.. AcceptJson, ("Authorization", authorization)]);
}

/// <summary>The composite family: composite, batch, tree, graph and sObject Collections.</summary>
internal sealed class CompositeApi(RestChannel http)
{
    public Task<HttpResponseMessage> Composite(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "composite") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> Batch(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "composite", "batch") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> Tree(string version, string type, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "composite", "tree", type) + "/", cancellationToken, body);

    public Task<HttpResponseMessage> Graph(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "composite", "graph") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> CreateRecords(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "composite", "sobjects") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> UpdateRecords(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Patch, RestRequest.Data(version, "composite", "sobjects") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> UpsertRecords(string version, string type, string externalIdField, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Patch, RestRequest.Data(version, "composite", "sobjects", type, externalIdField) + "/", cancellationToken, body);

    public Task<HttpResponseMessage> RetrieveRecords(string version, string type, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "composite", "sobjects", type) + "/", cancellationToken, body);

    public Task<HttpResponseMessage> DeleteRecords(string version, string ids, string allOrNone, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Delete, RestRequest.Data(version, "composite", "sobjects") + "/" + RestRequest.Query(("ids", ids), ("allOrNone", allOrNone)), cancellationToken);
}

/// <summary>Bulk API 2.0 ingest and query jobs. The result paths are relative to the version that created the job.</summary>
internal sealed class BulkApi(RestChannel http)
{
    private static readonly (string, string?)[] AcceptCsv = [("Accept", "text/csv")];

    public Task<HttpResponseMessage> CreateIngestJob(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "jobs", "ingest") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> UploadIngestData(string version, string jobId, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Put, RestRequest.Data(version, "jobs", "ingest", jobId, "batches") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> ChangeJobState(string version, string kind, string jobId, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Patch, RestRequest.Data(version, "jobs", kind, jobId) + "/", cancellationToken, body);

    public Task<HttpResponseMessage> GetJob(string version, string kind, string jobId, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "jobs", kind, jobId) + "/", cancellationToken);

    public Task<HttpResponseMessage> DeleteJob(string version, string kind, string jobId, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Delete, RestRequest.Data(version, "jobs", kind, jobId) + "/", cancellationToken);

    public Task<HttpResponseMessage> GetIngestResults(string version, string jobId, string resultKind, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get, RestRequest.Data(version, "jobs", "ingest", jobId, resultKind) + "/", cancellationToken, headers: AcceptCsv);

    public Task<HttpResponseMessage> CreateQueryJob(string version, HttpContent body, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Post, RestRequest.Data(version, "jobs", "query") + "/", cancellationToken, body);

    public Task<HttpResponseMessage> GetQueryResults(string version, string jobId, string? locator, int? maxRecords, CancellationToken cancellationToken) =>
        RestRequest.SendAsync(http, HttpMethod.Get,
            RestRequest.Data(version, "jobs", "query", jobId, "results") + "/"
                + RestRequest.Query(("locator", locator), ("maxRecords", maxRecords?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            cancellationToken, headers: AcceptCsv);
}

/// <summary>
/// Where the REST resources send: the user's pipeline for the SDK's own requests (<see cref="ForConnection"/>: no
/// <see cref="HttpClient"/> in between), or an <see cref="HttpClient"/> (the OAuth endpoints, on the login URL).
/// </summary>
internal abstract class RestChannel
{
    /// <summary>A request for <paramref name="pathAndQuery"/> (escaped, starting with '/').</summary>
    public abstract HttpRequestMessage Create(HttpMethod method, string pathAndQuery);

    /// <summary>Sends <paramref name="request"/>; returns as soon as the response headers are read.</summary>
    public abstract Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Requests resolved against the client's base address (its path base kept), sent by the client.</summary>
    public static RestChannel Over(HttpClient http) => new ClientChannel(http);

    /// <summary>The user's requests: <see cref="SalesforceRequest"/>s on the instance path, sent into the user's pipeline.</summary>
    public static RestChannel ForConnection(UserScopedHandler handler) => new ConnectionChannel(handler);

    private sealed class ClientChannel(HttpClient http) : RestChannel
    {
        public override HttpRequestMessage Create(HttpMethod method, string pathAndQuery) =>
            new(method, new Uri(BasePath(http) + pathAndQuery, UriKind.Relative));

        public override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

        /// <summary>The path base of the client's base address (an emulator or proxy mounted under a path), without the trailing slash.</summary>
        private static string BasePath(HttpClient http) =>
            http.BaseAddress is { AbsolutePath: { Length: > 1 } basePath } ? basePath.TrimEnd('/') : string.Empty;
    }

    private sealed class ConnectionChannel(UserScopedHandler handler) : RestChannel
    {
        public override HttpRequestMessage Create(HttpMethod method, string pathAndQuery) => new SalesforceRequest(method, pathAndQuery);

        public override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            handler.SendAsync((SalesforceRequest)request, cancellationToken);
    }
}

/// <summary>Builds and sends one request: the path, the query string, headers and body.</summary>
internal static class RestRequest
{
    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="pathAndQuery"/> (escaped, starting with '/') through
    /// <paramref name="channel"/> and returns as soon as the response headers are read. Headers with a null value are left out.
    /// </summary>
    public static Task<HttpResponseMessage> SendAsync(
        RestChannel channel, HttpMethod method, string pathAndQuery, CancellationToken cancellationToken, HttpContent? body = null, (string Name, string? Value)[]? headers = null) =>
        channel.SendAsync(Build(channel, method, pathAndQuery, body, headers), cancellationToken);

    /// <summary>
    /// The request for <paramref name="method"/> to <paramref name="pathAndQuery"/> (escaped, starting with '/') on
    /// <paramref name="channel"/>, not sent. Headers with a null value are left out.
    /// </summary>
    public static HttpRequestMessage Build(
        RestChannel channel, HttpMethod method, string pathAndQuery, HttpContent? body = null, (string Name, string? Value)[]? headers = null)
    {
        var request = channel.Create(method, pathAndQuery);
        request.Content = body;
        foreach (var (name, value) in headers ?? [])
        {
            if (value is null)
            {
                continue;
            }

            if (string.Equals(name, "Accept", StringComparison.OrdinalIgnoreCase))
            {
                // Replaces the client's default Accept for this request, as a per-request header does.
                request.Headers.Accept.Clear();
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(value));
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary><c>/services/data/{version}/a/b</c>: the REST API of a version, then the segments, each escaped.</summary>
    public static string Data(string version, params string[] segments)
    {
        var path = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        path.AppendLiteral("/services/data");
        AppendSegment(ref path, version);
        foreach (var segment in segments)
        {
            AppendSegment(ref path, segment);
        }

        return path.ToStringAndClear();
    }

    /// <summary><see cref="Data(string, string[])"/> for the common two segments (an sObject type and a record), without a params array.</summary>
    public static string Data(string version, string first, string second)
    {
        var path = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        path.AppendLiteral("/services/data");
        AppendSegment(ref path, version);
        AppendSegment(ref path, first);
        AppendSegment(ref path, second);
        return path.ToStringAndClear();
    }

    /// <summary><c>/a/b/c</c> from the segments, each escaped whole (a '/' inside a value too); empty segments are dropped.</summary>
    public static string Path(params string[] segments)
    {
        var path = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        foreach (var segment in segments)
        {
            AppendSegment(ref path, segment);
        }

        return path.ToStringAndClear();
    }

    private static void AppendSegment(ref DefaultInterpolatedStringHandler path, string segment)
    {
        if (segment.Length > 0)
        {
            path.AppendLiteral("/");
            path.AppendFormatted(Uri.EscapeDataString(segment));
        }
    }

    /// <summary><c>?a=1&amp;b=2</c> from the pairs whose value is not null, names and values escaped; empty when there is none.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return query.ToString();
    }
}
