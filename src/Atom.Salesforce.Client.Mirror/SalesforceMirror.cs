using System.Threading.Channels;
using Atom.Salesforce.Client.Mirror.Changes;
using Atom.Salesforce.Client.Mirror.Load;
using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Mirror.Telemetry;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror;

/// <summary>
/// A PostgreSQL mirror of one org, as its integration login sees it: one table per object in one schema per org, loaded through
/// Bulk API 2.0 and kept current by Change Data Capture events or polling. <see cref="RunAsync"/> is the writer (the hosted
/// service runs it): every instance may run it, and one at a time writes (a PostgreSQL advisory lock; a standby takes over when
/// the writer's session ends). <see cref="GetStatusAsync"/> reads each table's freshness from any instance.
/// </summary>
public class SalesforceMirror
{
    /// <summary>The most events applied in one transaction.</summary>
    private const int MaxBatch = 500;

    private readonly Func<SalesforceClient> _client = null!;
    private readonly Func<PubSubClient?> _pubSub = null!;
    private readonly NpgsqlDataSource _dataSource = null!;
    private readonly MirrorOptions _options = null!;
    private readonly TimeProvider _time = null!;
    private readonly ILogger _logger = null!;
    private string? _schema;
    private string? _organizationId;
    private string? _loginOrganizationId;

    /// <summary>For mocking only: every member is virtual.</summary>
    protected SalesforceMirror()
    {
    }

    internal SalesforceMirror(Func<SalesforceClient> client, Func<PubSubClient?> pubSub, NpgsqlDataSource dataSource, MirrorOptions options, TimeProvider time, ILogger logger)
    {
        _client = client;
        _pubSub = pubSub;
        _dataSource = dataSource;
        _options = options;
        _time = time;
        _logger = logger;
        _schema = options.Schema;
    }

    /// <summary>Test hook: called after each committed page of an initial load.</summary>
    internal Func<string, int, Task>? PageCommitted { get; set; }

    /// <summary>Result pages this instance read from Salesforce during initial loads.</summary>
    internal int PagesRead { get; private set; }

    /// <summary>The mirror's PostgreSQL schema: <see cref="MirrorOptions.Schema"/>, or <c>sf_</c> and the org's id (one API call, the first time).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual async Task<string> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schema is { } known)
        {
            return known;
        }

