namespace Atom.Salesforce.Client.Postgres.Storage;

/// <summary>The store's SQL, in one place. Parameters are positional; no value is ever spliced into the text.</summary>
internal static class StoreSql
{
    /// <summary>First key of the two-key advisory locks that serialise one user's refreshes across processes ('SFRT').</summary>
    public const int RefreshLockNamespace = 0x53465254;

    /// <summary>First key of the advisory lock that serialises migrators ('SFMG').</summary>
    public const int MigrationLockNamespace = 0x53464D47;

    public const string Columns =
        "username, instance_url, identity_url, scope, grant_type, access_token_encrypted, refresh_token_encrypted, key_id, issued_at, invalidated_at, invalidation_reason, row_version";

    public const string Select = $"SELECT {Columns} FROM salesforce_oauth_tokens WHERE user_id = $1";

    public const string Lock = "SELECT pg_advisory_lock($1, hashtext($2))";

    public const string Unlock = "SELECT pg_advisory_unlock($1, hashtext($2))";

    /// <summary>Audit row for whatever the first statement wrote ($14 occurred_at, $15 action, $16 error, $17 ip, $18 user agent).</summary>
    private const string AuditWritten = """
        , audited AS (
            INSERT INTO salesforce_oauth_audit_log (user_id, action, success, error, ip_address, user_agent, occurred_at)
            SELECT user_id, $15, true, $16, $17, $18, $14 FROM written)
        SELECT row_version FROM written
        """;

    /// <summary>Insert or replace a token ($1 user … $13 reason, $14 now) and audit it, in one statement.</summary>
    public const string Upsert = """
        WITH written AS (
            INSERT INTO salesforce_oauth_tokens AS t (user_id, username, instance_url, identity_url, scope, grant_type,
                access_token_encrypted, refresh_token_encrypted, key_id, issued_at, is_active, invalidated_at, invalidation_reason,
                created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12 IS NULL, $12, $13, $14, $14)
            ON CONFLICT (user_id) DO UPDATE SET
                username = excluded.username, instance_url = excluded.instance_url, identity_url = excluded.identity_url,
                scope = excluded.scope, grant_type = excluded.grant_type, access_token_encrypted = excluded.access_token_encrypted,
                refresh_token_encrypted = excluded.refresh_token_encrypted, key_id = excluded.key_id, issued_at = excluded.issued_at,
                is_active = excluded.is_active, invalidated_at = excluded.invalidated_at,
                invalidation_reason = excluded.invalidation_reason, row_version = t.row_version + 1, updated_at = excluded.updated_at
            RETURNING user_id, row_version)
        """ + AuditWritten;

    /// <summary>Replace a token only if its row is still at version $11 (compare-and-swap), and audit it, in one statement.</summary>
    public const string CompareAndSwap = """
        WITH written AS (
            UPDATE salesforce_oauth_tokens SET
                username = $2, instance_url = $3, identity_url = $4, scope = $5, grant_type = $6, access_token_encrypted = $7,
                refresh_token_encrypted = $8, key_id = $9, issued_at = $10, is_active = $12 IS NULL, invalidated_at = $12,
                invalidation_reason = $13, row_version = row_version + 1, updated_at = $14,
                last_refreshed_at = CASE WHEN $12 IS NULL THEN $14 ELSE last_refreshed_at END
            WHERE user_id = $1 AND row_version = $11
            RETURNING user_id, row_version)
        """ + AuditWritten;

    public const string Delete = """
        WITH written AS (DELETE FROM salesforce_oauth_tokens WHERE user_id = $1 RETURNING user_id)
        INSERT INTO salesforce_oauth_audit_log (user_id, action, success, error, ip_address, user_agent, occurred_at)
        SELECT user_id, 'revoked', true, NULL, $2, $3, $4 FROM written
        """;

    public const string Audit = """
        INSERT INTO salesforce_oauth_audit_log (user_id, action, success, error, ip_address, user_agent, occurred_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;

    public const string EraseTokens = "DELETE FROM salesforce_oauth_tokens WHERE user_id = $1";

    public const string EraseAudit = "DELETE FROM salesforce_oauth_audit_log WHERE user_id = $1";

    public const string EraseUsage = "DELETE FROM salesforce_token_usage WHERE user_id = $1";

    public const string ReEncryptSelect = """
        SELECT user_id, username, access_token_encrypted, refresh_token_encrypted, key_id, instance_url FROM salesforce_oauth_tokens
        WHERE (key_id <> $1 OR get_byte(access_token_encrypted, 0) = 1 OR get_byte(refresh_token_encrypted, 0) = 1)
            AND user_id > $2 ORDER BY user_id LIMIT $3 FOR UPDATE
        """;

    public const string ReEncryptUpdate = """
        UPDATE salesforce_oauth_tokens AS t SET access_token_encrypted = v.access, refresh_token_encrypted = v.refresh, key_id = $4
        FROM unnest($1::text[], $2::bytea[], $3::bytea[]) AS v(user_id, access, refresh) WHERE t.user_id = v.user_id
        """;

    /// <summary>Adds a batch of monthly counters; counts of users with no token row (erased, revoked) are dropped.</summary>
    public const string UpsertUsage = """
        INSERT INTO salesforce_token_usage AS u (user_id, month, api_calls, data_transferred, errors, updated_at)
        SELECT v.user_id, v.month, v.api_calls, v.data_transferred, v.errors, $6
        FROM unnest($1::text[], $2::date[], $3::bigint[], $4::bigint[], $5::bigint[]) AS v(user_id, month, api_calls, data_transferred, errors)
        WHERE EXISTS (SELECT 1 FROM salesforce_oauth_tokens t WHERE t.user_id = v.user_id)
        ON CONFLICT (user_id, month) DO UPDATE SET
            api_calls = u.api_calls + excluded.api_calls, data_transferred = u.data_transferred + excluded.data_transferred,
            errors = u.errors + excluded.errors, updated_at = excluded.updated_at
        """;

    public const string AddLookups = """
        UPDATE salesforce_oauth_tokens AS t SET access_count = t.access_count + v.lookups, last_used_at = GREATEST(t.last_used_at, v.last_used)
        FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) AS v(user_id, lookups, last_used) WHERE t.user_id = v.user_id
        """;
}
