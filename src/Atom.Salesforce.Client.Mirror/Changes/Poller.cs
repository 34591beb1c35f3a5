using System.Globalization;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Mirror.Telemetry;
using Atom.Salesforce.Client.Records;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Changes;

/// <summary>
/// Keeps an object without change events current by polling (REST API Developer Guide, "Get a List of Deleted Records Within a
/// Given Timeframe"; SOAP API, "Data Replication"): records whose <c>SystemModstamp</c> is at or after the last high-water mark
/// (less an overlap, since a change commits after its stamp) are read and written whole; deletes come from
/// <c>getDeleted</c> for the window since the last check. Where getDeleted cannot answer (an object that does not replicate, a
/// window past what Salesforce keeps), the mirror compares ids instead. An object without <c>SystemModstamp</c> is read whole.
/// </summary>
internal sealed class Poller(MirrorContext context, MirrorTable table)
{
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    public async Task PollAsync(MirrorSession session, CancellationToken cancellationToken)
    {
        var state = await session.RunAsync((c, ct) => ObjectState.ReadAsync(c, context.Schema, table.ObjectName, ct), cancellationToken).ConfigureAwait(false);
        var now = context.Time.GetUtcNow();
        var columns = table.Live.ToList();
        var client = context.Client;
        if (!table.HasSystemModstamp || state.PollHighWater is null)
        {
            await ReplaceAllAsync(session, columns, now, cancellationToken).ConfigureAwait(false);
            return;
        }

        var since = state.PollHighWater.Value - Overlap;
        var soql = table.SelectSoql($"WHERE SystemModstamp >= {since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ORDER BY SystemModstamp");
        var highWater = state.PollHighWater.Value;
        var stampIndex = columns.FindIndex(c => c.Field == "SystemModstamp");
        var batch = new List<object?[]>();
        var changed = 0;
        await foreach (var record in client.Query.QueryAsync<SObject>(soql, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var row = RecordReader.ToRow(record, columns);
            if (row[stampIndex] is DateTime stamp && stamp > highWater.UtcDateTime)
            {
                highWater = new DateTimeOffset(stamp, TimeSpan.Zero);
            }

            batch.Add(row);
            if (batch.Count == 2000)
            {
                changed += await WriteAsync(session, columns, batch, null, null, 0, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        // Deletes: getDeleted for the window since the last check, or an id comparison when it cannot answer.
        var checkedAt = state.DeletedCheckedAt ?? now;
        List<string>? deleted = null;
        DateTimeOffset? covered = null;
        var start = checkedAt - Overlap;
        if (now - start < TimeSpan.FromDays(29))
        {
            try
            {
                var result = await client.SObjects.GetDeletedAsync(table.ObjectName, start, now, cancellationToken).ConfigureAwait(false);
                if (result.EarliestDateAvailable <= start)
                {
                    deleted = [.. result.Records.Select(r => r.Id)];
                    covered = result.LatestDateCovered;
                }
            }
            catch (SalesforceApiException e)
            {
                MirrorLog.DeletedByIds(context.Logger, table.ObjectName, e);
            }
        }

        if (deleted is null)
        {
            deleted = await MissingIdsAsync(session, cancellationToken).ConfigureAwait(false);
            covered = now;
        }

        await WriteAsync(session, columns, batch, deleted, (highWater, covered!.Value), changed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes rows read and deletes found, in one transaction; the last write of a poll (<paramref name="done"/>) also marks the
    /// poll, as a change applied only when some row was inserted, changed or deleted (here or in <paramref name="changedBefore"/>
    /// rows of the poll's earlier writes): the overlap reads rows again that the mirror already holds as they are. Returns the
    /// rows this write inserted, changed or deleted.
    /// </summary>
    private Task<int> WriteAsync(MirrorSession session, List<MirrorColumn> columns, List<object?[]> rows, List<string>? deleted, (DateTimeOffset HighWater, DateTimeOffset Covered)? done, int changedBefore, CancellationToken cancellationToken) =>
        session.RunAsync(async (connection, ct) =>
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var changed = await TableWriter.UpsertAsync(connection, context.Schema, table, columns, rows, ct).ConfigureAwait(false);
            if (deleted is { Count: > 0 })
            {
                changed += await TableWriter.DeleteAsync(connection, context.Schema, table, deleted, ct).ConfigureAwait(false);
            }

            if (done is { } marks)
            {
                await MarkPolledAsync(connection, marks.HighWater, marks.Covered, changedBefore + changed > 0, ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return changed;
        }, cancellationToken);

    private async Task MarkPolledAsync(NpgsqlConnection connection, DateTimeOffset highWater, DateTimeOffset covered, bool changed, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE {MirrorSql.State(context.Schema)} SET poll_high_water = $2, deleted_checked_at = $3, last_synced_at = now(),
                last_change_at = CASE WHEN $4 THEN greatest(coalesce(last_change_at, $2), $2) ELSE last_change_at END,
                last_applied_at = CASE WHEN $4 THEN now() ELSE last_applied_at END, last_error = NULL, updated_at = now()
            WHERE object = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = highWater.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = covered.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = changed });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The ids the mirror holds that the org no longer has (one id-only query).</summary>
    private async Task<List<string>> MissingIdsAsync(MirrorSession session, CancellationToken cancellationToken)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in context.Client.Query.QueryAsync<SObject>($"SELECT Id FROM {table.ObjectName}", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            live.Add(record.Id!);
        }

        var held = await session.RunAsync(async (connection, ct) =>
        {
            var ids = new List<string>();
            await using var command = new NpgsqlCommand($"SELECT \"id\" FROM {MirrorSql.Qualified(context.Schema, table.Name)}", connection);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }, cancellationToken).ConfigureAwait(false);
        return [.. held.Where(id => !live.Contains(id))];
    }

    /// <summary>An object without SystemModstamp: read whole, replacing the table's rows in one transaction.</summary>
    private async Task ReplaceAllAsync(MirrorSession session, List<MirrorColumn> columns, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var record in context.Client.Query.QueryAsync<SObject>(table.SelectSoql(), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(RecordReader.ToRow(record, columns));
        }

        await session.RunAsync(async (connection, ct) =>
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var delete = new NpgsqlCommand($"DELETE FROM {MirrorSql.Qualified(context.Schema, table.Name)}", connection))
            {
                await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await TableWriter.UpsertAsync(connection, context.Schema, table, columns, rows, ct).ConfigureAwait(false);
            // Read whole, the table cannot tell what changed: the poll counts as a change applied (readers read it again).
            await MarkPolledAsync(connection, now, now, changed: true, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
