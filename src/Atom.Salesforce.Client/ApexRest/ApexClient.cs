using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Http;

namespace Atom.Salesforce.Client.ApexRest;

/// <summary>
/// Your org's Apex REST services: the classes annotated <c>@RestResource(urlMapping='/…')</c>, served under
/// <c>/services/apexrest/</c>. Get one from <see cref="SalesforceClient.Apex"/>. Every call goes through the same pipeline as
/// the rest of the SDK: the user's token and one refresh on 401, retries of GET and DELETE, usage and telemetry, and error
/// responses (an uncaught Apex exception is 500 <c>APEX_ERROR</c>, an unknown path 404 <c>NOT_FOUND</c>) raised as
/// <see cref="Errors.SalesforceApiException"/>.
/// </summary>
/// <remarks>
/// Bodies are JSON. Types resolve like the rest of the SDK (<see cref="Atom.Salesforce.Client.Configuration.SalesforceOptions.TypeInfoResolver"/> first, then
/// reflection), or from <see cref="ApexRequestOptions.JsonOptions"/> when given: pass your source-generated context's options
/// there for a trimming- and NativeAOT-safe call. A method whose Apex return type is <c>void</c> (or that returns null)
/// answers with an empty body: the result is then <see langword="default"/>.
/// </remarks>
public class ApexClient
{
    private const string ApexRoot = "/services/apexrest/";
    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only.</summary>
    protected ApexClient()
    {
    }

