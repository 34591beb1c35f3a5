using System.Text.Json;

namespace Atom.Salesforce.Client.Postgres.Storage;

/// <summary>The store's SQL, in one place. Parameters are positional; no value is ever spliced into the text.</summary>
internal static class StoreSql
{
    /// <summary>First key of the two-key advisory locks that serialise one user's refreshes across processes ('SFRT').</summary>
    public const int RefreshLockNamespace = 0x53465254;

    /// <summary>First key of the advisory lock that serialises migrators ('SFMG').</summary>
    public const int MigrationLockNamespace = 0x53464D47;

    /// <summary>The audit action of a plaintext token the migration encrypted.</summary>
    public const string Encrypted = "encrypted";

    public const string Columns =
        "id, username, instance_url, identity_url, scope, grant_type, access_token, refresh_token, issued_at, invalidated_at, invalidation_reason, row_version, is_active, updated_at, email, profile_id";

    /// <summary>
    /// The login of username $2 (as stored), or with $2 NULL the user's logins (at most two are read: one is the answer, two
    /// mean the caller must pick).
    /// </summary>
    public const string Select = $"SELECT {Columns} FROM salesforce_oauth_tokens WHERE user_id = $1 AND ($2::text IS NULL OR username = $2) ORDER BY id LIMIT 2";

    /// <summary>Every login of the user ($2 unused, NULL), oldest first.</summary>
    public const string SelectAll = $"SELECT {Columns} FROM salesforce_oauth_tokens WHERE user_id = $1 AND $2::text IS NULL ORDER BY id";

    public const string Lock = "SELECT pg_advisory_lock($1, hashtext($2))";

    public const string Unlock = "SELECT pg_advisory_unlock($1, hashtext($2))";

    /// <summary>
    /// Audit row for whatever the first statement wrote ($16 timestamp, $19 action, $20 error, $21 ip, $22 user agent,
    /// $23 details).
    /// </summary>
    private const string AuditWritten = """
        , audited AS (
            INSERT INTO salesforce_oauth_audit_log (user_id, username, action, details, ip_address, user_agent, "timestamp", success, error_message)
            SELECT user_id, nullif(username, ''), $19, $23::jsonb, $21, $22, $16, true, $20 FROM written)
        SELECT id, row_version FROM written
        """;

    /// <summary>
    /// Insert or replace the login ($1 user, $2 username … $17 metadata, $25 profile id) beside the user's other logins, and audit it, in one
    /// statement. A named login replaces the user's unnamed one (username ''). Metadata keys the store does not write are kept.
    /// </summary>
    public const string Upsert = """
        WITH superseded AS (
            DELETE FROM salesforce_oauth_tokens WHERE user_id = $1 AND username = '' AND $2 <> ''),
        written AS (
            INSERT INTO salesforce_oauth_tokens AS t (user_id, username, email, access_token, refresh_token, token_type, scope,
                instance_url, organization_id, environment, expires_at, issued_at, created_at, updated_at, is_active, metadata,
                identity_url, grant_type, invalidated_at, invalidation_reason, profile_id)
            VALUES ($1, $2, $3, $4, $5, 'Bearer', $6, $7, $8, $9, $10, $11, $16, $16, $14 IS NULL, $17::jsonb, $12, $13, $14, $15, $25)
            ON CONFLICT (user_id, username) DO UPDATE SET
                email = coalesce(excluded.email, t.email), profile_id = coalesce(excluded.profile_id, t.profile_id),
                access_token = excluded.access_token,
                refresh_token = excluded.refresh_token, token_type = excluded.token_type, scope = excluded.scope,
                instance_url = excluded.instance_url, organization_id = coalesce(excluded.organization_id, t.organization_id),
                environment = excluded.environment, expires_at = excluded.expires_at, issued_at = excluded.issued_at,
                updated_at = excluded.updated_at, is_active = excluded.is_active,
                metadata = coalesce(t.metadata, '{}'::jsonb) || excluded.metadata, identity_url = excluded.identity_url,
                grant_type = excluded.grant_type, invalidated_at = excluded.invalidated_at,
                invalidation_reason = excluded.invalidation_reason, row_version = t.row_version + 1
            RETURNING id, user_id, username, row_version)
        """ + AuditWritten;

