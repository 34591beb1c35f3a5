using Atom.Salesforce.Client.Mirror.Schema;
using NpgsqlTypes;

namespace Atom.Salesforce.Client.Mirror.Storage;

/// <summary>The mirror's SQL: identifiers, the state table, and the parameter types of each column kind.</summary>
internal static class MirrorSql
{
    /// <summary>The state table of a mirror schema: one row per mirrored object.</summary>
    public const string StateTable = "_mirror_state";

    /// <summary>A quoted identifier.</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Qualified(string schema, string table) => Ident(schema) + "." + Ident(table);

    public static string State(string schema) => Qualified(schema, StateTable);

    /// <summary>The org a mirror schema holds: one row, written by the first writer.</summary>
    public static string Organization(string schema) => Qualified(schema, "_mirror_org");

    public static string CreateSchema(string schema) => $"""
        CREATE SCHEMA IF NOT EXISTS {Ident(schema)};
        CREATE TABLE IF NOT EXISTS {State(schema)} (
            object text PRIMARY KEY,
            table_name text NOT NULL,
            mode text NOT NULL DEFAULT 'polling',
            phase text NOT NULL DEFAULT 'new',
            bulk_job_id text,
            bulk_locator text,
            pages_loaded integer NOT NULL DEFAULT 0,
            rows_loaded bigint NOT NULL DEFAULT 0,
            load_started_at timestamptz,
            load_finished_at timestamptz,
            replay_id bytea,
            poll_high_water timestamptz,
            deleted_checked_at timestamptz,
            last_change_at timestamptz,
            last_applied_at timestamptz,
            last_synced_at timestamptz,
            type_changes text[] NOT NULL DEFAULT ARRAY[]::text[],
            last_error text,
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        ALTER TABLE {State(schema)} ADD COLUMN IF NOT EXISTS backfill text[] NOT NULL DEFAULT ARRAY[]::text[];
        CREATE TABLE IF NOT EXISTS {Organization(schema)} (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            organization_id text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static NpgsqlDbType DbType(this ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => NpgsqlDbType.Numeric,
        ColumnKind.Integer => NpgsqlDbType.Bigint,
        ColumnKind.Date => NpgsqlDbType.Date,
        ColumnKind.Timestamp => NpgsqlDbType.TimestampTz,
        ColumnKind.Boolean => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Text,
    };
}
