using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// A Bulk API 2.0 job did not finish within <see cref="BulkJobOptions.Timeout"/>. The job keeps running in Salesforce: poll it
/// again with its <see cref="JobId"/>, or abort it.
/// </summary>
public sealed class BulkJobTimeoutException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException(string jobId, string state, TimeSpan timeout)
        : base($"Bulk API 2.0 job {jobId} did not finish within {timeout} (last state: {state}). The job keeps running in Salesforce; poll or abort it by its id.")
    {
        JobId = jobId;
        State = state;
    }

    /// <summary>The job that is still running.</summary>
    public string JobId { get; }

    /// <summary>The job's state at the last poll.</summary>
    public string State { get; }
}
