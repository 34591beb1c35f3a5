namespace Atom.Salesforce.Client.Postgres.Migrations;

/// <summary>
/// The store's schema, as an ordered list of migrations. A released migration is not changed in what it does to a database
/// it ran on: a change is a new entry at the end. Every statement is idempotent (<c>IF NOT EXISTS</c>), so a half-recorded
/// run can be repeated safely. Migration 1 (the first release's own tables) only creates tables that do not exist, so a
/// database that already holds the documented tables (adopted from the service this SDK replaces) is left to migration 2.
/// Migration 2 turns the first release's tables into the documented ones (<see cref="DocumentedTables"/>, the seed's DDL
/// verbatim) plus <see cref="AdditiveColumns"/>, copying every row; tables already in the documented shape only gain the
/// additive columns.
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
            DO $v1$ BEGIN
                IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                    AND table_name = 'salesforce_oauth_tokens' AND column_name = 'key_id') THEN
                    CREATE INDEX IF NOT EXISTS salesforce_oauth_tokens_key_id_idx ON salesforce_oauth_tokens (key_id);
                END IF;
            END $v1$;

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
            DO $v1$ BEGIN
                IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                    AND table_name = 'salesforce_oauth_audit_log' AND column_name = 'occurred_at') THEN
                    CREATE INDEX IF NOT EXISTS salesforce_oauth_audit_log_user_idx ON salesforce_oauth_audit_log (user_id, occurred_at);
                END IF;
            END $v1$;

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
        (2, "The documented tables: salesforce_oauth_tokens keyed by (user_id, username), text ciphertext, JSONB details, INET, date_YYYYMM", Documented),
        (3, "salesforce_pubsub_replay_ids: the hosted change event consumer's committed replay id per org, consumer and topic", ReplayIds),
        (4, "salesforce_webhook_endpoints and salesforce_webhook_outbox: the endpoint pack's webhook registrations and delivery outbox", Webhooks),
    ];

    /// <summary>
    /// Migration 3: the replay id of the last event the hosted change event consumer (Atom.Salesforce.Client.Streaming) finished
    /// with, per org, consumer and topic. Replay ids are Salesforce's opaque bytes, kept as they are.
    /// </summary>
    public const string ReplayIdsTable = "salesforce_pubsub_replay_ids";

    private const string ReplayIds = $"""
        CREATE TABLE IF NOT EXISTS {ReplayIdsTable} (
            org_id     VARCHAR(255)             NOT NULL,
            consumer   VARCHAR(255)             NOT NULL,
            topic      VARCHAR(255)             NOT NULL,
            replay_id  BYTEA                    NOT NULL,
            updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
            PRIMARY KEY (org_id, consumer, topic)
        );
        """;

    /// <summary>
    /// Migration 4: the endpoint pack's webhooks (Atom.Salesforce.Client.AspNetCore, <c>AddWebhooks()</c>). An endpoint belongs
    /// to one user and login and receives the change events of that login's org; its signing secrets are encrypted like the
    /// tokens (<c>atomsf:</c> text, bound to the owner and the endpoint). The outbox holds one row per event and endpoint (unique,
    /// so an event the consumer receives again queues nothing twice) with its exact signed body, attempts and next attempt.
    /// </summary>
    public const string WebhookEndpointsTable = "salesforce_webhook_endpoints";

    /// <summary>Migration 4: the webhook delivery outbox.</summary>
    public const string WebhookOutboxTable = "salesforce_webhook_outbox";

    private const string Webhooks = $"""
        CREATE TABLE IF NOT EXISTS {WebhookEndpointsTable} (
            id                          UUID                     PRIMARY KEY,
            user_id                     VARCHAR(255)             NOT NULL,
            username                    VARCHAR(255)             NULL,
            org_id                      VARCHAR(255)             NOT NULL,
            target_url                  TEXT                     NOT NULL CHECK (target_url ~ '^https?://'),
            objects                     TEXT[]                   NOT NULL,
            change_types                TEXT[]                   NOT NULL,
            description                 TEXT                     NULL,
            secret                      TEXT                     NOT NULL,
            previous_secret             TEXT                     NULL,
            previous_secret_expires_at  TIMESTAMP WITH TIME ZONE NULL,
            is_disabled                 BOOLEAN                  NOT NULL DEFAULT false,
            disabled_at                 TIMESTAMP WITH TIME ZONE NULL,
            disabled_reason             TEXT                     NULL,
            consecutive_failures        INTEGER                  NOT NULL DEFAULT 0,
            last_failure_at             TIMESTAMP WITH TIME ZONE NULL,
            last_failure_reason         TEXT                     NULL,
            last_success_at             TIMESTAMP WITH TIME ZONE NULL,
            created_at                  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
            updated_at                  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
        );
        CREATE INDEX IF NOT EXISTS {WebhookEndpointsTable}_user_idx ON {WebhookEndpointsTable} (user_id);
        CREATE INDEX IF NOT EXISTS {WebhookEndpointsTable}_org_idx ON {WebhookEndpointsTable} (org_id) WHERE NOT is_disabled;
        CREATE TABLE IF NOT EXISTS {WebhookOutboxTable} (
            id               BIGSERIAL                PRIMARY KEY,
            endpoint_id      UUID                     NOT NULL REFERENCES {WebhookEndpointsTable} (id) ON DELETE CASCADE,
            message_id       VARCHAR(64)              NOT NULL UNIQUE,
            event_key        VARCHAR(512)             NOT NULL,
            replay_id        BYTEA                    NULL,
            event_type       VARCHAR(255)             NOT NULL,
            body             TEXT                     NOT NULL,
            attempts         INTEGER                  NOT NULL DEFAULT 0,
            next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
            last_attempt_at  TIMESTAMP WITH TIME ZONE NULL,
            delivered_at     TIMESTAMP WITH TIME ZONE NULL,
            failed_at        TIMESTAMP WITH TIME ZONE NULL,
            last_status      INTEGER                  NULL,
            last_error       TEXT                     NULL,
            created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
            UNIQUE (endpoint_id, event_key)
        );
        CREATE INDEX IF NOT EXISTS {WebhookOutboxTable}_due_idx ON {WebhookOutboxTable} (next_attempt_at)
            WHERE delivered_at IS NULL AND failed_at IS NULL;
        """;

    /// <summary>The three tables exactly as the seed document's DDL creates them (kept verbatim: a test compares the result).</summary>
    public const string DocumentedTables = """
        CREATE TABLE IF NOT EXISTS salesforce_oauth_tokens (
            id SERIAL PRIMARY KEY,
            user_id VARCHAR(255) NOT NULL,
            username VARCHAR(255) NOT NULL,
            email VARCHAR(255),
            access_token TEXT NOT NULL,
            refresh_token TEXT,
            token_type VARCHAR(50) DEFAULT 'Bearer',
            scope TEXT,
            instance_url VARCHAR(500) NOT NULL,
            organization_id VARCHAR(255),
            profile_id VARCHAR(255),
            environment VARCHAR(50) DEFAULT 'production',
            expires_at TIMESTAMP WITH TIME ZONE,
            issued_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            last_used_at TIMESTAMP WITH TIME ZONE,
            is_active BOOLEAN DEFAULT true,
            access_count INTEGER DEFAULT 0,
            metadata JSONB DEFAULT '{}'::jsonb,
            UNIQUE(user_id, username)
        );

        CREATE TABLE IF NOT EXISTS salesforce_oauth_audit_log (
            id SERIAL PRIMARY KEY,
            user_id VARCHAR(255) NOT NULL,
            username VARCHAR(255),
            action VARCHAR(100) NOT NULL,
            details JSONB DEFAULT '{}'::jsonb,
            ip_address INET,
            user_agent TEXT,
            timestamp TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            success BOOLEAN DEFAULT true,
            error_message TEXT
        );

        CREATE TABLE IF NOT EXISTS salesforce_token_usage (
            id SERIAL PRIMARY KEY,
            user_id VARCHAR(255) NOT NULL,
            username VARCHAR(255),
            date_YYYYMM VARCHAR(7) NOT NULL,
            api_calls INTEGER DEFAULT 0,
            data_transferred BIGINT DEFAULT 0,
            errors INTEGER DEFAULT 0,
            created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            UNIQUE(user_id, date_YYYYMM)
        );
        """;

    /// <summary>
    /// What the store needs beyond the documented columns (added to adopted tables too): how the token was obtained and its
    /// identity URL (to renew it), when and why it stopped being usable, the row version of the refresh compare-and-swap, and
    /// when it was last refreshed. The key id of each secret is inside its text form, not in a column.
    /// </summary>
    public const string AdditiveColumns = """
        ALTER TABLE salesforce_oauth_tokens
            ADD COLUMN IF NOT EXISTS identity_url TEXT,
            ADD COLUMN IF NOT EXISTS grant_type VARCHAR(32) NOT NULL DEFAULT 'authorization_code',
            ADD COLUMN IF NOT EXISTS invalidated_at TIMESTAMP WITH TIME ZONE,
            ADD COLUMN IF NOT EXISTS invalidation_reason TEXT,
            ADD COLUMN IF NOT EXISTS row_version BIGINT NOT NULL DEFAULT 1,
            ADD COLUMN IF NOT EXISTS last_refreshed_at TIMESTAMP WITH TIME ZONE;
        CREATE INDEX IF NOT EXISTS salesforce_oauth_audit_log_user_time_idx ON salesforce_oauth_audit_log (user_id, "timestamp");
        """;

    /// <summary>Documented columns an adopted table may lack that can be added to a table holding rows (nullable or defaulted).</summary>
    private const string MissingDocumentedColumns = """
        ALTER TABLE salesforce_oauth_tokens
            ADD COLUMN IF NOT EXISTS email VARCHAR(255),
            ADD COLUMN IF NOT EXISTS token_type VARCHAR(50) DEFAULT 'Bearer',
            ADD COLUMN IF NOT EXISTS scope TEXT,
            ADD COLUMN IF NOT EXISTS organization_id VARCHAR(255),
            ADD COLUMN IF NOT EXISTS profile_id VARCHAR(255),
            ADD COLUMN IF NOT EXISTS environment VARCHAR(50) DEFAULT 'production',
            ADD COLUMN IF NOT EXISTS expires_at TIMESTAMP WITH TIME ZONE,
            ADD COLUMN IF NOT EXISTS issued_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            ADD COLUMN IF NOT EXISTS created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            ADD COLUMN IF NOT EXISTS last_used_at TIMESTAMP WITH TIME ZONE,
            ADD COLUMN IF NOT EXISTS is_active BOOLEAN DEFAULT true,
            ADD COLUMN IF NOT EXISTS access_count INTEGER DEFAULT 0,
            ADD COLUMN IF NOT EXISTS metadata JSONB DEFAULT '{}'::jsonb;
        ALTER TABLE salesforce_oauth_audit_log
            ADD COLUMN IF NOT EXISTS username VARCHAR(255),
            ADD COLUMN IF NOT EXISTS details JSONB DEFAULT '{}'::jsonb,
            ADD COLUMN IF NOT EXISTS ip_address INET,
            ADD COLUMN IF NOT EXISTS user_agent TEXT,
            ADD COLUMN IF NOT EXISTS timestamp TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            ADD COLUMN IF NOT EXISTS success BOOLEAN DEFAULT true,
            ADD COLUMN IF NOT EXISTS error_message TEXT;
        ALTER TABLE salesforce_token_usage
            ADD COLUMN IF NOT EXISTS username VARCHAR(255),
            ADD COLUMN IF NOT EXISTS api_calls INTEGER DEFAULT 0,
            ADD COLUMN IF NOT EXISTS data_transferred BIGINT DEFAULT 0,
            ADD COLUMN IF NOT EXISTS errors INTEGER DEFAULT 0,
            ADD COLUMN IF NOT EXISTS created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW();
        """;

    /// <summary>
    /// Migration 2. The first release's tables (recognised by <c>access_token_encrypted</c>, <c>occurred_at</c> and <c>month</c>)
    /// are copied aside, dropped, created in the documented shape and filled again: ciphertext becomes its text form (same
    /// bytes, so it decrypts as before), a NULL username becomes '' (the documented column is NOT NULL), an ip address that is
    /// not an address moves to <c>details</c>, months become <c>YYYY-MM</c>.
    /// </summary>
    private const string Documented = $$"""
        CREATE FUNCTION pg_temp.atomsf_b64url(value bytea) RETURNS text LANGUAGE sql IMMUTABLE AS
            $f$ SELECT rtrim(translate(replace(encode(value, 'base64'), E'\n', ''), '+/', '-_'), '=') $f$;
        CREATE FUNCTION pg_temp.atomsf_text(value bytea, key_id text) RETURNS text LANGUAGE sql IMMUTABLE AS
            $f$ SELECT 'atomsf:' || get_byte(value, 0) || ':' || key_id || ':' || pg_temp.atomsf_b64url(substring(value FROM 2 FOR 12))
                || ':' || pg_temp.atomsf_b64url(substring(value FROM 14 FOR 16)) || ':' || pg_temp.atomsf_b64url(substring(value FROM 30)) $f$;
        CREATE FUNCTION pg_temp.atomsf_inet(value text) RETURNS inet LANGUAGE plpgsql IMMUTABLE AS
            $f$ BEGIN RETURN value::inet; EXCEPTION WHEN others THEN RETURN NULL; END $f$;

        DO $m$
        DECLARE
            v1_tokens boolean := EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                AND table_name = 'salesforce_oauth_tokens' AND column_name = 'access_token_encrypted');
            v1_audit boolean := EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                AND table_name = 'salesforce_oauth_audit_log' AND column_name = 'occurred_at');
            v1_usage boolean := EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                AND table_name = 'salesforce_token_usage' AND column_name = 'month');
        BEGIN
            IF v1_tokens THEN
                CREATE TEMP TABLE atomsf_v1_tokens ON COMMIT DROP AS SELECT * FROM salesforce_oauth_tokens;
                DROP TABLE salesforce_oauth_tokens;
            END IF;
            IF v1_audit THEN
                CREATE TEMP TABLE atomsf_v1_audit ON COMMIT DROP AS SELECT * FROM salesforce_oauth_audit_log;
                DROP TABLE salesforce_oauth_audit_log;
            END IF;
            IF v1_usage THEN
                CREATE TEMP TABLE atomsf_v1_usage ON COMMIT DROP AS SELECT * FROM salesforce_token_usage;
                DROP TABLE salesforce_token_usage;
            END IF;

            {{DocumentedTables}}
            {{MissingDocumentedColumns}}
            {{AdditiveColumns}}

            IF v1_tokens THEN
                INSERT INTO salesforce_oauth_tokens (user_id, username, access_token, refresh_token, token_type, scope, instance_url,
                    organization_id, environment, issued_at, created_at, updated_at, last_used_at, is_active, access_count, metadata,
                    identity_url, grant_type, invalidated_at, invalidation_reason, row_version, last_refreshed_at)
                SELECT user_id, coalesce(username, ''), pg_temp.atomsf_text(access_token_encrypted, key_id),
                    CASE WHEN refresh_token_encrypted IS NULL THEN NULL ELSE pg_temp.atomsf_text(refresh_token_encrypted, key_id) END,
                    'Bearer', scope, instance_url, substring(identity_url FROM '/id/([^/]+)/'),
                    CASE WHEN instance_url ~* '^https?://[^/]*(\.sandbox\.my\.salesforce\.com|--[^/.]*\.my\.salesforce\.com)(:|/|$)'
                        OR identity_url ~* '^https?://test\.salesforce\.com/' THEN 'sandbox' ELSE 'production' END,
                    issued_at, created_at, updated_at, last_used_at, is_active, LEAST(access_count, 2147483647)::integer,
                    jsonb_strip_nulls(jsonb_build_object('salesforce_user_id', substring(identity_url FROM '/id/[^/]+/([^/?#]+)'))),
                    identity_url, grant_type, invalidated_at, invalidation_reason, row_version, last_refreshed_at
                FROM atomsf_v1_tokens ORDER BY created_at, user_id;
            END IF;
            IF v1_audit THEN
                INSERT INTO salesforce_oauth_audit_log (user_id, action, details, ip_address, user_agent, "timestamp", success, error_message)
                SELECT user_id, action,
                    CASE WHEN ip_address IS NOT NULL AND pg_temp.atomsf_inet(ip_address) IS NULL
                        THEN jsonb_build_object('ip_address_text', ip_address) ELSE '{}'::jsonb END,
                    pg_temp.atomsf_inet(ip_address), user_agent, occurred_at, success, error
                FROM atomsf_v1_audit ORDER BY id;
            END IF;
            IF v1_usage THEN
                INSERT INTO salesforce_token_usage (user_id, date_YYYYMM, api_calls, data_transferred, errors, created_at, updated_at)
                SELECT user_id, to_char(month, 'YYYY-MM'), LEAST(api_calls, 2147483647)::integer, data_transferred,
                    LEAST(errors, 2147483647)::integer, updated_at, updated_at
                FROM atomsf_v1_usage ORDER BY month, user_id;
            END IF;
        END $m$;

        DROP FUNCTION pg_temp.atomsf_inet(text);
        DROP FUNCTION pg_temp.atomsf_text(bytea, text);
        DROP FUNCTION pg_temp.atomsf_b64url(bytea);
        """;
}
