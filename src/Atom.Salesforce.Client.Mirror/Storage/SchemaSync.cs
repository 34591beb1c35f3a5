using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>
/// Brings a mirror table in line with describe: creates it, adds a column for a new field, keeps the column of a removed field
/// (it stops updating), and widens the column of a field whose type changed to text (keeping every value as text), reporting
/// the change in the log and in the state table. The fields of added columns are queued in the state table (<c>backfill</c>)
/// until <see cref="Load.Backfiller"/> has read their values.
/// </summary>
internal static class SchemaSync
{
    public static async Task<MirrorTable> ApplyAsync(NpgsqlConnection connection, string schema, MirrorTable described, ILogger logger, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, ColumnKind>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = described.Name });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing[reader.GetString(0)] = ColumnKinds.FromSqlType(reader.GetString(1));
            }
        }

        var table = MirrorSql.Qualified(schema, described.Name);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            var columns = described.Columns.Select(c => $"{MirrorSql.Ident(c.Column)} {c.Kind.SqlType()}" + (c.Field == "Id" ? " PRIMARY KEY" : string.Empty));
            await ExecuteAsync(connection, $"CREATE TABLE {table} ({string.Join(", ", columns)})", cancellationToken).ConfigureAwait(false);
            await RegisterAsync(connection, schema, described, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return described;
        }

        var typeChanges = new List<string>();
        var added = new List<string>();
        foreach (var column in described.Columns)
        {
            if (!existing.TryGetValue(column.Column, out var stored))
            {
                await ExecuteAsync(connection, $"ALTER TABLE {table} ADD COLUMN {MirrorSql.Ident(column.Column)} {column.Kind.SqlType()}", cancellationToken).ConfigureAwait(false);
                MirrorLog.ColumnAdded(logger, schema, described.Name, column.Column);
                if (!column.Derived)
                {
                    added.Add(column.Field);
                }

                continue;
            }

            column.StoredKind = stored;
            if (stored != column.Kind && stored != ColumnKind.Text)
            {
                // Every type's values read back as text, so widening keeps them all; the field's new values fit too.
                await ExecuteAsync(connection, $"ALTER TABLE {table} ALTER COLUMN {MirrorSql.Ident(column.Column)} TYPE text USING {MirrorSql.Ident(column.Column)}::text", cancellationToken).ConfigureAwait(false);
                column.StoredKind = ColumnKind.Text;
            }

            if (stored != column.Kind)
            {
                MirrorLog.TypeChanged(logger, described.ObjectName, column.Field, stored.SqlType(), column.Kind.SqlType());
                typeChanges.Add($"{column.Field}: {stored.SqlType()} -> {column.Kind.SqlType()} (stored as text)");
            }
        }

        var known = described.Columns.Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
        var removed = existing.Where(e => !known.Contains(e.Key)).ToList();
        foreach (var (column, kind) in removed)
        {
            described.Columns.Add(new MirrorColumn(column, kind, column) { Live = false });
        }

        if (typeChanges.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                $"UPDATE {MirrorSql.State(schema)} SET type_changes = ARRAY(SELECT DISTINCT unnest(type_changes || $2)), updated_at = now() WHERE object = $1", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = described.ObjectName });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. typeChanges] });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await RegisterAsync(connection, schema, described, cancellationToken).ConfigureAwait(false);
        if (added.Count > 0)
        {
            // The rows already in the table have no values for the new fields: the writer reads them (a backfill), even after a crash.
            await using var command = new NpgsqlCommand(
                $"UPDATE {MirrorSql.State(schema)} SET backfill = ARRAY(SELECT DISTINCT unnest(backfill || $2)), updated_at = now() WHERE object = $1", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = described.ObjectName });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. added] });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return described;
    }

    /// <summary>True when <paramref name="described"/> has the same live columns, of the same kinds, as <paramref name="table"/>.</summary>
    public static bool SameShape(MirrorTable table, MirrorTable described) =>
        table.Live.Select(c => (c.Column, c.Kind, c.Derived)).ToHashSet().SetEquals(described.Columns.Select(c => (c.Column, c.Kind, c.Derived)));

    /// <summary>Reports the columns of fields gone from describe (once per start).</summary>
    public static void ReportRemoved(MirrorTable table, ILogger logger)
    {
        foreach (var column in table.Columns.Where(c => !c.Live))
        {
            MirrorLog.FieldRemoved(logger, table.ObjectName, column.Column);
        }
    }

    private static async Task RegisterAsync(NpgsqlConnection connection, string schema, MirrorTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {MirrorSql.State(schema)} (object, table_name) VALUES ($1, $2) ON CONFLICT (object) DO NOTHING", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ObjectName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.Name });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
