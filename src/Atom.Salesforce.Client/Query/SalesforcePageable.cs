using System.Runtime.CompilerServices;

namespace Atom.Salesforce.Client.Query;

/// <summary>
/// The records of a query, fetched one page at a time as you enumerate: memory holds one page, whatever the result size,
/// and nothing is capped. <see cref="AsPages"/> shows the pages themselves, with their continuation tokens.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class SalesforcePageable<T> : IAsyncEnumerable<T>
{
    /// <summary>For derived types and mocks.</summary>
    protected SalesforcePageable()
    {
    }

    /// <summary>
    /// The pages of the result. Pass a page's <see cref="QueryResult{T}.NextRecordsUrl"/> as <paramref name="continuationToken"/>
    /// to resume from that page later (the query locator lives about 15 minutes on Salesforce's side).
    /// </summary>
    public abstract IAsyncEnumerable<QueryResult<T>> AsPages(string? continuationToken = null);

    /// <summary>Enumerates every record of every page.</summary>
    public virtual async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var page in AsPages().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in page.Records)
            {
                yield return record;
            }
        }
    }

    /// <summary>A pageable over pages you supply: for tests and mocks of code that takes a <see cref="SalesforcePageable{T}"/>.</summary>
    public static SalesforcePageable<T> FromPages(IEnumerable<QueryResult<T>> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        return new StaticPageable(pages.ToList());
    }

    private sealed class StaticPageable(IReadOnlyList<QueryResult<T>> pages) : SalesforcePageable<T>
    {
        public override IAsyncEnumerable<QueryResult<T>> AsPages(string? continuationToken = null) => Enumerate(continuationToken);

        private async IAsyncEnumerable<QueryResult<T>> Enumerate(string? continuationToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var started = continuationToken is null;
            for (var i = 0; i < pages.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!started)
                {
                    started = i > 0 && pages[i - 1].NextRecordsUrl == continuationToken;
                    if (!started)
                    {
                        continue;
                    }
                }

                yield return pages[i];
                await Task.Yield();
            }
        }
    }
}
