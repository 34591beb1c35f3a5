using Atom.Salesforce.Client.Mirror.Schema;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>Row writes of one mirror table: upsert of whole rows, update of some columns, delete, the derived full name.</summary>
internal static class TableWriter
{
    /// <summary>
    /// Inserts or replaces rows, each a value per column of <paramref name="columns"/> (the id first); returns how many rows
    /// were inserted or changed (a row whose values are already those is left alone and not counted).
    /// </summary>
    public static async Task<int> UpsertAsync(NpgsqlConnection connection, string schema, MirrorTable table, IReadOnlyList<MirrorColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => MirrorSql.Ident(c.Column)));
        var placeholders = string.Join(", ", columns.Select((_, i) => "$" + (i + 1)));
        var updated = columns.Skip(1).Select(c => MirrorSql.Ident(c.Column)).ToList();
        var updates = string.Join(", ", updated.Select(c => $"{c} = EXCLUDED.{c}"));
        var sql = $"INSERT INTO {MirrorSql.Qualified(schema, table.Name)} AS t ({names}) VALUES ({placeholders}) ON CONFLICT (\"id\") DO "
            + (updates.Length == 0
                ? "NOTHING"
                : $"UPDATE SET {updates} WHERE ({string.Join(", ", updated.Select(c => "t." + c))}) IS DISTINCT FROM ({string.Join(", ", updated.Select(c => "EXCLUDED." + c))})");
        var changed = 0;
        await using var batch = new NpgsqlBatch(connection);
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(sql);
            for (var i = 0; i < columns.Count; i++)
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = columns[i].StoredKind.DbType(), Value = row[i] ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
            if (batch.BatchCommands.Count == 500)
            {
                changed += await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                batch.BatchCommands.Clear();
            }
        }

        if (batch.BatchCommands.Count > 0)
        {
            changed += await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
