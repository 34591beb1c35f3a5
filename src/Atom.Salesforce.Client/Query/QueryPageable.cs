using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client.Http;

namespace Atom.Salesforce.Client.Query;

/// <summary>
/// A live query: the first page from <c>query</c> or <c>queryAll</c>, then each <c>nextRecordsUrl</c> in turn until
/// <c>done</c>. Each page is read straight from the response stream; only the current page is held.
/// </summary>
internal sealed partial class QueryPageable<T>(
    SalesforceConnection connection, string soql, QueryOptions options, CancellationToken operationToken) : SalesforcePageable<T>
{
    public override IAsyncEnumerable<QueryResult<T>> AsPages(string? continuationToken = null)
    {
        if (continuationToken is not null && !ContinuationPattern().IsMatch(continuationToken))
        {
            throw new ArgumentException(
                "The continuation token must be a nextRecordsUrl from a query page, such as /services/data/v66.0/query/01gXX-2000.",
                nameof(continuationToken));
        }

        return Pages(continuationToken);
    }

    private async IAsyncEnumerable<QueryResult<T>> Pages(string? next, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = operationToken.CanBeCanceled && cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(operationToken, cancellationToken)
            : null;
        var token = linked?.Token ?? (cancellationToken.CanBeCanceled ? cancellationToken : operationToken);

        var page = await FetchAsync(next, token).ConfigureAwait(false);
        while (true)
        {
            yield return page;
            if (page.Done || page.NextRecordsUrl is null)
            {
                yield break;
            }

            token.ThrowIfCancellationRequested();
            page = await FetchAsync(page.NextRecordsUrl, token).ConfigureAwait(false);
        }
    }

    private Task<QueryResult<T>> FetchAsync(string? nextRecordsUrl, CancellationToken cancellationToken) =>
        connection.RunAsync(nextRecordsUrl is null ? "QueryClient.Query" : "QueryClient.QueryMore", async ct =>
        {
            var header = options.HeaderValue;
            var response = nextRecordsUrl is not null
                ? await connection.Query.Next(NextPath(nextRecordsUrl), header, ct).ConfigureAwait(false)
                : options.IncludeDeleted
                    ? await connection.Query.QueryAll(connection.Version, soql, header, ct).ConfigureAwait(false)
                    : await connection.Query.Query(connection.Version, soql, header, ct).ConfigureAwait(false);
            return await connection.ReadAsync(response, connection.Serializer.ReadInfo<QueryResult<T>>(), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The next page's path without its leading slash; a queryAll result keeps to queryAll.</summary>
    private string NextPath(string nextRecordsUrl)
    {
        var path = nextRecordsUrl.TrimStart('/');
        if (options.IncludeDeleted)
        {
            path = QueryResourcePattern().Replace(path, "/queryAll/", 1);
        }

        return path;
    }

    [GeneratedRegex(@"^/services/data/v[0-9]{2,3}\.[0-9]/(query|queryAll)/[A-Za-z0-9_\-]{1,100}\z")]
    private static partial Regex ContinuationPattern();

    [GeneratedRegex("/query/")]
    private static partial Regex QueryResourcePattern();
}
