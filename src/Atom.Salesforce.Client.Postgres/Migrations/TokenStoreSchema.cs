namespace Atom.Salesforce.Client.Postgres.Migrations;

/// <summary>
/// The store's schema, as an ordered list of migrations. A migration is never edited once released: a change is a new entry
/// at the end. Every statement is idempotent (<c>IF NOT EXISTS</c>), so a half-recorded run can be repeated safely.
/// </summary>
internal static class TokenStoreSchema
{
    public const string VersionTable = "salesforce_token_store_schema_version";

    public const string CreateVersionTable = $"""
        CREATE TABLE IF NOT EXISTS {VersionTable} (
            version     integer     PRIMARY KEY,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Migrations =
    [
        (1, "Token, audit and usage tables", """
            CREATE TABLE IF NOT EXISTS salesforce_oauth_tokens (
                user_id                 text        PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 255),
                username                text        NULL,
                instance_url            text        NOT NULL CHECK (instance_url ~ '^https?://'),
                identity_url            text        NULL,
                scope                   text        NULL,
                grant_type              text        NOT NULL CHECK (grant_type IN ('authorization_code', 'jwt_bearer', 'client_credentials')),
                access_token_encrypted  bytea       NOT NULL,
                refresh_token_encrypted bytea       NULL,
                key_id                  text        NOT NULL CHECK (length(key_id) BETWEEN 1 AND 32),
                issued_at               timestamptz NOT NULL,
                is_active               boolean     NOT NULL DEFAULT true,
                invalidated_at          timestamptz NULL,
                invalidation_reason     text        NULL,
                row_version             bigint      NOT NULL DEFAULT 1,
                access_count            bigint      NOT NULL DEFAULT 0 CHECK (access_count >= 0),
                last_used_at            timestamptz NULL,
                last_refreshed_at       timestamptz NULL,
                created_at              timestamptz NOT NULL DEFAULT now(),
                updated_at              timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT salesforce_oauth_tokens_active_check CHECK (is_active = (invalidated_at IS NULL))
            );
            CREATE INDEX IF NOT EXISTS salesforce_oauth_tokens_key_id_idx ON salesforce_oauth_tokens (key_id);

            CREATE TABLE IF NOT EXISTS salesforce_oauth_audit_log (
                id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id     text        NOT NULL,
                action      text        NOT NULL CHECK (action IN ('stored', 'refreshed', 'refresh_failed', 'revoked', 'deactivated', 'erased')),
                success     boolean     NOT NULL,
                error       text        NULL,
                ip_address  text        NULL CHECK (length(ip_address) <= 512),
                user_agent  text        NULL CHECK (length(user_agent) <= 512),
                occurred_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS salesforce_oauth_audit_log_user_idx ON salesforce_oauth_audit_log (user_id, occurred_at);

            CREATE TABLE IF NOT EXISTS salesforce_token_usage (
                user_id          text        NOT NULL,
                month            date        NOT NULL CHECK (extract(day FROM month) = 1),
                api_calls        bigint      NOT NULL DEFAULT 0 CHECK (api_calls >= 0),
                data_transferred bigint      NOT NULL DEFAULT 0 CHECK (data_transferred >= 0),
                errors           bigint      NOT NULL DEFAULT 0 CHECK (errors >= 0),
                updated_at       timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (user_id, month)
            );
            """),
    ];
}
