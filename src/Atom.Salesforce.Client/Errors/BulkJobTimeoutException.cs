using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// A Bulk API 2.0 job did not finish within <see cref="BulkJobOptions.Timeout"/>. The job keeps running in Salesforce: wait for
/// it again by its <see cref="BulkJobException.JobId"/> (<see cref="BulkClient.WaitForIngestJobAsync"/>,
/// <see cref="BulkClient.WaitForQueryJobAsync"/>), or abort it.
/// </summary>
public sealed class BulkJobTimeoutException : BulkJobException
{
    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException(string jobId, string state, TimeSpan timeout)
        : this(new BulkJobInfo { Id = jobId, State = state }, timeout, null)
    {
    }

    internal BulkJobTimeoutException(BulkJobInfo job, TimeSpan timeout, IReadOnlyList<BulkIngestJobRows>? ingestJobs)
        : base($"Bulk API 2.0 job {job.Id} did not finish within {timeout} (last state: {job.State}). The job keeps running in Salesforce; wait for it or abort it by its id.",
            job, ingestJobs)
    {
        ErrorCode = SalesforceError.Codes.BulkJobTimedOut;
    }

    /// <summary>The job's state at the last poll (the same as <see cref="BulkJobException.LastKnownState"/>).</summary>
    public string State => LastKnownState;
}
