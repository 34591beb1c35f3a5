using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Mirror.Schema;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>Row writes of one mirror table: upsert of whole rows, update of some columns, delete, the derived full name.</summary>
internal static class TableWriter
{
    /// <summary>PostgreSQL takes at most 65,535 parameters in one statement.</summary>
    private const int MaxParameters = 65_535;

    /// <summary>
    /// Inserts or replaces rows, each a value per column of <paramref name="columns"/> (the id first): one multi-row
    /// <c>INSERT … ON CONFLICT</c> statement per chunk of rows (as many as fit in PostgreSQL's parameter limit), so that a batch
    /// of rows costs one round trip, not one per row. A row whose id comes again later replaces it (the later one is written).
    /// Returns how many rows were inserted or changed (a row whose values are already those is left alone and not counted).
    /// </summary>
    public static async Task<int> UpsertAsync(NpgsqlConnection connection, string schema, MirrorTable table, IReadOnlyList<MirrorColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => MirrorSql.Ident(c.Column)));
        var updated = columns.Skip(1).Select(c => MirrorSql.Ident(c.Column)).ToList();
        var updates = string.Join(", ", updated.Select(c => $"{c} = EXCLUDED.{c}"));
        var head = $"INSERT INTO {MirrorSql.Qualified(schema, table.Name)} AS t ({names}) VALUES ";
        var tail = " ON CONFLICT (\"id\") DO " + (updates.Length == 0
            ? "NOTHING"
            : $"UPDATE SET {updates} WHERE ({string.Join(", ", updated.Select(c => "t." + c))}) IS DISTINCT FROM ({string.Join(", ", updated.Select(c => "EXCLUDED." + c))})");
        var perStatement = Math.Max(1, Math.Min(1_000, MaxParameters / Math.Max(1, columns.Count)));
        var types = columns.Select(c => c.StoredKind.DbType()).ToArray();
        var changed = 0;

        // One statement may not name a row twice (ON CONFLICT DO UPDATE cannot change a row twice): the later row wins.
        var chunk = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var id = (string)row[0]!;
            chunk.Remove(id);
            chunk[id] = row;
            if (chunk.Count == perStatement)
            {
                changed += await WriteAsync(chunk.Values).ConfigureAwait(false);
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            changed += await WriteAsync(chunk.Values).ConfigureAwait(false);
        }

        async Task<int> WriteAsync(IEnumerable<object?[]> chunkRows)
        {
            await using var command = new NpgsqlCommand { Connection = connection };
            var sql = new StringBuilder(head);
            var n = 0;
            foreach (var row in chunkRows)
            {
                sql.Append(n == 0 ? "(" : ", (");
                for (var i = 0; i < columns.Count; i++)
                {
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = types[i], Value = row[i] ?? DBNull.Value });
                    sql.Append(i == 0 ? "$" : ", $").Append(command.Parameters.Count.ToString(CultureInfo.InvariantCulture));
                }

                sql.Append(')');
                n++;
            }

            command.CommandText = sql.Append(tail).ToString();
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>Sets some columns of the rows with the given ids; returns the ids that had a row.</summary>
    public static async Task<HashSet<string>> UpdateAsync(NpgsqlConnection connection, string schema, MirrorTable table, IReadOnlyList<(MirrorColumn Column, object? Value)> values, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var set = values.Count == 0 ? "\"id\" = \"id\"" : string.Join(", ", values.Select((v, i) => $"{MirrorSql.Ident(v.Column.Column)} = ${i + 2}"));
        await using var command = new NpgsqlCommand($"UPDATE {MirrorSql.Qualified(schema, table.Name)} SET {set} WHERE \"id\" = ANY($1) RETURNING \"id\"", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        foreach (var (column, value) in values)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = column.StoredKind.DbType(), Value = value ?? DBNull.Value });
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    public static async Task<int> DeleteAsync(NpgsqlConnection connection, string schema, MirrorTable table, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {MirrorSql.Qualified(schema, table.Name)} WHERE \"id\" = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A person's full name from its parts, as Salesforce shows it by default (<c>FirstName LastName</c>).</summary>
    public static async Task DeriveNameAsync(NpgsqlConnection connection, string schema, MirrorTable table, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (!table.HasPersonName)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            $"UPDATE {MirrorSql.Qualified(schema, table.Name)} SET \"name\" = NULLIF(btrim(coalesce(\"firstname\", '') || ' ' || coalesce(\"lastname\", '')), '') WHERE \"id\" = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records in the state table that a change was applied (in the caller's transaction).</summary>
    public static async Task MarkAppliedAsync(NpgsqlConnection connection, string schema, string objectName, byte[]? replayId, DateTimeOffset? changeAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE {MirrorSql.State(schema)} SET replay_id = coalesce($2, replay_id), last_change_at = coalesce($3, last_change_at),
                last_applied_at = CASE WHEN $3 IS NULL THEN last_applied_at ELSE now() END, last_synced_at = now(), last_error = NULL, updated_at = now()
            WHERE object = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = objectName });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Value = (object?)replayId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = changeAt is { } at ? at.UtcDateTime : DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
