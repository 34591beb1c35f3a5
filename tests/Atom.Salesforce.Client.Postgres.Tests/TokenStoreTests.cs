using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Errors;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Postgres.Tests;

public sealed class TokenStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SalesforceToken FullToken() =>
        new("00Dxx0000000001!AQ4AQ.Full-Access-Token-é✓", new Uri("https://acme--dev.sandbox.my.salesforce.com"), new DateTimeOffset(2026, 11, 24, 10, 11, 12, 345, TimeSpan.FromHours(2)))
        {
            RefreshToken = "5Aep861.Full-Refresh-Token",
            Scope = "api refresh_token id",
            Username = "jane.doe@acme.example",
            GrantType = SalesforceGrantType.JwtBearer,
            IdentityUrl = new Uri("https://login.salesforce.com/id/00Dxx0000000001/005xx0000000001"),
            InvalidatedAt = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero),
            InvalidationReason = "invalid_grant: expired access/refresh token",
        };

    [Fact]
    public async Task Every_field_survives_a_round_trip_through_a_fresh_store()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var writer = await StoreHost.MigratedAsync(database))
        {
            await writer.Store.SaveAsync("user-full", FullToken(), Ct);
            await writer.Store.SaveAsync("user-minimal", new SalesforceToken("a", Secrets.Instance, DateTimeOffset.UnixEpoch), Ct);
        }

        await using var reader = new StoreHost(database.ConnectionString);
        var full = await reader.Store.GetAsync("user-full", Ct);
        var minimal = await reader.Store.GetAsync("user-minimal", Ct);

        Assert.Equal(FullToken(), full);
        Assert.Equal(TimeSpan.Zero, full!.IssuedAt.Offset);
        Assert.Equal(new SalesforceToken("a", Secrets.Instance, DateTimeOffset.UnixEpoch), minimal);
        Assert.Null(await reader.Store.GetAsync("nobody", Ct));
    }

    [Fact]
    public async Task The_raw_tables_hold_no_token_in_any_encoding()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        await host.Store.RefreshAsync("user-1", Secrets.Token(), (t, _) => Task.FromResult(t with { AccessToken = Secrets.AccessToken + "-2" }), Ct);

        var dump = await database.RowsAsync("""
            SELECT convert_to(t::text, 'UTF8') FROM salesforce_oauth_tokens t
            UNION ALL SELECT convert_to(a::text, 'UTF8') FROM salesforce_oauth_audit_log a
            UNION ALL SELECT convert_to(access_token, 'UTF8') FROM salesforce_oauth_tokens
            UNION ALL SELECT convert_to(refresh_token, 'UTF8') FROM salesforce_oauth_tokens
            """);
        var bytes = dump.SelectMany(r => (byte[])r[0]!).ToArray();

        Assert.NotEmpty(bytes);
        foreach (var secret in new[] { Secrets.AccessToken, Secrets.RefreshToken, "AccessTokenThatMustNotLeak", "RefreshTokenThatMustNotLeak" })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))[..20])));
        }

        var key = Convert.FromBase64String(StoreHost.DefaultKeys["k1"]);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(key));
    }

    [Fact]
    public async Task A_store_with_a_different_key_of_the_same_id_fails_cleanly()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var host = await StoreHost.MigratedAsync(database))
        {
            await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        }

        await using var other = new StoreHost(database.ConnectionString, keys: new Dictionary<string, string> { ["k1"] = Secrets.NewKey() });
        var error = await Assert.ThrowsAsync<TokenDecryptionException>(() => other.Store.GetAsync("user-1", Ct));

        Assert.Equal("user-1", error.UserId);
        Assert.Equal("k1", error.KeyId);
        Assert.False(error.IsTransient);
        AssertNoSecret(error.ToString());
    }

    [Fact]
    public async Task A_row_written_with_a_key_that_is_no_longer_configured_names_the_key()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var host = await StoreHost.MigratedAsync(database))
        {
            await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        }

        await using var other = new StoreHost(database.ConnectionString, currentKeyId: "k9", keys: new Dictionary<string, string> { ["k9"] = Secrets.NewKey() });
        var error = await Assert.ThrowsAsync<TokenDecryptionException>(() => other.Store.GetAsync("user-1", Ct));

        Assert.Contains("'k1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not in the configured key ring", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("access_token", 40)]
    [InlineData("access_token", 5)]
    [InlineData("access_token", 20)]
    [InlineData("refresh_token", 30)]
    public async Task A_tampered_byte_anywhere_fails_cleanly(string column, int offset)
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var host = await StoreHost.MigratedAsync(database))
        {
            await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);
        }

        await database.TamperAsync(column, offset, 1);
        await using var reader = new StoreHost(database.ConnectionString);

        var error = await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("user-1", Ct));
        Assert.Contains("user-1", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error.ToString());
    }

    [Fact]
    public async Task Ciphertexts_moved_to_another_users_row_or_column_fail_to_decrypt()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var host = await StoreHost.MigratedAsync(database))
        {
            await host.Store.SaveAsync("alice", Secrets.Token("alice-access", "alice-refresh") with { Username = "alice@acme.example" }, Ct);
            await host.Store.SaveAsync("bob", Secrets.Token("bob-access", "bob-refresh") with { Username = "bob@acme.example" }, Ct);
            await host.Store.SaveAsync("carol", Secrets.Token("carol-access", "carol-refresh"), Ct);
        }

        // Bob's row gets Alice's ciphertexts; Carol's access token becomes her own refresh token's ciphertext.
        await database.ExecuteAsync("""
            UPDATE salesforce_oauth_tokens b SET access_token = a.access_token, refresh_token = a.refresh_token
            FROM salesforce_oauth_tokens a WHERE a.user_id = 'alice' AND b.user_id = 'bob'
            """);
        await database.ExecuteAsync("UPDATE salesforce_oauth_tokens SET access_token = refresh_token WHERE user_id = 'carol'");
        await using var reader = new StoreHost(database.ConnectionString);

        Assert.Equal("alice-access", (await reader.Store.GetAsync("alice", Ct))!.AccessToken);
        Assert.Equal("bob", (await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("bob", Ct))).UserId);
        Assert.Equal("carol", (await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("carol", Ct))).UserId);
    }

    [Fact]
    public async Task Changing_the_username_in_the_table_breaks_the_binding()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var host = await StoreHost.MigratedAsync(database))
        {
            await host.Store.SaveAsync("alice", Secrets.Token() with { Username = "alice@acme.example" }, Ct);
        }

        await database.ExecuteAsync("UPDATE salesforce_oauth_tokens SET username = 'mallory@evil.example'");
        await using var reader = new StoreHost(database.ConnectionString);

        await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("alice", Ct));
    }

    [Fact]
    public async Task Changing_the_instance_URL_in_the_table_breaks_the_binding()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using (var host = await StoreHost.MigratedAsync(database))
        {
            await host.Store.SaveAsync("alice", Secrets.Token() with { Username = "alice@acme.example" }, Ct);
        }

        await database.ExecuteAsync("UPDATE salesforce_oauth_tokens SET instance_url = 'https://evil.example/'");
        await using var reader = new StoreHost(database.ConnectionString);

        var e = await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("alice", Ct));
        Assert.DoesNotContain(Secrets.AccessToken, e.ToString(), StringComparison.Ordinal);
    }

    private static async Task InsertLegacyRowAsync(TestDatabase database, string userId, string instanceUrl)
    {
        var key = StoreHost.DefaultKeys["k1"];
        await database.ExecuteAsync(
            """
            INSERT INTO salesforce_oauth_tokens (user_id, username, instance_url, grant_type, access_token, refresh_token, issued_at)
            VALUES ($1, 'old@acme.example', $2, 'authorization_code', $3, $4, now())
            """,
            userId, instanceUrl,
            TokenCipher.ToText("k1", LegacyFormat.Encrypt(key, Secrets.AccessToken, TokenCipher.AccessTokenField, userId, "old@acme.example")),
            TokenCipher.ToText("k1", LegacyFormat.Encrypt(key, Secrets.RefreshToken, TokenCipher.RefreshTokenField, userId, "old@acme.example")));
    }

    [Fact]
    public async Task A_row_written_in_the_first_format_still_reads_and_its_next_write_binds_the_instance_URL()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await InsertLegacyRowAsync(database, "old", "https://acme.my.salesforce.com/");

        var read = await host.Store.GetAsync("old", Ct);
        Assert.Equal((Secrets.AccessToken, Secrets.RefreshToken), (read!.AccessToken, read.RefreshToken));

        var refreshed = await host.Store.RefreshAsync("old", read, (t, _) => Task.FromResult(t with { AccessToken = "00Dxx!after-refresh" }), Ct);

        Assert.Equal("00Dxx!after-refresh", refreshed.AccessToken);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens WHERE user_id = 'old' AND access_token LIKE 'atomsf:2:k1:%' AND refresh_token LIKE 'atomsf:2:k1:%'"));
        await database.ExecuteAsync("UPDATE salesforce_oauth_tokens SET instance_url = 'https://evil.example/'");
        await using var reader = new StoreHost(database.ConnectionString);
        await Assert.ThrowsAsync<TokenDecryptionException>(() => reader.Store.GetAsync("old", Ct));
    }

    [Fact]
    public async Task Re_encryption_rewrites_rows_of_the_first_format_even_under_the_current_key()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await InsertLegacyRowAsync(database, "old-1", "https://acme.my.salesforce.com/");
        await InsertLegacyRowAsync(database, "old-2", "https://beta.my.salesforce.com/");
        await host.Store.SaveAsync("new", Secrets.Token(), Ct);

        var result = await host.Store.ReEncryptAsync(cancellationToken: Ct);

        Assert.Equal(2, result.ReEncrypted);
        Assert.Empty(result.FailedUserIds);
        Assert.Equal(0, await database.ScalarAsync(
            "SELECT count(*) FROM salesforce_oauth_tokens WHERE access_token NOT LIKE 'atomsf:2:%' OR refresh_token NOT LIKE 'atomsf:2:%'"));
        await using var reader = new StoreHost(database.ConnectionString);
        Assert.Equal(Secrets.RefreshToken, (await reader.Store.GetAsync("old-2", Ct))!.RefreshToken);
        Assert.Equal(0, (await host.Store.ReEncryptAsync(cancellationToken: Ct)).ReEncrypted);
    }

    [Fact]
    public async Task Keys_rotate_old_rows_stay_readable_new_rows_use_the_new_key_and_re_encryption_moves_the_rest()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var k1 = Secrets.NewKey();
        var k2 = Secrets.NewKey();
        await using (var before = new StoreHost(database.ConnectionString, "k1", new Dictionary<string, string> { ["k1"] = k1 }))
        {
            await before.Migrator.MigrateAsync(Ct);
            for (var i = 0; i < 25; i++)
            {
                await before.Store.SaveAsync($"user-{i:D2}", Secrets.Token($"access-{i}", i % 2 == 0 ? $"refresh-{i}" : null), Ct);
            }
        }

        await using (var during = new StoreHost(database.ConnectionString, "k2", new Dictionary<string, string> { ["k1"] = k1, ["k2"] = k2 }))
        {
            Assert.Equal("access-3", (await during.Store.GetAsync("user-03", Ct))!.AccessToken);
            await during.Store.SaveAsync("user-new", Secrets.Token("access-new"), Ct);
            await during.Store.SaveAsync("user-00", Secrets.Token("access-0b", "refresh-0b"), Ct);
            Assert.Equal(24, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens WHERE access_token LIKE 'atomsf:2:k1:%'"));

            var result = await during.Store.ReEncryptAsync(batchSize: 7, Ct);

            Assert.Equal(24, result.ReEncrypted);
            Assert.Empty(result.FailedUserIds);
            Assert.Equal("k2", result.KeyId);
        }

        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens WHERE access_token NOT LIKE 'atomsf:2:k2:%' OR refresh_token NOT LIKE 'atomsf:2:k2:%'"));
        await using var after = new StoreHost(database.ConnectionString, "k2", new Dictionary<string, string> { ["k2"] = k2 });
        for (var i = 1; i < 25; i++)
        {
            var token = await after.Store.GetAsync($"user-{i:D2}", Ct);
            Assert.Equal($"access-{i}", token!.AccessToken);
            Assert.Equal(i % 2 == 0 ? $"refresh-{i}" : null, token.RefreshToken);
        }

        Assert.Equal("refresh-0b", (await after.Store.GetAsync("user-00", Ct))!.RefreshToken);
        Assert.Equal("access-new", (await after.Store.GetAsync("user-new", Ct))!.AccessToken);
    }

    [Fact]
    public async Task Re_encryption_skips_and_reports_rows_it_cannot_decrypt()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var k1 = Secrets.NewKey();
        await using (var before = new StoreHost(database.ConnectionString, "k1", new Dictionary<string, string> { ["k1"] = k1 }))
        {
            await before.Migrator.MigrateAsync(Ct);
            await before.Store.SaveAsync("good", Secrets.Token(), Ct);
            await before.Store.SaveAsync("bad", Secrets.Token(), Ct);
        }

        await database.TamperAsync("access_token", 30, 255, "bad");
        await using var during = new StoreHost(database.ConnectionString, "k2", new Dictionary<string, string> { ["k1"] = k1, ["k2"] = Secrets.NewKey() });

        var result = await during.Store.ReEncryptAsync(cancellationToken: Ct);

        Assert.Equal(1, result.ReEncrypted);
        Assert.Equal(["bad"], result.FailedUserIds);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_tokens WHERE access_token LIKE 'atomsf:2:k1:%' AND user_id = 'bad'"));
    }

    [Fact]
    public async Task Every_token_event_writes_an_audit_row_with_the_callers_IP_and_user_agent()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        var store = host.Store;

        using (TokenAuditContext.Begin("203.0.113.7", "PipelineService/1.0"))
        {
            await store.SaveAsync("user-1", Secrets.Token(), Ct);
            await store.RefreshAsync("user-1", Secrets.Token(), (t, _) => Task.FromResult(t with { AccessToken = "second" }), Ct);
            await Assert.ThrowsAsync<SalesforceException>(() => store.RefreshAsync("user-1", Secrets.Token("second"),
                (_, _) => throw new SalesforceException("Salesforce is down for maintenance", null, isTransient: true), Ct));
            await store.RefreshAsync("user-1", Secrets.Token("second"),
                (t, _) => Task.FromResult(t with { InvalidatedAt = DateTimeOffset.UtcNow, InvalidationReason = "invalid_grant: token revoked" }), Ct);
            Assert.True(await store.DeleteAsync("user-1", Ct));
            Assert.False(await store.DeleteAsync("user-1", Ct));
        }

        await store.SaveAsync("user-2", Secrets.Token(), Ct);

        var rows = await database.RowsAsync("SELECT user_id, action, success, error_message, host(ip_address), user_agent FROM salesforce_oauth_audit_log ORDER BY id");
        Assert.Equal(
            [
                ["user-1", "stored", true, null, "203.0.113.7", "PipelineService/1.0"],
                ["user-1", "refreshed", true, null, "203.0.113.7", "PipelineService/1.0"],
                ["user-1", "refresh_failed", false, "SalesforceException: Salesforce is down for maintenance", "203.0.113.7", "PipelineService/1.0"],
                ["user-1", "deactivated", true, "invalid_grant: token revoked", "203.0.113.7", "PipelineService/1.0"],
                ["user-1", "revoked", true, null, "203.0.113.7", "PipelineService/1.0"],
                ["user-2", "stored", true, null, null, null],
            ],
            rows);
    }

    [Fact]
    public async Task An_invalidated_token_is_stored_inactive_with_its_reason_and_read_back_as_unusable()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);

        var result = await host.Store.RefreshAsync("user-1", Secrets.Token(),
            (t, _) => Task.FromResult(t with { InvalidatedAt = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), InvalidationReason = "invalid_grant: expired access/refresh token" }), Ct);

        Assert.False(result.IsUsable);
        var row = Assert.Single(await database.RowsAsync("SELECT is_active, invalidation_reason, invalidated_at FROM salesforce_oauth_tokens"));
        Assert.Equal([false, "invalid_grant: expired access/refresh token", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc)], row);
        await using var reader = new StoreHost(database.ConnectionString);
        Assert.False((await reader.Store.GetAsync("user-1", Ct))!.IsUsable);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action = 'deactivated'"));
    }

    [Fact]
    public async Task Erasing_a_user_removes_token_audit_and_usage_and_keeps_only_an_anonymous_proof()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        using (TokenAuditContext.Begin("198.51.100.9", "Browser"))
        {
            await host.Store.SaveAsync("erase-me", Secrets.Token(), Ct);
            await host.Store.SaveAsync("keep-me", Secrets.Token(), Ct);
        }

        host.Usage.Record("erase-me", 100, failed: false);
        host.Usage.Record("keep-me", 100, failed: false);
        await host.Usage.FlushAsync(Ct);
        host.Usage.Record("erase-me", 50, failed: true);
        await host.Store.GetAsync("erase-me", Ct);

        var result = await host.Store.EraseUserAsync("erase-me", Ct);
        await host.Usage.FlushAsync(Ct);

        Assert.Equal((1, 1, 1), (result.TokensDeleted, result.AuditRowsDeleted, result.UsageRowsDeleted));
        Assert.Null(await host.Store.GetAsync("erase-me", Ct));
        var everything = await database.RowsAsync("""
            SELECT t::text FROM salesforce_oauth_tokens t UNION ALL SELECT a::text FROM salesforce_oauth_audit_log a
            UNION ALL SELECT u::text FROM salesforce_token_usage u
            """);
        Assert.DoesNotContain(everything, r => ((string)r[0]!).Contains("erase-me", StringComparison.Ordinal));
        var proof = Assert.Single(await database.RowsAsync("SELECT user_id, success, host(ip_address), user_agent FROM salesforce_oauth_audit_log WHERE action = 'erased'"));
        Assert.Equal([PostgresTokenStore.ErasureMarker("erase-me"), true, null, null], proof);
        Assert.StartsWith("sha256:", (string)proof[0]!, StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_token_usage WHERE user_id = 'keep-me'"));
    }

    [Fact]
    public async Task Arguments_are_checked_before_any_database_work()
    {
        await using var host = new StoreHost("Host=256.0.0.1;Database=none");
        var store = host.Store;
        var token = Secrets.Token();

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SaveAsync("u", null!, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SaveAsync("u", token with { GrantType = (SalesforceGrantType)42 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.RefreshAsync("u", null!, (t, _) => Task.FromResult(t), Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.RefreshAsync("u", token, null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.EraseUserAsync("", Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReEncryptAsync(0, Ct));
    }

    internal static void AssertNoSecret(string text)
    {
        foreach (var secret in new[] { Secrets.AccessToken, Secrets.RefreshToken, Secrets.DatabasePassword, StoreHost.DefaultKeys["k1"] })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
