namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// One result page of a Bulk API 2.0 query job (<see cref="BulkClient.GetQueryJobResultPageAsync"/>): its column names, its
/// rows as they stream from the response, and the locator of the next page. Dispose it to release the response.
/// </summary>
public sealed class BulkQueryResultPage : IDisposable
{
    private readonly Func<CancellationToken, ValueTask<string[]?>> _read;
    private readonly IDisposable _body;

    internal BulkQueryResultPage(string? locator, string? nextLocator, string[] columns, Func<CancellationToken, ValueTask<string[]?>> read, IDisposable body)
    {
        Locator = locator;
        NextLocator = nextLocator;
        Columns = columns;
        _read = read;
        _body = body;
    }

    /// <summary>The locator this page was read with; null for the first page.</summary>
    public string? Locator { get; }

    /// <summary>The locator of the next page (Salesforce's <c>Sforce-Locator</c> header); null when this is the last page.</summary>
    public string? NextLocator { get; }

    /// <summary>The column names, in the order of each row's cells (the query's fields; <c>Account.Name</c> for a relationship field).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The next row's cells as Salesforce wrote them (an empty cell is an empty string, which Bulk API 2.0 also writes for null); null after the last row.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="Errors.BulkJobException">The page is not valid CSV, or could not be read.</exception>
    public async ValueTask<IReadOnlyList<string>?> ReadRowAsync(CancellationToken cancellationToken = default) =>
        await _read(cancellationToken).ConfigureAwait(false);

    /// <summary>Releases the response.</summary>
    public void Dispose() => _body.Dispose();
}
