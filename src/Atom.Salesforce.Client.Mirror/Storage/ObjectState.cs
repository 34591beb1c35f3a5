using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>One row of the state table, as the writer reads it when it starts on an object.</summary>
internal sealed record ObjectState(
    string Object,
    string Phase,
    string? BulkJobId,
    string? BulkLocator,
    int PagesLoaded,
    long RowsLoaded,
    DateTimeOffset? LoadStartedAt,
    byte[]? ReplayId,
    DateTimeOffset? PollHighWater,
    DateTimeOffset? DeletedCheckedAt,
    string[] Backfill)
{
    public const string New = "new";
    public const string Loading = "loading";
    public const string Loaded = "loaded";

    public static async Task<ObjectState> ReadAsync(NpgsqlConnection connection, string schema, string objectName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT phase, bulk_job_id, bulk_locator, pages_loaded, rows_loaded, load_started_at, replay_id, poll_high_water, deleted_checked_at, backfill FROM {MirrorSql.State(schema)} WHERE object = $1",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = objectName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return new ObjectState(objectName, New, null, null, 0, 0, null, null, null, null, []);
        }

        return new ObjectState(
            objectName,
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetInt32(3),
            reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[]>(6),
            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            reader.GetFieldValue<string[]>(9));
    }
}
