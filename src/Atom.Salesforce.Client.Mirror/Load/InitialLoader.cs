using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Mirror.Telemetry;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Load;

/// <summary>
/// The initial load of one object: a Bulk API 2.0 query job whose result pages stream straight into
/// <c>COPY … FROM STDIN (FORMAT BINARY)</c>, one transaction per page that also stores the next page's locator. Memory holds
/// one row at a time; after a crash the load resumes with the first page not committed, from the same job.
/// </summary>
internal sealed class InitialLoader(MirrorContext context)
{
    /// <summary>Called after each committed page with the object and the number of pages committed so far (tests stop the writer there).</summary>
    public Func<string, int, Task>? PageCommitted { get; init; }

    /// <summary>Result pages read from Salesforce since this loader was made.</summary>
    public int PagesRead => _pagesRead;

    private int _pagesRead;

    public async Task LoadAsync(MirrorSession session, MirrorTable table, ObjectState state, CancellationToken cancellationToken)
    {
        if (state.Phase == ObjectState.Loaded)
        {
            return;
        }

        var bulk = context.Client.Bulk;
        var options = new BulkQueryOptions { MaxRecordsPerPage = context.BulkPageSize };
        BulkJobInfo? job = null;
        if (state.BulkJobId is not null)
        {
            try
            {
                job = await bulk.WaitForQueryJobAsync(state.BulkJobId, options, cancellationToken).ConfigureAwait(false);
                if (job.State != BulkJobState.JobComplete)
                {
                    job = null;
                }
                else
                {
                    MirrorLog.LoadResumed(context.Logger, table.ObjectName, state.PagesLoaded, job.Id);
                }
            }
            catch (Exception e) when (e is BulkJobException or SalesforceApiException)
            {
                // The job is gone (Salesforce keeps them 7 days) or failed: load the object again from the start.
                job = null;
            }
        }

        var locator = job is null ? null : state.BulkLocator;
        var pages = job is null ? 0 : state.PagesLoaded;
        long rows = job is null ? 0 : state.RowsLoaded;
        if (job is null)
        {
            var startedAt = context.Time.GetUtcNow();
            var created = await bulk.CreateQueryJobAsync(table.SelectSoql(), options, cancellationToken).ConfigureAwait(false);
            await session.RunAsync(async (connection, ct) =>
            {
                await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (var truncate = new NpgsqlCommand($"TRUNCATE {MirrorSql.Qualified(context.Schema, table.Name)}", connection))
                {
                    await truncate.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await using (var command = new NpgsqlCommand(
                    $"""
                    UPDATE {MirrorSql.State(context.Schema)} SET phase = 'loading', bulk_job_id = $2, bulk_locator = NULL, pages_loaded = 0, rows_loaded = 0,
                        load_started_at = $3, load_finished_at = NULL, poll_high_water = $3, deleted_checked_at = $3, backfill = ARRAY[]::text[], updated_at = now()
                    WHERE object = $1
                    """, connection))
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = created.Id });
                    command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = startedAt.UtcDateTime });
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            job = await bulk.WaitForQueryJobAsync(created.Id, options, cancellationToken).ConfigureAwait(false);
            if (job.State != BulkJobState.JobComplete)
            {
                throw new BulkJobException($"The mirror's Bulk API 2.0 query job {job.Id} for {table.ObjectName} ended in state {job.State}: {job.ErrorMessage}", job);
            }
        }

        do
        {
            using var page = await bulk.GetQueryJobResultPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _pagesRead);
            var done = page.NextLocator is null;
            var copied = await session.RunAsync(async (connection, ct) =>
            {
                await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                var count = await CopyAsync(connection, context.Schema, table, page, ct).ConfigureAwait(false);
                await using (var command = new NpgsqlCommand(
                    $"""
                    UPDATE {MirrorSql.State(context.Schema)} SET bulk_locator = $2, pages_loaded = pages_loaded + 1, rows_loaded = rows_loaded + $3,
                        phase = CASE WHEN $4 THEN 'loaded' ELSE 'loading' END, load_finished_at = CASE WHEN $4 THEN now() END,
                        last_synced_at = CASE WHEN $4 THEN now() ELSE last_synced_at END, updated_at = now()
                    WHERE object = $1
                    """, connection))
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)page.NextLocator ?? DBNull.Value });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = count });
                    command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = done });
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
                return count;
            }, cancellationToken).ConfigureAwait(false);
            rows += copied;
            pages++;
            locator = page.NextLocator;
            if (PageCommitted is { } hook)
            {
                await hook(table.ObjectName, pages).ConfigureAwait(false);
            }
        }
        while (locator is not null);

        MirrorLog.Loaded(context.Logger, table.ObjectName, rows, pages, job.Id);
    }

    /// <summary>Streams one result page into the table with binary COPY; returns the number of rows.</summary>
    internal static Task<long> CopyAsync(NpgsqlConnection connection, string schema, MirrorTable table, BulkQueryResultPage page, CancellationToken cancellationToken) =>
        CopyIntoAsync(connection, MirrorSql.Qualified(schema, table.Name), table, page, cancellationToken);

    /// <summary>Streams one result page into <paramref name="target"/> (a table with the columns of <paramref name="table"/>) with binary COPY.</summary>
    internal static async Task<long> CopyIntoAsync(NpgsqlConnection connection, string target, MirrorTable table, BulkQueryResultPage page, CancellationToken cancellationToken)
    {
        // The page's columns in its order, matched to the table's live columns (a relationship column would match none).
        var columns = page.Columns.Select(name => table.Field(name) is { Live: true } column ? column : null).ToArray();
        var targets = columns.OfType<MirrorColumn>().ToList();
        var copy = $"COPY {target} ({string.Join(", ", targets.Select(c => MirrorSql.Ident(c.Column)))}) FROM STDIN (FORMAT BINARY)";
        long count = 0;
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            while (await page.ReadRowAsync(cancellationToken).ConfigureAwait(false) is { } row)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < columns.Length && i < row.Count; i++)
                {
                    if (columns[i] is not { } column)
                    {
                        continue;
                    }

                    var value = ColumnValues.FromText(column.StoredKind, row[i], column.Field);
                    if (value is null)
                    {
                        await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await importer.WriteAsync(value, column.StoredKind.DbType(), cancellationToken).ConfigureAwait(false);
                    }
                }

                count++;
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return count;
    }
}
