using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>A registered endpoint as its owner sees it (never its secrets).</summary>
internal sealed record StoredEndpoint(
    Guid Id,
    string UserId,
    string? Username,
    string OrgId,
    string TargetUrl,
    IReadOnlyList<string> Objects,
    IReadOnlyList<string> ChangeTypes,
    string? Description,
    bool IsDisabled,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    int ConsecutiveFailures,
    DateTimeOffset? LastFailureAt,
    string? LastFailureReason,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? PreviousSecretExpiresAt,
    long PendingDeliveries,
    DateTimeOffset CreatedAt);

/// <summary>An event queued for one endpoint: its dedupe key, message id, type and the exact body that is signed.</summary>
internal sealed record OutboxMessage(Guid EndpointId, string EventKey, byte[]? ReplayId, string EventType, string Body);

/// <summary>A due delivery claimed by this instance: the row, its target and the secrets to sign with.</summary>
internal sealed record ClaimedDelivery(long Id, Guid EndpointId, string MessageId, string Body, int Attempts, string UserId, string TargetUrl, IReadOnlyList<string> Secrets);

/// <summary>
/// The webhooks' tables (migration 4 of the PostgreSQL token store, in its database): endpoints with their encrypted secrets,
/// and the outbox. Secrets are encrypted with the token store's key ring (AES-256-GCM), bound to the owner, the endpoint id
/// and the target, so a secret copied to another row does not decrypt.
/// </summary>
internal sealed class WebhookStore(TokenStoreDataSource dataSource, TokenCipher cipher)
{
    private const string Endpoints = TokenStoreSchema.WebhookEndpointsTable;
    private const string Outbox = TokenStoreSchema.WebhookOutboxTable;
    private const string SecretField = TokenCipher.WebhookSecretField;
    private const string PreviousSecretField = TokenCipher.WebhookPreviousSecretField;

    private const string EndpointColumns = """
        e.id, e.user_id, e.username, e.org_id, e.target_url, e.objects, e.change_types, e.description, e.is_disabled, e.disabled_at,
        e.disabled_reason, e.consecutive_failures, e.last_failure_at, e.last_failure_reason, e.last_success_at,
        e.previous_secret_expires_at, e.created_at
        """;

    private NpgsqlDataSource Data => dataSource.DataSource;

