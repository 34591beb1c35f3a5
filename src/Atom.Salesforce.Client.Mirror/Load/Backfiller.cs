using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Mirror.Telemetry;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Load;

/// <summary>
/// Reads the values of fields whose columns were added after the table was loaded (a new field in describe): one Bulk API 2.0
/// query of the id and those fields, each result page copied (binary COPY) into a temporary table and applied with one
/// <c>UPDATE … FROM</c>, in one transaction per page; the last page's transaction also takes the fields off the state table's
/// <c>backfill</c> list. After a crash the next writer runs the backfill again (it only sets values, so running it twice is
/// harmless). Change events the writer applies afterwards carry later values of those fields.
/// </summary>
internal sealed class Backfiller(MirrorContext context)
{
    /// <summary>Rows read by backfills since this backfiller was made.</summary>
    public long RowsRead { get; private set; }

    public async Task BackfillAsync(MirrorSession session, MirrorTable table, ObjectState state, CancellationToken cancellationToken)
    {
        var columns = table.Live.Where(c => !c.Derived && c.Field != "Id" && state.Backfill.Contains(c.Field, StringComparer.OrdinalIgnoreCase)).ToList();
        if (columns.Count == 0)
        {
            if (state.Backfill.Length > 0)
            {
                await session.RunAsync((c, ct) => ClearAsync(c, table, state.Backfill, ct), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var id = table.Field("Id")!;
        var subset = new MirrorTable(table.ObjectName, [id, .. columns]);
        var options = new BulkQueryOptions { MaxRecordsPerPage = context.BulkPageSize };
        var bulk = context.Client.Bulk;
        var job = await bulk.CreateQueryJobAsync(subset.SelectSoql(), options, cancellationToken).ConfigureAwait(false);
        job = await bulk.WaitForQueryJobAsync(job.Id, options, cancellationToken).ConfigureAwait(false);
        if (job.State != BulkJobState.JobComplete)
        {
            throw new BulkJobException($"The mirror's Bulk API 2.0 query job {job.Id} (backfill of {table.ObjectName}) ended in state {job.State}: {job.ErrorMessage}", job);
        }

        var names = string.Join(", ", subset.Columns.Select(c => MirrorSql.Ident(c.Column)));
        var set = string.Join(", ", columns.Select(c => $"{MirrorSql.Ident(c.Column)} = b.{MirrorSql.Ident(c.Column)}"));
        var target = MirrorSql.Qualified(context.Schema, table.Name);
        long rows = 0;
        string? locator = null;
        do
        {
            using var page = await bulk.GetQueryJobResultPageAsync(job, locator, options, cancellationToken).ConfigureAwait(false);
            var last = page.NextLocator is null;
            rows += await session.RunAsync(async (connection, ct) =>
            {
                await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await ExecuteAsync(connection, $"CREATE TEMP TABLE _mirror_backfill ON COMMIT DROP AS SELECT {names} FROM {target} WITH NO DATA", ct).ConfigureAwait(false);
                var copied = await InitialLoader.CopyIntoAsync(connection, "_mirror_backfill", subset, page, ct).ConfigureAwait(false);
                await ExecuteAsync(connection, $"UPDATE {target} t SET {set} FROM _mirror_backfill b WHERE t.\"id\" = b.\"id\"", ct).ConfigureAwait(false);
                if (last)
                {
                    await ClearAsync(connection, table, state.Backfill, ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
                return copied;
            }, cancellationToken).ConfigureAwait(false);
            locator = page.NextLocator;
        }
        while (locator is not null);

        RowsRead += rows;
        MirrorLog.Backfilled(context.Logger, table.ObjectName, string.Join(", ", columns.Select(c => c.Field)), rows);
    }

    private async Task ClearAsync(NpgsqlConnection connection, MirrorTable table, string[] fields, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {MirrorSql.State(context.Schema)} SET backfill = ARRAY(SELECT unnest(backfill) EXCEPT SELECT unnest($2::text[])), updated_at = now() WHERE object = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = fields });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
