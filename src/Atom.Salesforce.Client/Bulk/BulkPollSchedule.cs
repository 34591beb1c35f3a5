using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>
/// The waits between the polls of one Bulk API 2.0 job: short at first, doubling toward <see cref="BulkJobOptions.MaxPollInterval"/>,
/// and shortened to the job's own estimate of its remaining time once it reports progress.
/// </summary>
/// <remarks>
/// <para>
/// What Salesforce documents, and what each rule here follows from it:
/// </para>
/// <list type="bullet">
/// <item>Salesforce's guides give no poll interval for Bulk API 2.0: the walkthroughs say to check the job's state and repeat
/// until it is <c>JobComplete</c> (Bulk API 2.0 Developer Guide, "Query Jobs" walkthrough, step 2: "Repeat this step until the
/// state is JobComplete"; "Upload Complete": "Salesforce will start processing the job at this point").</item>
/// <item>Every poll is an API request: "Bulk API use is subject to the standard API usage limits. Each HTTP request counts as
/// one call for the purposes of calculating usage limits" (Bulk API Developer Guide, "Bulk API Limits"), and an org's requests
/// are a 24-hour allocation ("Each org is only able to handle a certain number of API requests within a 24-hour period. Budget
/// your overall API consumption", "Limits"). Hence the doubling: the polls of a job that runs T seconds grow as log2(T), not T.</item>
/// <item>A job is processed in internal batches of 10,000 records; "If Salesforce can't process all the records in a batch
/// within 5 minutes, the batch fails" and is retried up to 20 times ("Understanding Bulk API 2.0 Ingest"). A 30-second cap
/// (the default <see cref="BulkJobOptions.MaxPollInterval"/>) is a tenth of one batch's limit: a long job is seen done at most
/// 30 s late, at two polls a minute.</item>
/// <item>The job reports <c>numberRecordsProcessed</c> while it is <c>InProgress</c> ("Get Information About an Ingest Job").
/// When it does, the rows left at the rate seen so far say when it should be done; the next poll comes then, if that is
/// sooner than the doubling would put it (never later, so the bound above holds), and never sooner than the first wait.
/// A job still queued (<c>UploadComplete</c>, nothing processed) gives no rate and waits the doubling.</item>
/// </list>
/// </remarks>
internal struct BulkPollSchedule
{
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private TimeSpan _backoff;

    public BulkPollSchedule(TimeSpan first, TimeSpan max)
    {
        _first = first;
        _max = max;
        _backoff = first;
    }

    /// <summary>The wait before the next poll.</summary>
    /// <param name="last">The job as last seen (closed, or as the last poll answered).</param>
    /// <param name="rows">The rows the job was given, or null when the SDK did not upload them (a job waited for by id).</param>
    /// <param name="sinceClosed">The time since the job was closed.</param>
    public TimeSpan Next(BulkJobInfo last, long? rows, TimeSpan sinceClosed)
    {
        var wait = _backoff;
        _backoff = TimeSpan.FromTicks(Math.Min(Math.Max(_backoff.Ticks * 2, TimeSpan.TicksPerMillisecond), _max.Ticks));
        var processed = last.NumberRecordsProcessed;
        if (rows is { } total && last.State == BulkJobState.InProgress && processed > 0 && processed < total && sinceClosed > TimeSpan.Zero)
        {
            // The rate so far includes the time the job waited in the queue, so the estimate errs long (it is capped by the doubling).
            var remaining = TimeSpan.FromTicks((long)(sinceClosed.Ticks * ((double)(total - processed) / processed)));
            if (remaining < wait)
            {
                wait = remaining < _first ? _first : remaining;
            }
        }

        return wait;
    }
}
