using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Migrations;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Postgres.Tests.Migrations;

/// <summary>
/// The three tables are the ones the seed document's DDL creates (tests/data/seed-schema.sql, verbatim), plus columns the
/// store needs; a database holding them already, with plaintext tokens, is adopted; the first release's tables are migrated.
/// </summary>
public sealed class DocumentedSchemaTests
{
    private static readonly string[] Tables = ["salesforce_oauth_audit_log", "salesforce_oauth_tokens", "salesforce_token_usage"];

    /// <summary>The columns the store adds to the documented ones, and only these.</summary>
    private static readonly string[] Additive =
    [
        "salesforce_oauth_tokens.grant_type", "salesforce_oauth_tokens.identity_url", "salesforce_oauth_tokens.invalidated_at",
        "salesforce_oauth_tokens.invalidation_reason", "salesforce_oauth_tokens.last_refreshed_at", "salesforce_oauth_tokens.row_version",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SeedDdl => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "seed-schema.sql"));

    [Fact]
    public async Task The_migrations_create_exactly_the_documented_tables_plus_additive_columns()
    {
        await using var seed = await TestDatabase.CreateAsync(Ct);
        await using var ours = await TestDatabase.CreateAsync(Ct);
        await seed.ExecuteAsync(SeedDdl);
        await using (var host = await StoreHost.MigratedAsync(ours))
        {
            Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await host.Migrator.GetSchemaVersionAsync(Ct));
        }

        var documented = await ColumnsAsync(seed);
        var migrated = await ColumnsAsync(ours);
        Assert.Equal(20 + 10 + 9, documented.Count);
        foreach (var (name, shape) in documented)
        {
            Assert.True(migrated.TryGetValue(name, out var mine), $"{name} is missing");
            Assert.Equal((name, shape), (name, mine));
        }

        var extra = migrated.Keys.Except(documented.Keys).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Additive, extra);

        // An insert written for the documented DDL alone still works: every additive column is nullable or has a default.
        Assert.All(extra, name => Assert.True(migrated[name].Nullable == "YES" || migrated[name].Default.Length > 0, name));
        Assert.Equal(await ConstraintsAsync(seed), await ConstraintsAsync(ours));
    }

    [Fact]
    public async Task Adopting_the_documented_tables_encrypts_every_plaintext_token_in_place_resumably_and_audited()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await database.ExecuteAsync(SeedDdl);
        var plain = new Dictionary<(string User, string Login), (string Access, string? Refresh)>();
        for (var i = 1; i <= 6; i++)
        {
            var access = $"00Dxx0000000001!AQ4AQ.plaintext-access-{i}";
            var refresh = i == 2 ? null : $"5Aep861plaintext-refresh-{i}";
            var user = i == 6 ? "user-5" : $"user-{i}";
            var login = i == 6 ? "second@acme.example" : $"u{i}@acme.example";
            plain[(user, login)] = (access, refresh);
            await database.ExecuteAsync(
                "INSERT INTO salesforce_oauth_tokens (user_id, username, email, access_token, refresh_token, scope, instance_url, organization_id, is_active) VALUES ($1, $2, $3, $4, $5, 'api refresh_token', 'https://acme.my.salesforce.com', '00Dxx0000000001', $6)",
                user, login, login, access, (object?)refresh ?? DBNull.Value, i != 3);
        }

        // A crash before the first batch commits: the schema is migrated, no token is lost or half-written.
        using (var crash = new CancellationTokenSource())
        await using (var crashing = new StoreHost(database.ConnectionString, services: s => s.AddSingleton<TimeProvider>(new CrashingClock(1, crash))))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashing.Migrator.MigrateAsync(crash.Token));
            Assert.Equal(PostgresTokenStoreMigrator.LatestVersion, await crashing.Migrator.GetSchemaVersionAsync(Ct));
        }

        Assert.Equal(6, await PlaintextRowsAsync(database));

        // A crash in the middle of the second batch of two: the first batch stays encrypted, the rest stays as it was.
        using (var crash = new CancellationTokenSource())
        await using (var crashing = new StoreHost(database.ConnectionString, services: s => s.AddSingleton<TimeProvider>(new CrashingClock(2, crash))))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashing.Migrator.EncryptPlaintextTokensAsync(2, crash.Token));
        }

        Assert.Equal(4, await PlaintextRowsAsync(database));
        await AssertEveryTokenIsIntactAsync(database, plain);

        // The second run finishes, and says how many it encrypted; a third finds nothing.
        await using var host = new StoreHost(database.ConnectionString);
        Assert.Equal(0, await host.Migrator.MigrateAsync(Ct));
        Assert.Equal(0, await PlaintextRowsAsync(database));
        Assert.Equal(0, await host.Migrator.EncryptPlaintextTokensAsync(cancellationToken: Ct));
        await AssertEveryTokenIsIntactAsync(database, plain);

        var dump = string.Concat((await database.RowsAsync("SELECT t::text FROM salesforce_oauth_tokens t UNION ALL SELECT a::text FROM salesforce_oauth_audit_log a")).Select(r => (string)r[0]!));
        Assert.All(plain.Values, p =>
        {
            Assert.DoesNotContain(p.Access, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(p.Refresh ?? "(none)", dump, StringComparison.Ordinal);
        });
        var audit = await database.RowsAsync("""
            SELECT user_id, username, success, details->>'instance_host', details->>'key_id' FROM salesforce_oauth_audit_log
            WHERE action = 'encrypted' ORDER BY user_id, username
            """);
        Assert.Equal(plain.Keys.Order().Select(k => new object?[] { k.User, k.Login, true, "acme.my.salesforce.com", "k1" }), audit);

        // Through the store: the tokens read back, the deactivated one as unusable; the migration wrote nothing else.
        var one = await host.Store.GetAsync("user-1", Ct);
        Assert.Equal((plain[("user-1", "u1@acme.example")].Access, "u1@acme.example", "u1@acme.example"), (one!.AccessToken, one.Username, one.Email));
        Assert.Null((await host.Store.GetAsync("user-2", Ct))!.RefreshToken);
        Assert.False((await host.Store.GetAsync("user-3", Ct))!.IsUsable);
        Assert.Equal(SalesforceAuthenticationException.Codes.SeveralLogins, (await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => host.Store.GetAsync("user-5", Ct))).ErrorCode);
        Assert.Equal(plain[("user-5", "second@acme.example")].Access, (await host.Store.GetAsync(new SalesforceLogin("user-5", "second@acme.example"), Ct))!.AccessToken);
        Assert.Equal(["encrypted"], (await database.RowsAsync("SELECT DISTINCT action FROM salesforce_oauth_audit_log")).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task Adopted_plaintext_tokens_still_call_and_refresh_against_the_emulated_org()
    {
        var emulator = new Emulator.SalesforceEmulator();
        var fresh = await SignInAsync(emulator);
        var forRefresh = await SignInAsync(emulator);
        await using var database = await TestDatabase.CreateAsync(Ct);
        await database.ExecuteAsync(SeedDdl);
        const string Insert = "INSERT INTO salesforce_oauth_tokens (user_id, username, access_token, refresh_token, instance_url) VALUES ($1, $2, $3, $4, $5)";
        await database.ExecuteAsync(Insert, "alice", "admin@emulator.example", fresh.Access, fresh.Refresh, emulator.InstanceUrl.AbsoluteUri);
        await database.ExecuteAsync(Insert, "bob", "admin@emulator.example", "00Dxx0000000001!AQ4AQ.an-expired-session", forRefresh.Refresh, emulator.InstanceUrl.AbsoluteUri);

        await using var host = new StoreHost(database.ConnectionString, configure: o => o.CacheDuration = TimeSpan.Zero, sdk: b =>
        {
            b.Services.Configure<SalesforceOptions>(o =>
            {
                o.ClientId = "emulator-client";
                o.ClientSecret = "emulator-secret";
                o.LoginUrl = emulator.InstanceUrl;
            });
            b.ConfigureHttpClient(h => h.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        });
        await host.Migrator.MigrateAsync(Ct);
        Assert.Equal(0, await PlaintextRowsAsync(database));

        var factory = host.Provider.GetRequiredService<Atom.Salesforce.Client.DependencyInjection.ISalesforceClientFactory>();
        foreach (var user in new[] { "alice", "bob" })
        {
            var users = new List<Records.SObject>();
            await foreach (var record in factory.ForUser(user).Query.QueryAsync<Records.SObject>("SELECT Id FROM User", cancellationToken: Ct))
            {
                users.Add(record);
            }

            Assert.NotEmpty(users);
        }

        // Bob's stale access token was renewed with his (decrypted) refresh token, and the new one is stored encrypted.
        var bob = Assert.Single(await database.RowsAsync("SELECT access_token FROM salesforce_oauth_tokens WHERE user_id = 'bob'"));
        Assert.StartsWith("atomsf:2:k1:", (string)bob[0]!, StringComparison.Ordinal);
        Assert.NotEqual("00Dxx0000000001!AQ4AQ.an-expired-session", (await host.Store.GetAsync("bob", Ct))!.AccessToken);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_audit_log WHERE user_id = 'bob' AND action = 'refreshed'"));
    }

    [Fact]
    public async Task A_database_of_the_first_release_is_migrated_with_every_row_and_its_tokens_read_back()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await database.ExecuteAsync(FirstReleaseDdl);
        var key = StoreHost.DefaultKeys["k1"];
        const string Insert = """
            INSERT INTO salesforce_oauth_tokens (user_id, username, instance_url, identity_url, scope, grant_type, access_token_encrypted,
                refresh_token_encrypted, key_id, issued_at, access_count, last_used_at)
            VALUES ($1, $2, $3, $4, 'api refresh_token', $5, $6, $7, 'k1', '2026-11-24T09:30:00Z', 12, '2026-11-25T08:00:00Z')
            """;
        var instance = "https://acme--uat.sandbox.my.salesforce.com/";
        await database.ExecuteAsync(Insert, "current", "current@acme.example", instance, "https://test.salesforce.com/id/00Dxx0000000001AAA/005xx0000000001AAA", "authorization_code",
            TokenCipher.Encrypt(Convert.FromBase64String(key), "access-current", TokenCipher.AccessTokenField, "current", "current@acme.example", instance),
            TokenCipher.Encrypt(Convert.FromBase64String(key), "refresh-current", TokenCipher.RefreshTokenField, "current", "current@acme.example", instance));
        await database.ExecuteAsync(Insert, "legacy", DBNull.Value, "https://acme.my.salesforce.com/", DBNull.Value, "client_credentials",
            LegacyFormat.Encrypt(key, "access-legacy", TokenCipher.AccessTokenField, "legacy", null), DBNull.Value);
        await database.ExecuteAsync("""
            INSERT INTO salesforce_oauth_audit_log (user_id, action, success, error, ip_address, user_agent, occurred_at) VALUES
                ('current', 'stored', true, NULL, '203.0.113.7', 'Browser', '2026-11-24T09:30:00Z'),
                ('current', 'refresh_failed', false, 'SalesforceException: down', 'not-an-address', NULL, '2026-11-24T10:00:00Z');
            INSERT INTO salesforce_token_usage (user_id, month, api_calls, data_transferred, errors) VALUES
                ('current', '2026-10-01', 40, 4000, 1), ('current', '2026-11-01', 5, 500, 0);
            """);

        await using var host = new StoreHost(database.ConnectionString);
        // Every migration after the first release's own (version 1) runs: 2 (the documented tables) and what followed.
        Assert.Equal(PostgresTokenStoreMigrator.LatestVersion - 1, await host.Migrator.MigrateAsync(Ct));

        var current = await host.Store.GetAsync("current", Ct);
        Assert.Equal(("access-current", "refresh-current", "current@acme.example"), (current!.AccessToken, current.RefreshToken, current.Username));
        var legacy = await host.Store.GetAsync("legacy", Ct);
        Assert.Equal(("access-legacy", null, null, SalesforceGrantType.ClientCredentials), (legacy!.AccessToken, legacy.RefreshToken, legacy.Username, legacy.GrantType));
        Assert.Equal(
            [["current", "current@acme.example", "sandbox", "00Dxx0000000001AAA", 12, "Bearer"], ["legacy", "", "production", null, 12, "Bearer"]],
            await database.RowsAsync("SELECT user_id, username, environment, organization_id, access_count, token_type FROM salesforce_oauth_tokens ORDER BY user_id"));
        Assert.Equal(
            [["stored", "203.0.113.7", "{}", null], ["refresh_failed", null, """{"ip_address_text": "not-an-address"}""", "SalesforceException: down"]],
            await database.RowsAsync("SELECT action, host(ip_address), details::text, error_message FROM salesforce_oauth_audit_log ORDER BY id"));
        Assert.Equal(
            [["2026-10", 40, 4000L, 1], ["2026-11", 5, 500L, 0]],
            await database.RowsAsync("SELECT date_yyyymm, api_calls, data_transferred, errors FROM salesforce_token_usage ORDER BY date_yyyymm"));
        Assert.Equal(0, await host.Migrator.MigrateAsync(Ct));
    }

    /// <summary>What the first release's migration 1 created (its text as released), with its version recorded.</summary>
    private const string FirstReleaseDdl = """
        CREATE TABLE salesforce_token_store_schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO salesforce_token_store_schema_version (version, description) VALUES (1, 'Token, audit and usage tables');
        CREATE TABLE salesforce_oauth_tokens (
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
        CREATE INDEX salesforce_oauth_tokens_key_id_idx ON salesforce_oauth_tokens (key_id);
        CREATE TABLE salesforce_oauth_audit_log (
            id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id     text        NOT NULL,
            action      text        NOT NULL CHECK (action IN ('stored', 'refreshed', 'refresh_failed', 'revoked', 'deactivated', 'erased')),
            success     boolean     NOT NULL,
            error       text        NULL,
            ip_address  text        NULL CHECK (length(ip_address) <= 512),
            user_agent  text        NULL CHECK (length(user_agent) <= 512),
            occurred_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX salesforce_oauth_audit_log_user_idx ON salesforce_oauth_audit_log (user_id, occurred_at);
        CREATE TABLE salesforce_token_usage (
            user_id          text        NOT NULL,
            month            date        NOT NULL CHECK (extract(day FROM month) = 1),
            api_calls        bigint      NOT NULL DEFAULT 0 CHECK (api_calls >= 0),
            data_transferred bigint      NOT NULL DEFAULT 0 CHECK (data_transferred >= 0),
            errors           bigint      NOT NULL DEFAULT 0 CHECK (errors >= 0),
            updated_at       timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, month)
        );
        """;

    private static async Task<Dictionary<string, (string Type, int Length, string Default, string Nullable)>> ColumnsAsync(TestDatabase database) =>
        (await database.RowsAsync("""
            SELECT table_name || '.' || column_name, data_type, coalesce(character_maximum_length, -1), coalesce(column_default, ''), is_nullable
            FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1)
            """, (object)Tables))
        .ToDictionary(r => (string)r[0]!, r => ((string)r[1]!, (int)r[2]!, (string)r[3]!, (string)r[4]!), StringComparer.Ordinal);

    private static async Task<List<string>> ConstraintsAsync(TestDatabase database) =>
        [.. (await database.RowsAsync("""
            SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || c.contype::text || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'c', 'f', 'x')
                AND c.conrelid::regclass::text = ANY($1)
            ORDER BY 1
            """, (object)Tables)).Select(r => (string)r[0]!)];

    private static Task<long> PlaintextRowsAsync(TestDatabase database) =>
        database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens WHERE access_token NOT LIKE 'atomsf:%' OR refresh_token NOT LIKE 'atomsf:%'");

    /// <summary>Every row holds its original tokens, each either still plaintext or encrypted as a whole (never mixed).</summary>
    private static async Task AssertEveryTokenIsIntactAsync(TestDatabase database, Dictionary<(string User, string Login), (string Access, string? Refresh)> plain)
    {
        var cipher = new TokenCipher(TokenKeyRing.Create(new TokenEncryptionOptions { CurrentKeyId = "k1", Keys = { ["k1"] = StoreHost.DefaultKeys["k1"] } }));
        var rows = await database.RowsAsync("SELECT user_id, username, instance_url, access_token, refresh_token FROM salesforce_oauth_tokens");
        Assert.Equal(plain.Count, rows.Count);
        foreach (var row in rows)
        {
            var (user, login, instance, access, refresh) = ((string)row[0]!, (string)row[1]!, (string)row[2]!, (string)row[3]!, (string?)row[4]);
            var encrypted = TokenCipher.IsEncryptedText(access);
            Assert.Equal(encrypted, refresh is null || TokenCipher.IsEncryptedText(refresh));
            string Reveal(string value, string field) => encrypted ? TokenCipher.DecryptText(cipher.Ring, value, field, user, login, instance) : value;
            Assert.Equal(plain[(user, login)], (Reveal(access, TokenCipher.AccessTokenField), refresh is null ? null : Reveal(refresh, TokenCipher.RefreshTokenField)));
        }
    }

    /// <summary>The code flow against the emulator over raw HTTP: a real access token and refresh token of its admin.</summary>
    private static async Task<(string Access, string Refresh)> SignInAsync(Emulator.SalesforceEmulator emulator)
    {
        const string Callback = "https://app.example/oauth/callback";
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        using var authorize = await http.GetAsync(new Uri($"/services/oauth2/authorize?response_type=code&client_id=emulator-client&redirect_uri={Uri.EscapeDataString(Callback)}", UriKind.Relative), Ct);
        var code = System.Web.HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["code"]!;
        using var exchange = await http.PostAsync(new Uri("/services/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = "emulator-client", ["client_secret"] = "emulator-secret", ["redirect_uri"] = Callback,
        }), Ct);
        using var body = System.Text.Json.JsonDocument.Parse(await exchange.Content.ReadAsStringAsync(Ct));
        return (body.RootElement.GetProperty("access_token").GetString()!, body.RootElement.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>A clock whose <paramref name="crashOnCall"/>-th reading cancels <paramref name="crash"/>: a process dying there.</summary>
    private sealed class CrashingClock(int crashOnCall, CancellationTokenSource crash) : TimeProvider
    {
        private int _calls;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Increment(ref _calls) == crashOnCall)
            {
                crash.Cancel();
            }

            return base.GetUtcNow();
        }
    }
}