    /// <summary>Replace a login only if its row ($18) is still at version $24 (compare-and-swap), and audit it, in one statement.</summary>
    public const string CompareAndSwap = """
        WITH written AS (
            UPDATE salesforce_oauth_tokens AS t SET
                email = coalesce($3, t.email), profile_id = coalesce($25, t.profile_id), access_token = $4, refresh_token = $5, token_type = 'Bearer', scope = $6,
                instance_url = $7, organization_id = coalesce($8, t.organization_id), environment = $9, expires_at = $10,
                issued_at = $11, identity_url = $12, grant_type = $13, is_active = $14 IS NULL, invalidated_at = $14,
                invalidation_reason = $15, metadata = coalesce(t.metadata, '{}'::jsonb) || $17::jsonb,
                row_version = t.row_version + 1, updated_at = $16,
                last_refreshed_at = CASE WHEN $14 IS NULL THEN $16 ELSE t.last_refreshed_at END
            WHERE t.id = $18 AND t.row_version = $24
            RETURNING id, user_id, username, row_version)
        """ + AuditWritten;

    public const string Delete = """
        WITH written AS (
            DELETE FROM salesforce_oauth_tokens WHERE user_id = $1 AND ($5::text IS NULL OR username = $5)
            RETURNING user_id, username, instance_url)
        INSERT INTO salesforce_oauth_audit_log (user_id, username, action, details, ip_address, user_agent, "timestamp", success)
        SELECT user_id, nullif(username, ''), 'revoked',
            jsonb_build_object('reason', 'token deleted', 'instance_host', substring(instance_url FROM '://([^/:?#]+)')), $2, $3, $4, true
        FROM written
        """;

    public const string Audit = """
        INSERT INTO salesforce_oauth_audit_log (user_id, username, action, details, ip_address, user_agent, "timestamp", success, error_message)
        VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)
        """;

    public const string EraseTokens = "DELETE FROM salesforce_oauth_tokens WHERE user_id = $1";

    public const string EraseAudit = "DELETE FROM salesforce_oauth_audit_log WHERE user_id = $1";

    public const string EraseUsage = "DELETE FROM salesforce_token_usage WHERE user_id = $1";

    /// <summary>Rows with a secret not in the current format and key ($1: the LIKE pattern of the current prefix), after id $2.</summary>
    public const string ReEncryptSelect = """
        SELECT id, user_id, username, access_token, refresh_token, instance_url FROM salesforce_oauth_tokens
        WHERE (access_token NOT LIKE $1 OR refresh_token NOT LIKE $1) AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE
        """;

    public const string ReEncryptUpdate = """
        UPDATE salesforce_oauth_tokens AS t SET access_token = v.access, refresh_token = v.refresh, row_version = t.row_version + 1
        FROM unnest($1::integer[], $2::text[], $3::text[]) AS v(id, access, refresh) WHERE t.id = v.id
        """;

    /// <summary>True when the webhooks' endpoint table (migration 4) is on the search path.</summary>
    public const string WebhookEndpointsExist = $"SELECT to_regclass('{Migrations.TokenStoreSchema.WebhookEndpointsTable}') IS NOT NULL";

    /// <summary>
    /// Webhook endpoints with a signing secret (or a previous one) not in the current format and key ($1: the LIKE pattern of
    /// the current prefix), after id $2, locked against a concurrent secret rotation.
    /// </summary>
    public const string ReEncryptWebhookSelect = $"""
        SELECT id, user_id, target_url, secret, previous_secret, previous_secret_expires_at FROM {Migrations.TokenStoreSchema.WebhookEndpointsTable}
        WHERE (secret NOT LIKE $1 OR previous_secret NOT LIKE $1) AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE
        """;

    /// <summary>Writes the re-encrypted secrets; a previous secret given as null (it had expired) is dropped with its expiry.</summary>
    public const string ReEncryptWebhookUpdate = $"""
        UPDATE {Migrations.TokenStoreSchema.WebhookEndpointsTable} AS e SET secret = v.secret, previous_secret = v.previous,
            previous_secret_expires_at = CASE WHEN v.previous IS NULL THEN NULL ELSE e.previous_secret_expires_at END
        FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, secret, previous) WHERE e.id = v.id
        """;

