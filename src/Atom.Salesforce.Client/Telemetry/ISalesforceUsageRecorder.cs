namespace Atom.Salesforce.Client.Telemetry;

/// <summary>
/// Counts each user's use of the Salesforce API. The SDK calls <see cref="Record"/> once for every API call a
/// <see cref="SalesforceClient"/> makes (after retries and a token refresh, so one call of yours is one record), on the
/// request's thread: implementations must be cheap and must not block or do I/O there (count in memory, write in
/// batches). The default does nothing; the PostgreSQL token store replaces it with monthly counters per user.
/// </summary>
public interface ISalesforceUsageRecorder
{
    /// <summary>Counts one API call of <paramref name="userId"/>.</summary>
    /// <param name="userId">The user the call was made for.</param>
    /// <param name="bytesTransferred">The request and response body sizes, as far as their <c>Content-Length</c> tells.</param>
    /// <param name="failed">True when the call ended in an error response or a transport failure.</param>
    void Record(string userId, long bytesTransferred, bool failed);
}

/// <summary>The default recorder: counts nothing.</summary>
internal sealed class NullSalesforceUsageRecorder : ISalesforceUsageRecorder
{
    public static readonly NullSalesforceUsageRecorder Instance = new();

    public void Record(string userId, long bytesTransferred, bool failed)
    {
    }
}
