namespace Atom.Salesforce.Client.Mirror;

/// <summary>What the PostgreSQL mirror copies, from which login, into which database, and how it keeps it current.</summary>
public sealed class MirrorOptions
{
    /// <summary>
    /// The objects the analytics read: the default of <see cref="Objects"/>. UserRole is among them because the endpoint pack's
    /// visibility rule (records the user owns or that the role hierarchy grants) reads the role tree from the mirror; it has no
    /// change events in Salesforce, so it is polled (<see cref="PollInterval"/>).
    /// </summary>
    public static IReadOnlyList<string> AnalyticsObjects { get; } =
        ["Account", "Contact", "Lead", "Opportunity", "OpportunityHistory", "OpportunityStage", "Task", "Event", "User", "UserRole", "Campaign", "CampaignMember"];

    /// <summary>The PostgreSQL connection string (Npgsql); when null, the <c>NpgsqlDataSource</c> registered in the container is used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The designated integration login: your application's id for the user whose stored token the mirror reads the org with.
    /// The mirror holds what this login can see.
    /// </summary>
    public string UserId { get; set; } = string.Empty;

    /// <summary>The login's Salesforce username, when the user has several logins; null for the user's only login.</summary>
    public string? Username { get; set; }

    /// <summary>The PostgreSQL schema of the mirror; null for <c>sf_</c> and the org's 18-character id in lower case (one schema per org).</summary>
    public string? Schema { get; set; }

    /// <summary>The objects to mirror (API names; a name given twice is mirrored once); <see cref="AnalyticsObjects"/> by default.</summary>
    public IList<string> Objects { get; } = [.. AnalyticsObjects];

    /// <summary>
    /// True (the default) to keep objects current with Change Data Capture events over the Pub/Sub API (registered with
    /// <c>AddPubSub()</c>) where the login can subscribe to them; objects without change events are polled. False to poll every object.
    /// </summary>
    public bool UseChangeEvents { get; set; } = true;

    /// <summary>How often objects without change events are polled (SystemModstamp and getDeleted). Five minutes by default.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the writer reads describe again to follow schema changes while it runs (one describe call per mirrored object):
    /// a new field adds a column whose values are then read for every row (a backfill through Bulk API 2.0), a removed field's
    /// column stops updating, a changed type widens the column. Fifteen minutes by default.
    /// </summary>
    public TimeSpan DescribeInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a standby instance asks for the writer lock. Fifteen seconds by default.</summary>
    public TimeSpan LeaseRetryInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the writer checks it still holds its lock. One second by default.</summary>
    public TimeSpan LeaseHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows per Bulk API 2.0 result page (<c>maxRecords</c>), each committed with its locator. 50,000 by default.</summary>
    public int BulkPageSize { get; set; } = 50_000;

    /// <summary>The health check reports a table unhealthy when it was last known current longer ago than this. Fifteen minutes by default.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>True (the default) to run the writer in this application (a hosted service); false for an instance that only reads the mirror.</summary>
    public bool RunWriter { get; set; } = true;

    /// <summary>
    /// How many reads of the mirror's analytics data source (<c>ISalesDataSource</c>; one per set of parts and filter, the
    /// records or the opportunity set it built) this process keeps in memory, the least recently used dropped first. A kept
    /// read is reused while the state table shows no change to the objects it read (a change applied, a poll that changed rows,
    /// a load, a reload or a backfill, by whichever instance writes), which one small query checks on every call; any such
    /// change reads the objects again. 8 by default; 0 reads PostgreSQL on every call.
    /// </summary>
    public int ReadCacheEntries { get; set; } = 8;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(UserId))
        {
            throw new ArgumentException("MirrorOptions.UserId names the integration login the mirror reads the org with; it is required.", nameof(UserId));
        }

        if (Objects.Count == 0 || Objects.Any(o => string.IsNullOrWhiteSpace(o) || !o.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException("MirrorOptions.Objects must name at least one object, each an API name (letters, digits, underscores).", nameof(Objects));
        }

        if (Schema is not null && (Schema.Length is 0 or > 63 || !Schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            throw new ArgumentException("MirrorOptions.Schema must be 1 to 63 lower-case letters, digits or underscores.", nameof(Schema));
        }

        if (ReadCacheEntries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadCacheEntries), ReadCacheEntries, "MirrorOptions.ReadCacheEntries cannot be negative.");
        }

        if (PollInterval <= TimeSpan.Zero || DescribeInterval <= TimeSpan.Zero || LeaseRetryInterval <= TimeSpan.Zero || LeaseHeartbeatInterval <= TimeSpan.Zero || MaxStaleness <= TimeSpan.Zero)
        {
            throw new ArgumentException("MirrorOptions intervals must be positive.", nameof(PollInterval));
        }

        if (BulkPageSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException("MirrorOptions.BulkPageSize must be 1 to 1,000,000 rows.", nameof(BulkPageSize));
        }
    }
}
