using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// A SOQL query stopped part-way: a later page kept failing after the SDK had resumed it from its locator as often as
/// <c>SalesforceOptions.Resilience.MaxRetryAttempts</c> allows. The rows before <see cref="ContinuationToken"/> were delivered;
/// continue with <c>AsPages(ContinuationToken)</c> of the same query to get exactly the rows that remain. Not transient as a
/// whole: running the query again from the start would deliver <see cref="RowsDelivered"/> rows a second time.
/// </summary>
public sealed class QueryInterruptedException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="continuationToken">The <c>nextRecordsUrl</c> of the page that could not be read.</param>
    /// <param name="rowsDelivered">How many rows the enumeration delivered before it stopped.</param>
    /// <param name="innerException">The last failure.</param>
    public QueryInterruptedException(string continuationToken, long rowsDelivered, Exception? innerException)
        : base(
            $"The query stopped after {rowsDelivered:N0} rows: {innerException?.Message ?? "a page could not be read"} Continue with AsPages(ContinuationToken) "
            + "while the query locator lives (about 15 minutes of inactivity); running the query again would deliver those rows again.",
            innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(continuationToken);
        ArgumentOutOfRangeException.ThrowIfNegative(rowsDelivered);
        ContinuationToken = continuationToken;
        RowsDelivered = rowsDelivered;
        ErrorCode = SalesforceError.Codes.QueryInterrupted;
    }

    /// <summary>
    /// The <c>nextRecordsUrl</c> of the first page not delivered: pass it to <c>SalesforcePageable&lt;T&gt;.AsPages(continuationToken)</c>
    /// of the same query (<c>sf.Query.QueryAsync&lt;T&gt;(soql, ...)</c>) to continue exactly where the enumeration stopped.
    /// </summary>
    public string ContinuationToken { get; }

    /// <summary>How many rows this enumeration delivered before it stopped (every row of every page before the token).</summary>
    public long RowsDelivered { get; }
}
