using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Changes;

/// <summary>Reads records again through the REST API (SOQL by id) and writes them to the mirror: the answer to gap events, an
/// update of a record the mirror does not hold, an undelete.</summary>
internal static class RecordReader
{
    /// <summary>Salesforce ids: 15 or 18 letters and digits (so they are safe inside a SOQL literal).</summary>
    private static bool IsId(string id) => id.Length is 15 or 18 && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>The current rows of <paramref name="ids"/> (those that still exist), one value per live column.</summary>
    public static async Task<List<object?[]>> ReadAsync(SalesforceClient client, MirrorTable table, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var columns = table.Live.ToList();
        var rows = new List<object?[]>();
        foreach (var chunk in ids.Where(IsId).Distinct(StringComparer.Ordinal).Chunk(200))
        {
            var soql = table.SelectSoql($"WHERE Id IN ({string.Join(", ", chunk.Select(id => "'" + id + "'"))})");
            await foreach (var record in client.Query.QueryAsync<SObject>(soql, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(ToRow(record, columns));
            }
        }

        return rows;
    }

    public static object?[] ToRow(SObject record, IReadOnlyList<MirrorColumn> columns)
    {
        var row = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            row[i] = ColumnValues.FromObject(columns[i].StoredKind, columns[i].Field == "Id" ? record.Id : record[columns[i].Field], columns[i].Field);
        }

        return row;
    }

    /// <summary>Re-reads the ids and makes the mirror match: rows found are written whole, ids not found are deleted.</summary>
    public static async Task<int> RefreshAsync(SalesforceClient client, NpgsqlConnection connection, string schema, MirrorTable table, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(client, table, ids, cancellationToken).ConfigureAwait(false);
        var columns = table.Live.ToList();
        await TableWriter.UpsertAsync(connection, schema, table, columns, rows, cancellationToken).ConfigureAwait(false);
        var found = rows.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        var gone = ids.Where(id => !found.Contains(id)).ToList();
        if (gone.Count > 0)
        {
            await TableWriter.DeleteAsync(connection, schema, table, gone, cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }
}