        return _schema = "sf_" + (await LoginOrganizationIdAsync(_client(), cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
    }

    /// <summary>
    /// The id of the org this mirror holds, as its writer recorded it in the mirror's schema (the org of the integration login
    /// that loaded it): read from PostgreSQL, no Salesforce API call once the schema is known; null before a writer first ran.
    /// A schema holds one org: a writer whose login belongs to another org refuses to write to it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public virtual async Task<string?> GetOrganizationIdAsync(CancellationToken cancellationToken = default)
    {
        if (_organizationId is { } known)
        {
            return known;
        }

        var schema = await GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT organization_id FROM {MirrorSql.Organization(schema)}");
        try
        {
            return _organizationId = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return null; // the writer has not created the schema yet
        }
    }

    /// <summary>The org id of the integration login (one API call, the first time).</summary>
    private async Task<string> LoginOrganizationIdAsync(SalesforceClient client, CancellationToken cancellationToken)
    {
        if (_loginOrganizationId is { } known)
        {
            return known;
        }

        string? orgId = null;
        await foreach (var org in client.Query.QueryAsync<SObject>("SELECT Id FROM Organization", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            orgId = org.Id;
        }

        return _loginOrganizationId = orgId ?? throw new InvalidOperationException("The integration login cannot read its Organization record.");
    }

    /// <summary>The freshness of every mirrored table, from the state table (empty before the writer first ran).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public virtual async Task<IReadOnlyList<MirrorTableStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var schema = await GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new List<MirrorTableStatus>();
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT object, table_name, mode, phase, rows_loaded, last_change_at, last_applied_at, last_synced_at, type_changes, last_error
            FROM {MirrorSql.State(schema)} ORDER BY object
            """);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                statuses.Add(new MirrorTableStatus
                {
                    ObjectName = reader.GetString(0),
                    Table = schema + "." + reader.GetString(1),
                    Mode = reader.GetString(2),
                    Phase = reader.GetString(3),
                    RowsLoaded = reader.GetInt64(4),
                    LastChangeAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    LastAppliedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                    LastSyncedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    TypeChanges = reader.GetFieldValue<string[]>(8),
                    LastError = reader.IsDBNull(9) ? null : reader.GetString(9),
                });
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The writer has not created the schema yet.
        }

        return statuses;
    }

    /// <summary>
    /// Runs the writer until <paramref name="cancellationToken"/> is cancelled: waits for the org's writer lock, brings the tables
    /// in line with describe, loads (or resumes loading) the objects not loaded yet and reads the values of columns added since,
    /// then applies change events and polls, reading describe again every <see cref="MirrorOptions.DescribeInterval"/> (a
    /// change brings the tables in line again, without giving up the lock). When the lock is lost or a step fails, it starts
    /// over (after <see cref="MirrorOptions.LeaseRetryInterval"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops the writer.</param>
    public virtual async Task RunAsync(CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var schema = await GetSchemaAsync(cancellationToken).ConfigureAwait(false);
                var session = await MirrorSession.TryAcquireAsync(_dataSource, schema, _options.LeaseHeartbeatInterval, _logger, cancellationToken).ConfigureAwait(false);
                if (session is null)
                {
                    MirrorLog.StandingBy(_logger, schema);
                }
                else
                {
                    await using (session.ConfigureAwait(false))
                    {
                        MirrorLog.WriterLockTaken(_logger, schema);
                        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Lost);
                        await WriteAsync(session, schema, linked.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                MirrorLog.WriterFailed(_logger, _schema ?? "(unknown)", e);
            }

            try
            {
                await Task.Delay(_options.LeaseRetryInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Test hook: changes the table derived from describe (a test hides a field, then shows it as if it were new).</summary>
    internal Func<MirrorTable, MirrorTable>? DescribedTable { get; set; }

    /// <summary>Test hook: <see cref="MirrorContext.OverflowWindow"/> (ten minutes).</summary>
    internal TimeSpan OverflowWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows this instance read for backfills of new columns.</summary>
    internal long RowsBackfilled { get; private set; }

    /// <summary>How many times this instance's writer brought its tables in line with a describe that changed while it ran.</summary>
    internal int SchemaChanges { get; private set; }

    private async Task<(SObjectDescribe Describe, MirrorTable Table)> DescribeAsync(SalesforceClient client, string objectName, CancellationToken cancellationToken)
    {
        var describe = await client.SObjects.DescribeAsync(objectName, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Salesforce returned no describe of {objectName}.");
        var table = MirrorTable.FromDescribe(describe);
        return (describe, DescribedTable is { } hook ? hook(table) : table);
    }

    private async Task WriteAsync(MirrorSession session, string schema, CancellationToken cancellationToken)
    {
        var client = _client();
        var context = new MirrorContext(client, _dataSource, schema, _options.BulkPageSize, _time, _logger) { OverflowWindow = OverflowWindow };
        var organizationId = await LoginOrganizationIdAsync(client, cancellationToken).ConfigureAwait(false);
        await session.RunAsync(async (c, ct) =>
        {
            await using (var command = new NpgsqlCommand(MirrorSql.CreateSchema(schema), c))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            // A schema holds one org: record the login's org the first time, and refuse a login of another org afterwards.
            await using var claim = new NpgsqlCommand(
                $"""
                WITH claimed AS (INSERT INTO {MirrorSql.Organization(schema)} (organization_id) VALUES ($1) ON CONFLICT (one) DO NOTHING RETURNING organization_id)
                SELECT organization_id FROM claimed UNION ALL SELECT organization_id FROM {MirrorSql.Organization(schema)} LIMIT 1
                """, c);
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = organizationId });
            var recorded = (string)(await claim.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            if (!string.Equals(recorded[..15], organizationId[..15], StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"The mirror schema {schema} holds the org {recorded}, but the integration login ({_options.UserId}) belongs to the org {organizationId}: one schema holds one org. Set MirrorOptions.Schema to another schema (or leave it null for sf_<org id>).");
            }
        }, cancellationToken).ConfigureAwait(false);
        _organizationId = organizationId;

        // Until stopped: bring the tables in line with describe, load and backfill, then follow until describe changes.
        while (!await SyncLoadAndFollowAsync(context, session, schema, cancellationToken).ConfigureAwait(false))
        {
            SchemaChanges++;
        }
    }

    /// <summary>One pass of the writer; false when it stopped following because describe changed (the caller goes round again).</summary>
    private async Task<bool> SyncLoadAndFollowAsync(MirrorContext context, MirrorSession session, string schema, CancellationToken cancellationToken)
    {
        var client = context.Client;

        // Tables from describe, then how each is kept current.
        var pubSub = _options.UseChangeEvents ? _pubSub() : null;
        var tables = new List<(MirrorTable Table, string? Topic)>();
        foreach (var objectName in _options.Objects.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var (describe, described) = await DescribeAsync(client, objectName, cancellationToken).ConfigureAwait(false);
            var table = await session.RunAsync((c, ct) => SchemaSync.ApplyAsync(c, schema, described, _logger, ct), cancellationToken).ConfigureAwait(false);
            SchemaSync.ReportRemoved(table, _logger);
            var topic = pubSub is null ? null : await TopicAsync(pubSub, describe.Name, cancellationToken).ConfigureAwait(false);
            await session.RunAsync(async (c, ct) =>
            {
                await using var command = new NpgsqlCommand($"UPDATE {MirrorSql.State(schema)} SET mode = $2 WHERE object = $1", c);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = topic is null ? "polling" : "change-events" });
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            tables.Add((table, topic));
        }

        // The initial load of what is not loaded yet, object by object; then the values of columns added since (backfills).
        var loader = new InitialLoader(context) { PageCommitted = PageCommitted };
        var backfiller = new Backfiller(context);
        try
        {
            foreach (var (table, _) in tables)
            {
                var state = await session.RunAsync((c, ct) => ObjectState.ReadAsync(c, schema, table.ObjectName, ct), cancellationToken).ConfigureAwait(false);
                await loader.LoadAsync(session, table, state, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (table, _) in tables)
            {
                var state = await session.RunAsync((c, ct) => ObjectState.ReadAsync(c, schema, table.ObjectName, ct), cancellationToken).ConfigureAwait(false);
                await backfiller.BackfillAsync(session, table, state, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            PagesRead += loader.PagesRead;
            RowsBackfilled += backfiller.RowsRead;
        }

        // Then follow: one subscription per object with change events, one polling loop for the others, and describe read again
        // on a timer (a change stops the followers, at an event boundary: each event is applied in its own transaction).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var followers = tables.Where(t => t.Topic is not null).Select(t => FollowAsync(context, session, pubSub!, t.Table, t.Topic!, stop)).ToList();
        var polled = tables.Where(t => t.Topic is null).Select(t => t.Table).ToList();
        if (polled.Count > 0)
        {
            followers.Add(PollAsync(context, session, polled, _options.PollInterval, stop));
        }

        var watch = WatchDescribeAsync(client, [.. tables.Select(t => t.Table)], stop);
        followers.Add(watch);
        try
        {
            await Task.WhenAll(followers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && watch.IsCompletedSuccessfully)
        {
            // Describe changed: the followers stopped; go round again.
        }

        return cancellationToken.IsCancellationRequested;
    }

    /// <summary>Reads describe of every mirrored object every <see cref="MirrorOptions.DescribeInterval"/>; when one changed, stops the followers and returns.</summary>
    private async Task WatchDescribeAsync(SalesforceClient client, List<MirrorTable> tables, CancellationTokenSource stop)
    {
        while (true)
        {
            await Task.Delay(_options.DescribeInterval, _time, stop.Token).ConfigureAwait(false);
            foreach (var table in tables)
            {
                try
                {
                    var (_, described) = await DescribeAsync(client, table.ObjectName, stop.Token).ConfigureAwait(false);
                    if (!SchemaSync.SameShape(table, described))
                    {
                        MirrorLog.SchemaChanged(_logger, table.ObjectName);
                        await stop.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed check is not a reason to stop writing: the next one tries again.
                    MirrorLog.DescribeFailed(_logger, table.ObjectName, e);
                }
            }
        }
    }

    private async Task<string?> TopicAsync(PubSubClient pubSub, string objectName, CancellationToken cancellationToken)
    {
        var topic = "/data/" + (objectName.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? objectName[..^3] + "__ChangeEvent" : objectName + "ChangeEvent");
        try
        {
            var info = await pubSub.GetTopicAsync(topic, cancellationToken).ConfigureAwait(false);
            if (info.CanSubscribe)
            {
                return topic;
            }

            MirrorLog.Polling(_logger, objectName, "the login may not subscribe");
        }
        catch (PubSubException e)
        {
            MirrorLog.Polling(_logger, objectName, e.ErrorCode);
        }

        return null;
    }

    private static async Task FollowAsync(MirrorContext context, MirrorSession session, PubSubClient pubSub, MirrorTable table, string topic, CancellationTokenSource stop)
    {
        try
        {
            var applier = new ChangeApplier(context, table);
            var state = await session.RunAsync((c, ct) => ObjectState.ReadAsync(c, context.Schema, table.ObjectName, ct), stop.Token).ConfigureAwait(false);
            var start = state.ReplayId is { Length: > 0 } replayId ? ReplayStart.After(new ReplayId(replayId)) : ReplayStart.Earliest;
            // The stream is read into a queue as it arrives; the writer applies what is queued at once together (up to
            // MaxBatch events), so that a busy topic costs one transaction per batch rather than per event. Keepalives go
            // through the queue too: their replay id is stored only after the events before them are applied.
            var queue = Channel.CreateBounded<StreamItem>(new BoundedChannelOptions(4 * MaxBatch) { SingleReader = true, SingleWriter = true });
            var options = new SubscribeOptions
            {
                // A quiet topic: the bus's latest replay id is our position, and the table is current.
                KeepaliveReceived = (latest, ct) => queue.Writer.WriteAsync(new StreamItem(null, latest.IsEmpty ? null : latest.ToArray()), ct),
            };
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var reading = ReadAsync(pubSub, topic, start, options, queue.Writer, stopReading.Token);
            try
            {
                var batch = new List<StreamItem>(MaxBatch);
                while (await queue.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
                {
                    batch.Clear();
                    while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }

                    await applier.ApplyAsync(session, batch, stop.Token).ConfigureAwait(false);
                }

                await reading.ConfigureAwait(false); // the stream ended: its failure, if any
            }
            catch (PubSubException e) when (e.IsReplayIdRejected)
            {
                // The bus no longer keeps our position (72 hours): load the object again, then follow from the earliest event.
                await session.RunAsync(async (c, ct) =>
                {
                    await using var command = new NpgsqlCommand($"UPDATE {MirrorSql.State(context.Schema)} SET phase = 'new', bulk_job_id = NULL, replay_id = NULL, last_error = $2 WHERE object = $1", c);
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Message });
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }, stop.Token).ConfigureAwait(false);
                throw;
            }
            finally
            {
                await stopReading.CancelAsync().ConfigureAwait(false);
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads the subscription into the queue until it ends (or fails: the queue is then completed and the failure thrown).</summary>
    private static async Task ReadAsync(PubSubClient pubSub, string topic, ReplayStart start, SubscribeOptions options, ChannelWriter<StreamItem> queue, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var received in pubSub.SubscribeAsync(topic, start, options, cancellationToken).ConfigureAwait(false))
            {
                await queue.WriteAsync(new StreamItem(received, null), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private static async Task PollAsync(MirrorContext context, MirrorSession session, List<MirrorTable> tables, TimeSpan interval, CancellationTokenSource stop)
    {
        try
        {
            var pollers = tables.Select(t => new Poller(context, t)).ToList();
            while (true)
            {
                foreach (var poller in pollers)
                {
                    await poller.PollAsync(session, stop.Token).ConfigureAwait(false);
                }

                await Task.Delay(interval, context.Time, stop.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
