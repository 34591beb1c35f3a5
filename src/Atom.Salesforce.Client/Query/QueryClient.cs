using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Soql;

namespace Atom.Salesforce.Client.Query;

/// <summary>
/// SOQL queries, streamed page by page, and SOSL searches. Get one from <see cref="SalesforceClient.Query"/>.
/// Give a query as text built with <see cref="Soql.Soql.Format(FormattableString)"/> (so that values are escaped), as a
/// <see cref="SoqlQuery"/> syntax tree, or as a typed <see cref="SoqlBuilder{T}"/>.
/// </summary>
public class QueryClient
{
    private static readonly QueryOptions DefaultOptions = new();
    private readonly SalesforceConnection _connection = null!;

    /// <summary>For mocking only.</summary>
    protected QueryClient()
    {
    }

    internal QueryClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Runs a SOQL query and streams its records; nothing is sent until you enumerate.</summary>
    /// <param name="soql">The query, for example from <see cref="Soql.Soql.Format(FormattableString)"/>.</param>
    /// <param name="options">Deleted and archived records, batch size; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the query, including pages not yet fetched.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual SalesforcePageable<T> QueryAsync<T>(string soql, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidStatement(soql, nameof(soql));
        var effective = options ?? DefaultOptions;
        effective.Validate();
        return new QueryPageable<T>(_connection, soql, effective, cancellationToken);
    }

    /// <summary>Runs a SOQL query given as a syntax tree (parsed, or built in code) and streams its records; nothing is sent until you enumerate.</summary>
    /// <param name="query">The query; sent as its canonical SOQL text (<see cref="SoqlQuery.ToString"/>).</param>
    /// <param name="options">Deleted and archived records, batch size; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the query, including pages not yet fetched.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual SalesforcePageable<T> QueryAsync<T>(SoqlQuery query, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync<T>(query.ToString(), options, cancellationToken);
    }

    /// <summary>
    /// Runs a typed query (<c>SoqlBuilder.From&lt;Account&gt;().Where(a =&gt; a.Industry == industry)</c>) and streams its
    /// records as <typeparamref name="T"/>; nothing is sent until you enumerate.
    /// </summary>
    /// <param name="query">The query; sent as its canonical SOQL text (<see cref="SoqlBuilder{T}.ToString"/>).</param>
    /// <param name="options">Deleted and archived records, batch size; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the query, including pages not yet fetched.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "One operation, the query as text, syntax tree or typed builder: the type of the first, required argument picks the overload, so no call that leaves options or the token out is ambiguous.")]
    public virtual SalesforcePageable<T> QueryAsync<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] T>(SoqlBuilder<T> query, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync<T>(query.ToQuery(), options, cancellationToken);
    }

    /// <summary>
    /// Runs a SOSL search (<c>FIND {Acme} RETURNING Account(Id, Name)</c>) and returns the records found, of all types.
    /// Read them as <see cref="Records.SObject"/> when the search returns several types.
    /// </summary>
    public virtual Task<IReadOnlyList<T>> SearchAsync<T>(string sosl, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidStatement(sosl, nameof(sosl));
        return _connection.RunAsync("QueryClient.Search", async ct =>
        {
            var response = await _connection.Query.Search(_connection.Version, sosl, ct).ConfigureAwait(false);
            using (response)
            {
                await _connection.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                return ParseSearch<T>(body, _connection.Serializer.ReadOptions);
            }
        }, cancellationToken);
    }

    /// <summary>Current versions answer <c>{"searchRecords":[...]}</c>; versions up to about 35.0 answered a bare array.</summary>
    internal static IReadOnlyList<T> ParseSearch<T>(ReadOnlySpan<byte> body, JsonSerializerOptions options)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.Length > 0 && trimmed[0] == (byte)'[')
        {
            return JsonSerializer.Deserialize(trimmed, (JsonTypeInfo<List<T>>)options.GetTypeInfo(typeof(List<T>))) ?? [];
        }

        var result = JsonSerializer.Deserialize(
            trimmed, (JsonTypeInfo<SearchResponse<T>>)options.GetTypeInfo(typeof(SearchResponse<T>)));
        return result?.SearchRecords ?? [];
    }

    private static void ThrowIfInvalidStatement(string statement, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(statement, paramName);
        if (statement.Length > 100_000)
        {
            throw new ArgumentException("Salesforce accepts statements of at most 100,000 characters.", paramName);
        }
    }

    internal sealed class SearchResponse<T>
    {
        [JsonPropertyName("searchRecords")]
        public List<T> SearchRecords { get; init; } = [];
    }
}
