using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Errors;

/// <summary>
/// A Bulk API 2.0 operation failed after its job was created: the job exists in Salesforce, and this exception names it
/// (<see cref="JobId"/>) with what the SDK last knew of it (<see cref="JobInfo"/>). Continue with the job instead of starting
/// over: wait for it with <c>sf.Bulk.WaitForIngestJobAsync</c> / <c>WaitForQueryJobAsync</c>, then read its results with
/// <c>GetIngestJobResultsAsync</c> / <c>GetQueryJobResultsAsync</c>. Not transient as a whole, even when its cause was
/// (<see cref="Exception.InnerException"/>): repeating the whole call would upload the same rows again.
/// </summary>
public class BulkJobException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="jobInfo">The job, as last read from (or set in) Salesforce.</param>
    /// <param name="ingestJobs">For an ingest, every job the call created, in upload order, with the input rows each holds.</param>
    /// <param name="abortSucceeded">Null when the SDK did not abort the job; true when it aborted it; false when the abort failed.</param>
    /// <param name="innerException">The failure.</param>
    public BulkJobException(
        string message, BulkJobInfo jobInfo, IReadOnlyList<BulkIngestJobRows>? ingestJobs = null, bool? abortSucceeded = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(jobInfo);
        JobInfo = jobInfo;
        IngestJobs = ingestJobs ?? [];
        AbortSucceeded = abortSucceeded;
        ErrorCode = SalesforceError.Codes.BulkJobFailed;
    }

    /// <summary>The job's id, for example <c>7506g00000DhRA2AAN</c>.</summary>
    public string JobId => JobInfo.Id;

    /// <summary>The job's state when the SDK last knew it (see <see cref="BulkJobState"/>); it may have moved on since.</summary>
    public string LastKnownState => JobInfo.State;

    /// <summary>The job as the SDK last knew it: its state, counts and error message.</summary>
    public BulkJobInfo JobInfo { get; }

    /// <summary>
    /// For an ingest: every job the call created, in upload order, each with the input rows it holds (a large or mixed input
    /// is split over several jobs) and its last known state. Rows after the last job's were never uploaded. Empty for a query.
    /// </summary>
    public IReadOnlyList<BulkIngestJobRows> IngestJobs { get; }

    /// <summary>
    /// Whether the SDK aborted the job after an upload or a close failed: null when it did not try (the job was closed and is
    /// left to finish); true when Salesforce accepted the abort (an aborted job is not processed further: with
    /// <see cref="BulkJobInfo.NumberRecordsProcessed"/> 0 in <see cref="JobInfo"/>, none of its rows were saved; otherwise the
    /// close had reached Salesforce and its result files say which rows were processed); false when the abort failed too
    /// (<see cref="LastKnownState"/> <see cref="BulkJobState.Open"/>: abort it yourself; any other state: the close went through
    /// after all, so wait for the job).
    /// </summary>
    public bool? AbortSucceeded { get; }

    /// <summary>Always false: continue with the job by its id; repeating the call would upload its rows again.</summary>
    public override bool IsTransient => false;
}