    internal ApexClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Calls the <c>@HttpGet</c> method of the Apex REST resource at <paramref name="path"/>.</summary>
    /// <typeparam name="TResponse">The type the method's JSON answer is read into.</typeparam>
    /// <param name="path">The path relative to <c>/services/apexrest/</c>, for example <c>Orders/42</c>; a leading slash is allowed.</param>
    /// <param name="options">Query parameters, headers and the JSON contract; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The method's answer, or <see langword="default"/> when the body is empty.</returns>
    public virtual Task<TResponse?> GetAsync<TResponse>(string path, ApexRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync<TResponse>("ApexClient.Get", HttpMethod.Get, path, null, options, cancellationToken);

    /// <summary>Calls the <c>@HttpPost</c> method of the Apex REST resource at <paramref name="path"/> with a JSON body.</summary>
    /// <typeparam name="TRequest">The type of the body.</typeparam>
    /// <typeparam name="TResponse">The type the method's JSON answer is read into.</typeparam>
    /// <param name="path">The path relative to <c>/services/apexrest/</c>; a leading slash is allowed.</param>
    /// <param name="body">The body, sent as JSON. For a method with parameters, an object whose properties are named like them.</param>
    /// <param name="options">Query parameters, headers and the JSON contract; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The method's answer, or <see langword="default"/> when the body is empty (a <c>void</c> method).</returns>
    public virtual Task<TResponse?> PostAsync<TRequest, TResponse>(
        string path, TRequest body, ApexRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync<TResponse>("ApexClient.Post", HttpMethod.Post, path, Body(body, options), options, cancellationToken);

    /// <summary>Calls the <c>@HttpPut</c> method of the Apex REST resource at <paramref name="path"/> with a JSON body.</summary>
    /// <typeparam name="TRequest">The type of the body.</typeparam>
    /// <typeparam name="TResponse">The type the method's JSON answer is read into.</typeparam>
    /// <param name="path">The path relative to <c>/services/apexrest/</c>; a leading slash is allowed.</param>
    /// <param name="body">The body, sent as JSON. For a method with parameters, an object whose properties are named like them.</param>
    /// <param name="options">Query parameters, headers and the JSON contract; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The method's answer, or <see langword="default"/> when the body is empty (a <c>void</c> method).</returns>
    public virtual Task<TResponse?> PutAsync<TRequest, TResponse>(
        string path, TRequest body, ApexRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync<TResponse>("ApexClient.Put", HttpMethod.Put, path, Body(body, options), options, cancellationToken);

    /// <summary>Calls the <c>@HttpPatch</c> method of the Apex REST resource at <paramref name="path"/> with a JSON body.</summary>
    /// <typeparam name="TRequest">The type of the body.</typeparam>
    /// <typeparam name="TResponse">The type the method's JSON answer is read into.</typeparam>
    /// <param name="path">The path relative to <c>/services/apexrest/</c>; a leading slash is allowed.</param>
    /// <param name="body">The body, sent as JSON. For a method with parameters, an object whose properties are named like them.</param>
    /// <param name="options">Query parameters, headers and the JSON contract; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The method's answer, or <see langword="default"/> when the body is empty (a <c>void</c> method).</returns>
    public virtual Task<TResponse?> PatchAsync<TRequest, TResponse>(
        string path, TRequest body, ApexRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync<TResponse>("ApexClient.Patch", HttpMethod.Patch, path, Body(body, options), options, cancellationToken);

    /// <summary>Calls the <c>@HttpDelete</c> method of the Apex REST resource at <paramref name="path"/>.</summary>
    /// <typeparam name="TResponse">
    /// The type the method's JSON answer is read into; for a <c>void</c> method any reference type, for example <see cref="object"/>.
    /// </typeparam>
    /// <param name="path">The path relative to <c>/services/apexrest/</c>; a leading slash is allowed.</param>
    /// <param name="options">Query parameters, headers and the JSON contract; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The method's answer, or <see langword="default"/> when the body is empty (a <c>void</c> method).</returns>
    public virtual Task<TResponse?> DeleteAsync<TResponse>(string path, ApexRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync<TResponse>("ApexClient.Delete", HttpMethod.Delete, path, null, options, cancellationToken);

    /// <summary>
    /// The contract of <typeparamref name="T"/>: from <see cref="ApexRequestOptions.JsonOptions"/>, or else the SDK's read
    /// options, also for writing: an Apex body is the method's own contract, so no property is left out (a record save drops
    /// nulls, <c>Id</c> and system fields).
    /// </summary>
    private JsonTypeInfo<T> Info<T>(ApexRequestOptions? options) =>
        (JsonTypeInfo<T>)(options?.JsonOptions ?? _connection.Serializer.ReadOptions).GetTypeInfo(typeof(T));

    /// <summary>The body serialized up front (a bad body fails before any I/O), so that a refresh replay sends the same bytes.</summary>
    private HttpContent Body<T>(T body, ApexRequestOptions? options)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SalesforceConnection.RawJsonBody(JsonSerializer.SerializeToUtf8Bytes(body, Info<T>(options)));
    }

    private Task<TResponse?> SendAsync<TResponse>(
        string operation, HttpMethod method, string path, HttpContent? body, ApexRequestOptions? options, CancellationToken cancellationToken)
    {
        var uri = ApexUri(path, options);
        var headers = Headers(options);
        var responseType = Info<TResponse>(options);
        var priority = options?.Priority;
        return _connection.RunAsync<TResponse?>(operation, async ct =>
        {
            Governance.RequestPriorityScope.Set(priority);
            using var request = new HttpRequestMessage(method, uri) { Content = body };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await RawRequests.SendAsync(_connection, request, ct).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            return bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty ? default : JsonSerializer.Deserialize(bytes, responseType);
        }, cancellationToken);
    }

    /// <summary>The URL under <c>/services/apexrest/</c>, checked before any I/O.</summary>
    internal static Uri ApexUri(string path, ApexRequestOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Contains("://", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)
            || path.Any(char.IsControl))
        {
            throw new ArgumentException($"'{path}' is not a path relative to /services/apexrest/ (for example 'Orders/42').", nameof(path));
        }

        var url = new StringBuilder(ApexRoot).Append(path.AsSpan().TrimStart('/'));
        if (options?.Query is { Count: > 0 } query)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            foreach (var (name, value) in query)
            {
                ArgumentException.ThrowIfNullOrEmpty(name, nameof(options));
                url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty));
                separator = '&';
            }
        }

        return new Uri(SalesforceHttp.PlaceholderBaseAddress, url.ToString());
    }

    private static KeyValuePair<string, string>[] Headers(ApexRequestOptions? options)
    {
        if (options?.Headers is not { Count: > 0 } headers)
        {
            return [];
        }

        foreach (var name in headers.Keys)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The header '{name}' cannot be set on an Apex REST call; the SDK sets Authorization and Host itself.", nameof(options));
            }
        }

        return [.. headers];
    }
}