    /// <summary>Rows holding a plaintext secret (not in the text form), locked; rows another migrator holds are skipped.</summary>
    public const string PlaintextSelect = """
        SELECT id, user_id, username, instance_url, access_token, refresh_token FROM salesforce_oauth_tokens
        WHERE access_token NOT LIKE 'atomsf:%' OR refresh_token NOT LIKE 'atomsf:%'
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
        """;

    /// <summary>Writes the encrypted secrets and one <c>encrypted</c> audit row per row, in one statement.</summary>
    public const string PlaintextUpdate = """
        WITH v AS (SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[]) AS v(id, access, refresh, details)),
        written AS (
            UPDATE salesforce_oauth_tokens AS t SET access_token = v.access, refresh_token = v.refresh, row_version = t.row_version + 1
            FROM v WHERE t.id = v.id RETURNING t.id, t.user_id, t.username)
        INSERT INTO salesforce_oauth_audit_log (user_id, username, action, details, "timestamp", success)
        SELECT w.user_id, nullif(w.username, ''), 'encrypted', v.details::jsonb, $5, true FROM written w JOIN v ON v.id = w.id
        """;

    /// <summary>
    /// Adds a batch of monthly counters (<c>date_YYYYMM</c> as <c>YYYY-MM</c>); counts of users with no token row (erased,
    /// revoked) are dropped. <c>username</c> is the user's login when the user has exactly one. Integer columns saturate.
    /// </summary>
    public const string UpsertUsage = """
        INSERT INTO salesforce_token_usage AS u (user_id, username, date_yyyymm, api_calls, data_transferred, errors, created_at, updated_at)
        SELECT v.user_id,
            (SELECT CASE WHEN count(*) = 1 THEN nullif(min(t.username), '') END FROM salesforce_oauth_tokens t WHERE t.user_id = v.user_id),
            v.month, LEAST(v.api_calls, 2147483647), v.data_transferred, LEAST(v.errors, 2147483647), $6, $6
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS v(user_id, month, api_calls, data_transferred, errors)
        WHERE EXISTS (SELECT 1 FROM salesforce_oauth_tokens t WHERE t.user_id = v.user_id)
        ON CONFLICT (user_id, date_yyyymm) DO UPDATE SET
            username = excluded.username,
            api_calls = LEAST(coalesce(u.api_calls, 0)::bigint + excluded.api_calls, 2147483647),
            data_transferred = coalesce(u.data_transferred, 0) + excluded.data_transferred,
            errors = LEAST(coalesce(u.errors, 0)::bigint + excluded.errors, 2147483647), updated_at = excluded.updated_at
        """;

    /// <summary>Adds a batch of lookups to the login row each was served from (<c>(user_id, username)</c>, username as stored).</summary>
    public const string AddLookups = """
        UPDATE salesforce_oauth_tokens AS t SET access_count = LEAST(coalesce(t.access_count, 0)::bigint + v.lookups, 2147483647),
            last_used_at = GREATEST(t.last_used_at, v.last_used)
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) AS v(user_id, username, lookups, last_used)
        WHERE t.user_id = v.user_id AND t.username = v.username
        """;

    /// <summary>The <c>username</c> column for a token's username: the documented column is NOT NULL, so none is ''.</summary>
    public static string StoredUsername(string? username) => username ?? string.Empty;

    /// <summary>The username a row's ciphertext is bound to: '' in the column is no username.</summary>
    public static string? BoundUsername(string column) => column.Length == 0 ? null : column;

    /// <summary>The host of a URL, for audit details (never a path or query).</summary>
    public static string? HostOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;

    /// <summary>A JSON object of the given keys (null values left out), for <c>details</c> and <c>metadata</c>.</summary>
    public static string Details(params (string Key, string? Value)[] pairs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in pairs)
            {
                if (value is not null)
                {
                    writer.WriteString(key, value);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
