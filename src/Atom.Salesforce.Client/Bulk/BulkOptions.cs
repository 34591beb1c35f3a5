using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>How the SDK waits for a Bulk API 2.0 job.</summary>
public abstract class BulkJobOptions
{
    private protected BulkJobOptions()
    {
    }

    /// <summary>
    /// The wait before the first poll of the job's state once it is closed; each later wait doubles, up to
    /// <see cref="MaxPollInterval"/>. Default 50 ms.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With the defaults a job is polled 0.05, 0.15, 0.35, 0.75, 1.55, 3.15, 6.35, 12.75, 25.55 and 51.15 s after it was
    /// closed, then every 30 s: a job that finishes quickly is seen done within 50 ms, and a job that runs T seconds costs
    /// about log2(T / 0.05 s) + T / 30 s polls. The time between a job finishing and the SDK seeing it is at most the time
    /// the job took, plus 50 ms, and never more than 30 s.
    /// </para>
    /// <para>
    /// Once the job reports rows processed (<c>InProgress</c>), the next poll comes when the rows left should be done at the
    /// rate seen so far, if that is sooner than the doubling says (never later, and never sooner than this first wait): a job
    /// that shows its progress is seen done about when it finishes, not up to twice its run time later.
    /// </para>
    /// <para>
    /// Salesforce's Bulk API 2.0 guide gives no poll interval (its walkthroughs say to check the job's state until it is
    /// <c>JobComplete</c>); what it does say is that every poll is an HTTP request and counts against the org's daily API
    /// requests, and that an internal batch of 10,000 records fails if it is not processed within 5 minutes. The doubling keeps
    /// the count of polls logarithmic in the job's length, and the 30 s cap keeps a long job polled twice a minute. Earlier
    /// releases waited 1 s before the first poll, which made a small job wait about a second after it was done.
    /// </para>
    /// </remarks>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>The longest wait between two polls. Default 30 s.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for the job to finish; null waits as long as it takes. When it runs out,
    /// <see cref="BulkJobTimeoutException"/> names the job, which keeps running in Salesforce.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Told the job's state and counts at every poll (each job's, when an ingest makes several); none when null.</summary>
    public IProgress<BulkJobProgress>? Progress { get; set; }

    /// <summary>
    /// The priority of the job's calls (create, upload, close, polls, result pages) when API governance is registered
    /// (<c>AddApiGovernance()</c>): null (the default) leaves it to the enclosing <see cref="Governance.RequestPriorityScope"/>, else
    /// background (nobody waits on a Bulk API 2.0 job call by call). Set <see cref="Governance.RequestPriority.Interactive"/> for a
    /// small job a user waits for.
    /// </summary>
    public Governance.RequestPriority? Priority { get; set; }

    /// <summary>The default <see cref="PollInterval"/>.</summary>
    internal static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(50);

    internal virtual void Validate()
    {
        if (PollInterval < TimeSpan.Zero || MaxPollInterval < PollInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), "PollInterval must be at least zero and at most MaxPollInterval.");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), "Timeout must be positive.");
        }

        if (Priority is { } priority && !Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(Priority), priority, "A request priority is Interactive or Background.");
        }
    }
}

/// <summary>Options of a Bulk API 2.0 ingest.</summary>
public sealed class BulkIngestOptions : BulkJobOptions
{
    /// <summary>The most Salesforce accepts in one upload, after base64 (150 MB); the SDK stays under 100 MB of CSV.</summary>
    public const int MaxUploadBytesLimit = 100_000_000;

    /// <summary>The external id field an upsert matches on; <c>Id</c> when not set.</summary>
    public string? ExternalIdField { get; set; }

    /// <summary>
    /// The most bytes of CSV one job receives (default and maximum 100,000,000). Larger inputs are split over several jobs,
    /// each with its header row.
    /// </summary>
    public int MaxUploadBytes { get; set; } = MaxUploadBytesLimit;

    /// <summary>
    /// The columns to write, in order; taken from the records when null (a POCO's scalar properties; an <see cref="Records.SObject"/>'s
    /// fields, a record with a field outside the current columns starting a new job).
    /// </summary>
    public IReadOnlyList<string>? Columns { get; set; }

    /// <summary>
    /// The delimiter of a CSV stream you upload yourself: <c>COMMA</c> (default), <c>BACKQUOTE</c>, <c>CARET</c>, <c>PIPE</c>,
    /// <c>SEMICOLON</c> or <c>TAB</c>. CSV the SDK writes always uses commas.
    /// </summary>
    public string ColumnDelimiter { get; set; } = "COMMA";

    /// <summary>Assignment rule id for Case and Lead rows.</summary>
    public string? AssignmentRuleId { get; set; }

    internal static BulkIngestOptions Default { get; } = new();

    internal char Delimiter => ColumnDelimiter.ToUpperInvariant() switch
    {
        "COMMA" => ',',
        "BACKQUOTE" => '`',
        "CARET" => '^',
        "PIPE" => '|',
        "SEMICOLON" => ';',
        "TAB" => '\t',
        _ => throw new ArgumentException($"'{ColumnDelimiter}' is not a Bulk API 2.0 column delimiter.", nameof(ColumnDelimiter)),
    };

    internal override void Validate()
    {
        base.Validate();
        if (MaxUploadBytes is < 1024 or > MaxUploadBytesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxUploadBytes), MaxUploadBytes, $"MaxUploadBytes must be between 1,024 and {MaxUploadBytesLimit:N0}.");
        }

        _ = Delimiter;
        if (ExternalIdField is not null)
        {
            Records.RecordNames.ThrowIfInvalidName(ExternalIdField, nameof(ExternalIdField));
        }

        if (Columns is not null)
        {
            Records.RecordNames.JoinFields(Columns, nameof(Columns));
        }
    }
}

/// <summary>Options of a Bulk API 2.0 query.</summary>
public sealed class BulkQueryOptions : BulkJobOptions
{
    /// <summary>When true, the query also returns deleted and archived records (<c>queryAll</c>).</summary>
    public bool IncludeDeleted { get; set; }

    /// <summary>The most records per result page (<c>maxRecords</c>); Salesforce chooses when null.</summary>
    public int? MaxRecordsPerPage { get; set; }

    internal static BulkQueryOptions Default { get; } = new();

    internal override void Validate()
    {
        base.Validate();
        if (MaxRecordsPerPage is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordsPerPage), MaxRecordsPerPage, "MaxRecordsPerPage must be positive.");
        }
    }
}
