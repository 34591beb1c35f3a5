using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Telemetry;

namespace Atom.Salesforce.Client.Query;

/// <summary>
/// A live query: the first page from <c>query</c> or <c>queryAll</c>, then each <c>nextRecordsUrl</c> in turn until
/// <c>done</c>. Each page is read straight from the response stream; only the current page is held.
/// A page that fails transiently is fetched again from the same locator, so no row is skipped or repeated: a failure before
/// Salesforce answered is retried by the resilience pipeline (a GET is safe to repeat), one while reading the answer here, both
/// within <see cref="Resilience.SalesforceResilienceOptions.MaxRetryAttempts"/>. When that budget is spent on a page after the
/// first, <see cref="QueryInterruptedException"/> carries the page's locator, which <see cref="AsPages"/> accepts.
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

        long delivered = 0;
        if (next is null && options.CacheDuration is { } duration && connection.Cache is { } cache)
        {
            var fill = new Fill(this, cache.Options.MaxQueryResultBytes);
            var cached = await cache.GetOrCreateAsync(
                SalesforceCacheKinds.Query,
                "q:" + ConnectionCache.Hash(soql) + (options.IncludeDeleted ? ":all" : string.Empty),
                perUser: true,
                duration < cache.Options.MaxQueryDuration ? duration : cache.Options.MaxQueryDuration,
                org => CachedQuery.FromObject(soql) is { } from
                    ? [ConnectionCache.ObjectTag(org, from), ConnectionCache.QueriesTag(org)]
                    : [ConnectionCache.QueriesTag(org)],
                fill,
                static (f, ct) => f.RunAsync(ct),
                CacheJsonContext.Default.CachedQuery,
                token,
                cache.Options.QueryLocalDuration).ConfigureAwait(false);

            // Too large to keep: the caller that fetched goes on from where it stopped; any other runs the query itself.
            var pages = cached.TooLarge ? fill.Fetched : cached.Pages;
            if (pages is not null)
            {
                var info = connection.Serializer.ReadInfo<QueryResult<T>>();
                foreach (var body in pages)
                {
                    var page = JsonSerializer.Deserialize(body, info) ?? throw new SalesforceException("Salesforce returned an empty query page.");
                    yield return page;
                    delivered += page.Records.Count;
                }

                if (!cached.TooLarge || fill.Next is null)
                {
                    yield break;
                }

                token.ThrowIfCancellationRequested();
                next = fill.Next;
            }
        }

        while (true)
        {
            var page = await FetchResumingAsync(next, delivered, token).ConfigureAwait(false);
            yield return page;
            delivered += page.Records.Count;
            if (page.Done || page.NextRecordsUrl is null)
            {
                yield break;
            }

            token.ThrowIfCancellationRequested();
            next = page.NextRecordsUrl;
        }
    }

    /// <summary>
    /// One page, fetched again from the same locator after a transient failure while its answer was read; a page after the
    /// first that still fails becomes a <see cref="QueryInterruptedException"/> naming its locator.
    /// </summary>
    private async Task<QueryResult<T>> FetchResumingAsync(string? nextRecordsUrl, long delivered, CancellationToken cancellationToken)
    {
        var resilience = connection.Options.Resilience;
        var resumes = 0;
        while (true)
        {
            var answered = new StrongBox<bool>();
            try
            {
                return await FetchAsync(nextRecordsUrl, answered, cancellationToken).ConfigureAwait(false);
            }
            catch (SalesforceException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                // Before an answer arrived, the resilience pipeline has already retried the GET within the budget; a failure
                // while the answer was read happened outside it, so it is resumed here within the same budget.
                if (answered.Value && resumes < resilience.MaxRetryAttempts)
                {
                    resumes++;
                    var delay = TimeSpan.FromTicks(Math.Min(resilience.BaseDelay.Ticks * (1L << Math.Min(resumes - 1, 16)), resilience.MaxDelay.Ticks));
                    Log.QueryPageResumed(connection.Logger, nextRecordsUrl ?? "the first page", resumes, e.GetType().Name, delay);
                    await Task.Delay(delay, connection.TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (nextRecordsUrl is null)
                {
                    // Nothing was delivered yet: running the query again repeats nothing.
                    throw;
                }

                throw new QueryInterruptedException(nextRecordsUrl, delivered, e);
            }
        }
    }

    private Task<QueryResult<T>> FetchAsync(string? nextRecordsUrl, StrongBox<bool> answered, CancellationToken cancellationToken) =>
        connection.RunAsync(nextRecordsUrl is null ? "QueryClient.Query" : "QueryClient.QueryMore", async ct =>
        {
            var response = await SendPageAsync(nextRecordsUrl, ct).ConfigureAwait(false);
            using (response)
            {
                await connection.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
                answered.Value = true;
                var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    return await JsonSerializer.DeserializeAsync(stream, connection.Serializer.ReadInfo<QueryResult<T>>(), ct).ConfigureAwait(false)
                        ?? throw new SalesforceException("Salesforce returned an empty query page.");
                }
            }
        }, cancellationToken);

    /// <summary>The first page (query or queryAll) or the page after <paramref name="nextRecordsUrl"/>.</summary>
    private async Task<HttpResponseMessage> SendPageAsync(string? nextRecordsUrl, CancellationToken ct)
    {
        Governance.RequestPriorityScope.Set(options.Priority);
        var header = options.HeaderValue;
        return nextRecordsUrl is not null
            ? await connection.Query.Next(NextPath(nextRecordsUrl), header, ct).ConfigureAwait(false)
            : options.IncludeDeleted
                ? await connection.Query.QueryAll(connection.Version, soql, header, ct).ConfigureAwait(false)
                : await connection.Query.Query(connection.Version, soql, header, ct).ConfigureAwait(false);
    }

    /// <summary>Every page's body as Salesforce sent it, for the cache; one page only (no I/O beyond it) when the result is too large.</summary>
    private Task<(byte[] Body, bool Done, string? Next)> FetchRawAsync(string? nextRecordsUrl, CancellationToken cancellationToken) =>
        connection.RunAsync(nextRecordsUrl is null ? "QueryClient.Query" : "QueryClient.QueryMore", async ct =>
        {
            var response = await SendPageAsync(nextRecordsUrl, ct).ConfigureAwait(false);
            using (response)
            {
                await connection.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                var (done, next) = CachedQuery.ReadPaging(body);
                return (body, done, next);
            }
        }, cancellationToken);

    /// <summary>
    /// Fills one cache entry: every page, as long as their total stays within <see cref="SalesforceCacheOptions.MaxQueryResultBytes"/>.
    /// Past that it stops, keeps what it fetched and where to go on (<see cref="Fetched"/>, <see cref="Next"/>) for its own
    /// caller, and leaves the too-large mark in the cache.
    /// </summary>
    private sealed class Fill(QueryPageable<T> owner, int max)
    {
        public List<byte[]>? Fetched { get; private set; }

        public string? Next { get; private set; }

        public async ValueTask<CachedQuery> RunAsync(CancellationToken cancellationToken)
        {
            var pages = new List<byte[]>();
            long total = 0;
            string? next = null;
            while (true)
            {
                var (body, done, following) = await owner.FetchRawAsync(next, cancellationToken).ConfigureAwait(false);
                pages.Add(body);
                total += body.Length;
                if (total > max)
                {
                    Fetched = pages;
                    Next = done ? null : following;
                    return CachedQuery.TooLargeMark;
                }

                if (done)
                {
                    return new CachedQuery { Pages = pages };
                }

                next = following;
            }
        }
    }

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
