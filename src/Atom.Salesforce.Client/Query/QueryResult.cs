using System.Text.Json.Serialization;

namespace Atom.Salesforce.Client.Query;

/// <summary>
/// One page of a SOQL query result, or the children of a record in a subquery. <see cref="TotalSize"/> counts every
/// matching row; <see cref="Records"/> holds this page only.
/// </summary>
/// <typeparam name="T">The record type: a POCO or <see cref="Records.SObject"/>.</typeparam>
public sealed class QueryResult<T>
{
    /// <summary>How many rows match the query in all (for <c>SELECT COUNT()</c>, the count).</summary>
    [JsonPropertyName("totalSize")]
    public int TotalSize { get; init; }

    /// <summary>True when this is the last page.</summary>
    [JsonPropertyName("done")]
    public bool Done { get; init; }

    /// <summary>
    /// Where the next page is (<c>/services/data/vNN.0/query/01g…-2000</c>); null on the last page. It is the continuation token
    /// that <see cref="SalesforcePageable{T}.AsPages(string?)"/> accepts.
    /// </summary>
    [JsonPropertyName("nextRecordsUrl")]
    public string? NextRecordsUrl { get; init; }

    /// <summary>The records of this page.</summary>
    [JsonPropertyName("records")]
    public IReadOnlyList<T> Records { get; init; } = [];
}
