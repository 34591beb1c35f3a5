using System.Globalization;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Mirror.Load;
using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Mirror.Telemetry;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Avro;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Changes;

/// <summary>
/// Applies Change Data Capture events to one mirror table in database transactions that also store the replay id after the
/// last event applied (the events already delivered when one is applied go together, in order, in one transaction), so that
/// after a crash the next writer resumes right after the last event applied: nothing is applied twice or lost.
/// Creates write the event's fields; updates write the changed fields (and read the record again when the mirror does not hold
/// it); deletes delete; undeletes and gap events read the named records again through the REST API; an overflow event reads
/// again the records changed since its transaction (SystemModstamp, and getDeleted then queryAll for deletes), or reloads the table through
/// Bulk API 2.0 where that cannot answer.
/// </summary>
internal sealed class ChangeApplier(MirrorContext context, MirrorTable table)
{
    /// <summary>
    /// Applies what the stream delivered, in order, in one database transaction that also stores the position after the last
    /// item: an event's replay id, or a keepalive's latest replay id (every event before it was delivered).
    /// </summary>
    /// <remarks>
    /// Consecutive creates are written together: their rows wait in <see cref="_created"/> and go to PostgreSQL as one multi-row
    /// upsert (where a record created twice keeps its later row) when another kind of event comes (which may read or change
    /// those rows) and before the transaction's position is stored; so a busy topic costs a few statements per transaction, not one per event.
    /// </remarks>
    public async Task ApplyAsync(MirrorSession session, IReadOnlyList<StreamItem> items, CancellationToken cancellationToken)
    {
        await session.RunAsync(async (connection, ct) =>
        {
            _created.Clear();
            _createdIds.Clear();
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            byte[]? position = null;
            DateTimeOffset? changeAt = null;
            foreach (var item in items)
            {
                if (item.Event is { } received)
                {
                    var header = received.ChangeEventHeader ?? throw new InvalidDataException($"The event from {received.Topic} is not a change event.");
                    if (header.ChangeType == ChangeType.Create)
                    {
                        Create(received.Record, header);
                    }
                    else
                    {
                        await FlushCreatesAsync(connection, ct).ConfigureAwait(false);
                        await ApplyAsync(connection, received.Record, header, ct).ConfigureAwait(false);
                    }

                    position = received.ReplayId.ToArray();
                    changeAt = header.CommitTimestamp;
                }
                else if (item.Keepalive is { Length: > 0 } latest)
                {
                    position = latest;
                }
            }

            await FlushCreatesAsync(connection, ct).ConfigureAwait(false);
            await TableWriter.MarkAppliedAsync(connection, context.Schema, table.ObjectName, position, changeAt, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows of creates not written yet (in the current transaction), in the order of their events.</summary>
    private readonly List<object?[]> _created = [];

    /// <summary>The ids of <see cref="_created"/>.</summary>
    private readonly List<string> _createdIds = [];

    /// <summary>The columns a create writes: every live column but the derived ones.</summary>
    private List<MirrorColumn> CreateColumns => _createColumns ??= [.. table.Live.Where(c => !c.Derived)];

    private List<MirrorColumn>? _createColumns;

    /// <summary>Writes the creates waiting in <see cref="_created"/> with one multi-row upsert, then their derived names.</summary>
    private async Task FlushCreatesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (_created.Count == 0)
        {
            return;
        }

        await TableWriter.UpsertAsync(connection, context.Schema, table, CreateColumns, _created, ct).ConfigureAwait(false);
        await TableWriter.DeriveNameAsync(connection, context.Schema, table, _createdIds, ct).ConfigureAwait(false);
        _created.Clear();
        _createdIds.Clear();
    }

    private async Task ApplyAsync(NpgsqlConnection connection, AvroRecord record, ChangeEventHeader header, CancellationToken ct)
    {
        var ids = header.RecordIds;
        switch (header.ChangeType)
        {
            case ChangeType.Create:
                Create(record, header);
                await FlushCreatesAsync(connection, ct).ConfigureAwait(false);
                break;
            case ChangeType.Update:
                await UpdateAsync(connection, record, header, ids, ct).ConfigureAwait(false);
                break;
            case ChangeType.Delete or ChangeType.GapDelete:
                await TableWriter.DeleteAsync(connection, context.Schema, table, ids, ct).ConfigureAwait(false);
                break;
            case ChangeType.Undelete or ChangeType.GapCreate or ChangeType.GapUpdate or ChangeType.GapUndelete:
                if (header.ChangeType != ChangeType.Undelete)
                {
                    MirrorLog.Reread(context.Logger, header.ChangeTypeName, table.ObjectName, ids.Count);
                }

                await RecordReader.RefreshAsync(context.Client, connection, context.Schema, table, ids, ct).ConfigureAwait(false);
                break;
            case ChangeType.GapOverflow:
                if (!await RereadSinceAsync(connection, header.CommitTimestamp, ct).ConfigureAwait(false))
                {
                    MirrorLog.Overflow(context.Logger, table.ObjectName);
                    await ReloadAsync(connection, ct).ConfigureAwait(false);
                }

                break;
            default:
                // An unknown change type: the records it names are read again, so the mirror matches whatever happened.
                await RecordReader.RefreshAsync(context.Client, connection, context.Schema, table, ids, ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Queues the rows of a create event (<see cref="FlushCreatesAsync"/> writes them).</summary>
    private void Create(AvroRecord record, ChangeEventHeader header)
    {
        var columns = CreateColumns;
        foreach (var id in header.RecordIds)
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                row[i] = column.Field switch
                {
                    "Id" => id,
                    "SystemModstamp" when !HasPath(record, column.EventPath) => header.CommitTimestamp.UtcDateTime,
                    _ => ColumnValues.FromEvent(column.Kind, column.StoredKind, ValueAt(record, column.EventPath), column.Field),
                };
            }

            _created.Add(row);
            _createdIds.Add(id);
        }
    }

    private async Task UpdateAsync(NpgsqlConnection connection, AvroRecord record, ChangeEventHeader header, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var values = new List<(MirrorColumn, object?)>();
        var nameChanged = false;
        foreach (var path in header.ChangedFields.Concat(header.NulledFields).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (table.ByEventPath(path) is not { Live: true } column || values.Any(v => v.Item1 == column))
            {
                continue;
            }

            nameChanged |= path.StartsWith("Name.", StringComparison.OrdinalIgnoreCase);
            var value = header.NulledFields.Contains(path, StringComparer.OrdinalIgnoreCase) ? null : ValueAt(record, path);
            values.Add((column, ColumnValues.FromEvent(column.Kind, column.StoredKind, value, column.Field)));
        }

        if (table.Field("SystemModstamp") is { Live: true } stamp)
        {
            values.Add((stamp, ColumnValues.FromObject(stamp.StoredKind, header.CommitTimestamp, stamp.Field)));
        }

        var found = await TableWriter.UpdateAsync(connection, context.Schema, table, values, ids, ct).ConfigureAwait(false);
        if (nameChanged)
        {
            await TableWriter.DeriveNameAsync(connection, context.Schema, table, ids, ct).ConfigureAwait(false);
        }

        var missing = ids.Where(id => !found.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            // An update of a record the mirror does not hold (created before the events it still has): read it whole.
            MirrorLog.Reread(context.Logger, header.ChangeTypeName, table.ObjectName, missing.Count);
            await RecordReader.RefreshAsync(context.Client, connection, context.Schema, table, missing, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The answer to an overflow event, which names no record (Change Data Capture Developer Guide, "Overflow Events"): the
    /// records changed since its transaction may have begun (<c>SystemModstamp</c> within
    /// <see cref="MirrorContext.OverflowWindow"/> of its commit) are read again through the REST API, and those deleted since
    /// then are deleted. <c>getDeleted</c> answers for its window only up to its <c>latestDateCovered</c> (deletes after it may
    /// not be reported yet: SOAP API Developer Guide, "GetDeletedResult"), so the deletes after that instant are read with
    /// <c>queryAll</c> (<c>IsDeleted = true</c>; the overflowing transaction has committed, so its deletes are there). False
    /// when the object has no SystemModstamp, or getDeleted or queryAll cannot answer for the window: the caller then reloads
    /// the table.
    /// </summary>
    private async Task<bool> RereadSinceAsync(NpgsqlConnection connection, DateTimeOffset commit, CancellationToken ct)
    {
        if (!table.HasSystemModstamp)
        {
            return false;
        }

        // SOQL datetimes have whole seconds: the window starts at the second before.
        var since = commit - context.OverflowWindow - TimeSpan.FromSeconds(1);
        var now = context.Time.GetUtcNow();
        var latest = now > commit ? now : commit;
        var deletedIds = new List<string>();
        try
        {
            // getDeleted takes whole minutes: the window ends a minute past the later of now and the commit.
            var deleted = await context.Client.SObjects.GetDeletedAsync(table.ObjectName, since, latest + TimeSpan.FromMinutes(1), ct).ConfigureAwait(false);
            if (deleted.EarliestDateAvailable > since)
            {
                return false;
            }

            deletedIds.AddRange(deleted.Records.Select(r => r.Id));
            if (deleted.LatestDateCovered < latest)
            {
                // The rest of the window, past what getDeleted covered (from the second before it: SOQL has whole seconds).
                var rest = deleted.LatestDateCovered - TimeSpan.FromSeconds(1);
                var restSoql = $"SELECT Id FROM {table.ObjectName} WHERE IsDeleted = true AND SystemModstamp >= {rest.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
                await foreach (var record in context.Client.Query.QueryAsync<SObject>(restSoql, new QueryOptions { IncludeDeleted = true }, ct).ConfigureAwait(false))
                {
                    deletedIds.Add(record.Id!);
                }
            }
        }
        catch (SalesforceApiException)
        {
            return false;
        }

        var columns = table.Live.ToList();
        var soql = table.SelectSoql($"WHERE SystemModstamp >= {since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
        var rows = new List<object?[]>();
        var read = 0;
        await foreach (var record in context.Client.Query.QueryAsync<SObject>(soql, cancellationToken: ct).ConfigureAwait(false))
        {
            rows.Add(RecordReader.ToRow(record, columns));
            if (rows.Count == 2_000)
            {
                await TableWriter.UpsertAsync(connection, context.Schema, table, columns, rows, ct).ConfigureAwait(false);
                read += rows.Count;
                rows.Clear();
            }
        }

        await TableWriter.UpsertAsync(connection, context.Schema, table, columns, rows, ct).ConfigureAwait(false);
        read += rows.Count;
        if (deletedIds.Count > 0)
        {
            await TableWriter.DeleteAsync(connection, context.Schema, table, [.. deletedIds.Distinct(StringComparer.Ordinal)], ct).ConfigureAwait(false);
        }

        MirrorLog.Reread(context.Logger, "GAP_OVERFLOW", table.ObjectName, read + deletedIds.Count);
        return true;
    }

    /// <summary>Replaces the table's rows with a fresh Bulk API 2.0 read, in the caller's transaction (readers see the old rows until it commits).</summary>
    private async Task ReloadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var truncate = new NpgsqlCommand($"DELETE FROM {MirrorSql.Qualified(context.Schema, table.Name)}", connection))
        {
            await truncate.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var options = new BulkQueryOptions { MaxRecordsPerPage = context.BulkPageSize };
        var job = await context.Client.Bulk.CreateQueryJobAsync(table.SelectSoql(), options, ct).ConfigureAwait(false);
        job = await context.Client.Bulk.WaitForQueryJobAsync(job.Id, options, ct).ConfigureAwait(false);
        if (job.State != BulkJobState.JobComplete)
        {
            throw new BulkJobException($"The mirror's Bulk API 2.0 query job {job.Id} for {table.ObjectName} ended in state {job.State}: {job.ErrorMessage}", job);
        }

        string? locator = null;
        do
        {
            using var page = await context.Client.Bulk.GetQueryJobResultPageAsync(job, locator, options, ct).ConfigureAwait(false);
            await InitialLoader.CopyAsync(connection, context.Schema, table, page, ct).ConfigureAwait(false);
            locator = page.NextLocator;
        }
        while (locator is not null);
    }

    private static bool HasPath(AvroRecord record, string path) => !path.Contains('.', StringComparison.Ordinal) && record.Contains(path) && record[path] is not null;

    /// <summary>A field's value in the event: <c>Field</c>, or <c>Compound.Component</c> inside a compound field's record.</summary>
    private static object? ValueAt(AvroRecord record, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return record.TryGetValue(path, out var value) ? value : null;
        }

        return record.TryGetValue(path[..dot], out var compound) && compound is AvroRecord nested && nested.TryGetValue(path[(dot + 1)..], out var part) ? part : null;
    }
}

/// <summary>One item of a change event stream, in the order delivered: an event, or a keepalive's latest replay id.</summary>
internal readonly record struct StreamItem(ReceivedEvent? Event, byte[]? Keepalive);