    public async Task<int> CountAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"SELECT count(*) FROM {Endpoints} WHERE user_id = $1");
        command.Parameters.Add(Text(userId));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task CreateAsync(Guid id, string userId, string? username, string orgId, Uri target, IReadOnlyList<string> objects, IReadOnlyList<string> changeTypes, string? description, string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var targetUrl = target.AbsoluteUri;
        await using var command = Data.CreateCommand($"""
            INSERT INTO {Endpoints} (id, user_id, username, org_id, target_url, objects, change_types, description, secret, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Text(username));
        command.Parameters.Add(Text(orgId));
        command.Parameters.Add(Text(targetUrl));
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. objects], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. changeTypes], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(Text(description));
        command.Parameters.Add(Text(TokenCipher.EncryptText(cipher.Ring, secret, SecretField, userId, id.ToString("D"), targetUrl)));
        command.Parameters.Add(Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's endpoints, oldest first, each with how many of its events wait for delivery.</summary>
    public async Task<IReadOnlyList<StoredEndpoint>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"""
            SELECT {EndpointColumns},
                (SELECT count(*) FROM {Outbox} o WHERE o.endpoint_id = e.id AND o.delivered_at IS NULL AND o.failed_at IS NULL)
            FROM {Endpoints} e WHERE e.user_id = $1 ORDER BY e.created_at, e.id
            """);
        command.Parameters.Add(Text(userId));
        return await ReadEndpointsAsync(command, withPending: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The active endpoints of <paramref name="orgId"/> that subscribe to <paramref name="objectName"/>.</summary>
    public async Task<IReadOnlyList<StoredEndpoint>> FindSubscribersAsync(string orgId, string objectName, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"""
            SELECT {EndpointColumns}, 0::bigint FROM {Endpoints} e
            WHERE e.org_id = $1 AND NOT e.is_disabled AND EXISTS (SELECT 1 FROM unnest(e.objects) AS o(name) WHERE lower(o.name) = lower($2))
            ORDER BY e.created_at, e.id
            """);
        command.Parameters.Add(Text(orgId));
        command.Parameters.Add(Text(objectName));
        return await ReadEndpointsAsync(command, withPending: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"DELETE FROM {Endpoints} WHERE id = $1 AND user_id = $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(Text(userId));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Enables a disabled endpoint again, with its failure count reset; false when the user has no such endpoint.</summary>
    public async Task<bool> EnableAsync(string userId, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"""
            UPDATE {Endpoints} SET is_disabled = false, disabled_at = NULL, disabled_reason = NULL, consecutive_failures = 0, updated_at = $3
            WHERE id = $1 AND user_id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Makes <paramref name="newSecret"/> the endpoint's secret and keeps the current one, signing beside it, until
    /// <paramref name="previousUntil"/>; false when the user has no such endpoint.
    /// </summary>
    public async Task<bool> RotateSecretAsync(string userId, Guid id, string newSecret, DateTimeOffset previousUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await Data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string secretText, targetUrl;
        await using (var read = new NpgsqlCommand($"SELECT secret, target_url FROM {Endpoints} WHERE id = $1 AND user_id = $2 FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            read.Parameters.Add(Text(userId));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            (secretText, targetUrl) = (reader.GetString(0), reader.GetString(1));
        }

        var ring = cipher.Ring;
        var endpoint = id.ToString("D");
        var current = TokenCipher.DecryptText(ring, secretText, SecretField, userId, endpoint, targetUrl);
        await using (var write = new NpgsqlCommand($"""
            UPDATE {Endpoints} SET secret = $3, previous_secret = $4, previous_secret_expires_at = $5, updated_at = $6 WHERE id = $1 AND user_id = $2
            """, connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            write.Parameters.Add(Text(userId));
            write.Parameters.Add(Text(TokenCipher.EncryptText(ring, newSecret, SecretField, userId, endpoint, targetUrl)));
            write.Parameters.Add(Text(TokenCipher.EncryptText(ring, current, PreviousSecretField, userId, endpoint, targetUrl)));
            write.Parameters.Add(Time(previousUntil));
            write.Parameters.Add(Time(now));
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Queues the messages in one transaction; a message whose endpoint already has its event (the same event key: the
    /// consumer received the event again) is skipped, so a redelivered event never becomes a second webhook. Returns how
    /// many were queued.
    /// </summary>
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        await using var connection = await Data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var queued = 0;
        foreach (var message in messages)
        {
            await using var command = new NpgsqlCommand($"""
                INSERT INTO {Outbox} (endpoint_id, message_id, event_key, replay_id, event_type, body, next_attempt_at, created_at)
                SELECT $1, $2, $3, $4, $5, $6, $7, $7 WHERE EXISTS (SELECT 1 FROM {Endpoints} WHERE id = $1)
                ON CONFLICT (endpoint_id, event_key) DO NOTHING
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = message.EndpointId });
            command.Parameters.Add(Text(WebhookSignature.NewMessageId()));
            command.Parameters.Add(Text(message.EventKey));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.ReplayId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(Text(message.EventType));
            command.Parameters.Add(Text(message.Body));
            command.Parameters.Add(Time(now));
            queued += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return queued;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of enabled endpoints (<c>FOR UPDATE SKIP LOCKED</c>, so that
    /// instances claiming at once get different rows) and moves their next attempt to <paramref name="leaseUntil"/>: if this
    /// instance dies before it records the outcome, another delivers them then. Nothing is lost; a delivery cut short by a
    /// crash may arrive twice (receivers deduplicate on <c>webhook-id</c>).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int limit, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"""
            WITH due AS (
                SELECT o.id FROM {Outbox} o JOIN {Endpoints} e ON e.id = o.endpoint_id
                WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= $1 AND NOT e.is_disabled
                ORDER BY o.next_attempt_at, o.id
                LIMIT $2
                FOR UPDATE OF o SKIP LOCKED
            )
            UPDATE {Outbox} o SET next_attempt_at = $3
            FROM due, {Endpoints} e
            WHERE o.id = due.id AND e.id = o.endpoint_id
            RETURNING o.id, o.endpoint_id, o.message_id, o.body, o.attempts, e.user_id, e.target_url, e.secret, e.previous_secret, e.previous_secret_expires_at
            """);
        command.Parameters.Add(Time(now));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(Time(leaseUntil));
        var claimed = new List<ClaimedDelivery>();
        var ring = cipher.Ring;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var endpointId = reader.GetGuid(1);
            var userId = reader.GetString(5);
            var target = reader.GetString(6);
            var endpoint = endpointId.ToString("D");
            var secrets = new List<string> { TokenCipher.DecryptText(ring, reader.GetString(7), SecretField, userId, endpoint, target) };
            if (!reader.IsDBNull(8) && !reader.IsDBNull(9) && reader.GetFieldValue<DateTimeOffset>(9) > now)
            {
                secrets.Add(TokenCipher.DecryptText(ring, reader.GetString(8), PreviousSecretField, userId, endpoint, target));
            }

            claimed.Add(new ClaimedDelivery(reader.GetInt64(0), endpointId, reader.GetString(2), reader.GetString(3), reader.GetInt32(4), userId, target, secrets));
        }

        return claimed;
    }

    /// <summary>Records a delivered message; the endpoint's failures in a row start again from zero.</summary>
    public async Task DeliveredAsync(ClaimedDelivery delivery, int status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = Data.CreateBatch();
        batch.BatchCommands.Add(Command(
            $"UPDATE {Outbox} SET attempts = attempts + 1, delivered_at = $2, last_attempt_at = $2, last_status = $3, last_error = NULL WHERE id = $1",
            new NpgsqlParameter<long> { TypedValue = delivery.Id }, Time(now), new NpgsqlParameter<int> { TypedValue = status }));
        batch.BatchCommands.Add(Command(
            $"UPDATE {Endpoints} SET consecutive_failures = 0, last_success_at = $2 WHERE id = $1",
            new NpgsqlParameter<Guid> { TypedValue = delivery.EndpointId }, Time(now)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a failed attempt: the message is tried again at <paramref name="retryAt"/> (or given up when null), and the
    /// endpoint counts one more failure in a row, which disables it at <paramref name="maxConsecutiveFailures"/>. Returns
    /// true when this failure disabled the endpoint.
    /// </summary>
    public async Task<bool> FailedAsync(ClaimedDelivery delivery, int? status, string error, DateTimeOffset now, DateTimeOffset? retryAt, int maxConsecutiveFailures, CancellationToken cancellationToken)
    {
        await using var connection = await Data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var outbox = new NpgsqlCommand($"""
            UPDATE {Outbox} SET attempts = attempts + 1, last_attempt_at = $2, last_status = $3, last_error = $4,
                next_attempt_at = coalesce($5, next_attempt_at), failed_at = CASE WHEN $5 IS NULL THEN $2 ELSE NULL END
            WHERE id = $1
            """, connection, transaction))
        {
            outbox.Parameters.Add(new NpgsqlParameter<long> { TypedValue = delivery.Id });
            outbox.Parameters.Add(Time(now));
            outbox.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            outbox.Parameters.Add(Text(error));
            outbox.Parameters.Add(new NpgsqlParameter { Value = (object?)retryAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await outbox.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        bool disabled;
        await using (var endpoint = new NpgsqlCommand($"""
            UPDATE {Endpoints} SET consecutive_failures = consecutive_failures + 1, last_failure_at = $2, last_failure_reason = $3,
                is_disabled = is_disabled OR consecutive_failures + 1 >= $4,
                disabled_at = CASE WHEN NOT is_disabled AND consecutive_failures + 1 >= $4 THEN $2 ELSE disabled_at END,
                disabled_reason = CASE WHEN NOT is_disabled AND consecutive_failures + 1 >= $4
                    THEN 'Disabled after ' || (consecutive_failures + 1) || ' failed deliveries in a row; the last: ' || $3 ELSE disabled_reason END
            WHERE id = $1
            RETURNING is_disabled AND disabled_at = $2
            """, connection, transaction))
        {
            endpoint.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = delivery.EndpointId });
            endpoint.Parameters.Add(Time(now));
            endpoint.Parameters.Add(Text(error));
            endpoint.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxConsecutiveFailures });
            disabled = await endpoint.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return disabled;
    }

    /// <summary>Disables an endpoint whose owner can no longer be acted for (disconnected), with the reason shown in the list.</summary>
    public async Task DisableAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Data.CreateCommand($"""
            UPDATE {Endpoints} SET is_disabled = true, disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1 AND NOT is_disabled
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(Time(now));
        command.Parameters.Add(Text(reason));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static async Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(NpgsqlCommand command, bool withPending, CancellationToken cancellationToken)
    {
        var endpoints = new List<StoredEndpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            endpoints.Add(new StoredEndpoint(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetBoolean(8),
                NullableTime(reader, 9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetInt32(11),
                NullableTime(reader, 12),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                NullableTime(reader, 14),
                NullableTime(reader, 15),
                withPending ? reader.GetInt64(17) : 0,
                reader.GetFieldValue<DateTimeOffset>(16)));
        }

        return endpoints;
    }

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) => new() { TypedValue = value.ToUniversalTime() };
}
