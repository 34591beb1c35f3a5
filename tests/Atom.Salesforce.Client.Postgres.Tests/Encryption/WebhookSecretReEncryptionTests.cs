using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Postgres.Tests.Encryption;

/// <summary>
/// Key rotation covers the endpoint pack's webhook signing secrets (migration 4's <c>salesforce_webhook_endpoints</c>), which
/// are encrypted with the token store's keys: <see cref="PostgresTokenStore.ReEncryptAsync"/> moves them to the current key
/// with the tokens, so that the old key can be removed. The rows are written here as the pack writes them (the secret bound
/// to the owner, the endpoint id and the target); the pack's own test (AspNetCore tests, WebhookKeyRotationTests) signs
/// deliveries with them after the rotation.
/// </summary>
public sealed class WebhookSecretReEncryptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Target = "https://hooks.example.com/in";

    [Fact]
    public async Task Re_encryption_moves_webhook_secrets_to_the_new_key_reports_undecryptable_ones_and_drops_expired_previous_secrets()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var k1 = Secrets.NewKey();
        var k2 = Secrets.NewKey();
        var old = Ring("k1", new() { ["k1"] = k1 });
        var now = DateTimeOffset.UtcNow;
        var plain = Guid.NewGuid();
        var rotated = Guid.NewGuid();
        var expired = Guid.NewGuid();
        var tampered = Guid.NewGuid();
        await using (var before = new StoreHost(database.ConnectionString, "k1", new Dictionary<string, string> { ["k1"] = k1 }))
        {
            await before.Migrator.MigrateAsync(Ct);
            await InsertAsync(database, old, plain, "whsec_plain", previous: null, previousUntil: null);
            await InsertAsync(database, old, rotated, "whsec_new", "whsec_old", now.AddHours(1));
            await InsertAsync(database, old, expired, "whsec_current", "whsec_gone", now.AddHours(-1));
            await InsertAsync(database, old, tampered, "whsec_tampered", previous: null, previousUntil: null);
        }

        // Altered in the database: it no longer authenticates under any key.
        var stored = (string)(await database.RowsAsync("SELECT secret FROM salesforce_webhook_endpoints WHERE id = $1", tampered)).Single()[0]!;
        Assert.True(TokenCipher.TryParseText(stored, out var keyId, out var value));
        value[^1] ^= 0xFF;
        await database.ExecuteAsync("UPDATE salesforce_webhook_endpoints SET secret = $1 WHERE id = $2", TokenCipher.ToText(keyId, value), tampered);

        TokenReEncryptionResult result;
        await using (var during = new StoreHost(database.ConnectionString, "k2", new Dictionary<string, string> { ["k1"] = k1, ["k2"] = k2 }))
        {
            result = await during.Store.ReEncryptAsync(batchSize: 2, Ct);
            Assert.Equal(0, (await during.Store.ReEncryptAsync(cancellationToken: Ct)).WebhookSecretsReEncrypted);
        }

        Assert.Equal("k2", result.KeyId);
        Assert.Equal(3, result.WebhookSecretsReEncrypted);
        Assert.Equal([tampered], result.FailedWebhookEndpointIds);
        Assert.Equal(0, result.ReEncrypted);

        // With the old key gone, the moved secrets decrypt, bound to the same owner, endpoint and target as before.
        var ring = Ring("k2", new() { ["k2"] = k2 });
        Assert.Equal(("whsec_plain", (string?)null), await ReadAsync(database, ring, plain));
        Assert.Equal(("whsec_new", (string?)"whsec_old"), await ReadAsync(database, ring, rotated));
        Assert.Equal(("whsec_current", (string?)null), await ReadAsync(database, ring, expired));
        Assert.Equal(0, await database.ScalarAsync(
            "SELECT count(*) FROM salesforce_webhook_endpoints WHERE id <> $1 AND (secret NOT LIKE 'atomsf:2:k2:%' OR previous_secret NOT LIKE 'atomsf:2:k2:%')", tampered));
        Assert.Equal(1, await database.ScalarAsync(
            "SELECT count(*) FROM salesforce_webhook_endpoints WHERE id = $1 AND previous_secret IS NULL AND previous_secret_expires_at IS NULL", expired));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM salesforce_webhook_endpoints WHERE id = $1 AND secret LIKE 'atomsf:2:k1:%'", tampered));
    }

    [Fact]
    public async Task Re_encryption_of_a_store_without_the_webhooks_table_moves_the_tokens_only()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = await StoreHost.MigratedAsync(database);
        await database.ExecuteAsync("DROP TABLE salesforce_webhook_endpoints CASCADE");
        await host.Store.SaveAsync("user-1", Secrets.Token(), Ct);

        var result = await host.Store.ReEncryptAsync(cancellationToken: Ct);

        Assert.Equal((0, 0), (result.WebhookSecretsReEncrypted, result.FailedWebhookEndpointIds.Count));
    }

    private static TokenKeyRing Ring(string current, Dictionary<string, string> keys)
    {
        var options = new TokenEncryptionOptions { CurrentKeyId = current };
        foreach (var (id, key) in keys)
        {
            options.Keys[id] = key;
        }

        return TokenKeyRing.Create(options);
    }

    private static Task InsertAsync(TestDatabase database, TokenKeyRing ring, Guid id, string secret, string? previous, DateTimeOffset? previousUntil)
    {
        var endpoint = id.ToString("D");
        return database.ExecuteAsync(
            """
            INSERT INTO salesforce_webhook_endpoints (id, user_id, org_id, target_url, objects, change_types, secret, previous_secret, previous_secret_expires_at)
            VALUES ($1, 'alice', '00D000000000001AAA', $2, ARRAY['Account'], ARRAY[]::text[], $3, $4, $5)
            """,
            id,
            Target,
            TokenCipher.EncryptText(ring, secret, TokenCipher.WebhookSecretField, "alice", endpoint, Target),
            previous is null ? DBNull.Value : (object)TokenCipher.EncryptText(ring, previous, TokenCipher.WebhookPreviousSecretField, "alice", endpoint, Target),
            previousUntil is { } until ? until : DBNull.Value as object);
    }

    private static async Task<(string Secret, string? Previous)> ReadAsync(TestDatabase database, TokenKeyRing ring, Guid id)
    {
        var row = (await database.RowsAsync("SELECT secret, previous_secret FROM salesforce_webhook_endpoints WHERE id = $1", id)).Single();
        var endpoint = id.ToString("D");
        return (
            TokenCipher.DecryptText(ring, (string)row[0]!, TokenCipher.WebhookSecretField, "alice", endpoint, Target),
            row[1] is string previous ? TokenCipher.DecryptText(ring, previous, TokenCipher.WebhookPreviousSecretField, "alice", endpoint, Target) : null);
    }
}
