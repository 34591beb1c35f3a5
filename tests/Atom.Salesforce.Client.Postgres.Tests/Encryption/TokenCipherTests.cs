using System.Security.Cryptography;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Errors;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Postgres.Tests.Encryption;

public sealed class TokenCipherTests
{
    private static readonly string Key = Secrets.NewKey();
    private static readonly TokenKeyRing Ring = TokenKeyRing.Create(new TokenEncryptionOptions { CurrentKeyId = "k1", Keys = { ["k1"] = Key } });
    private const string I = "https://acme.my.salesforce.com/";

    [Fact]
    public void A_value_decrypts_to_itself_and_each_encryption_uses_a_new_nonce()
    {
        var first = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", "jane@acme.example", I);
        var second = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", "jane@acme.example", I);

        Assert.Equal(Secrets.AccessToken, TokenCipher.Decrypt(Ring, "k1", first, TokenCipher.AccessTokenField, "user-1", "jane@acme.example", I));
        Assert.NotEqual(first, second);
        Assert.Equal(1 + 12 + 16 + Secrets.AccessToken.Length, first.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(29)]
    [InlineData(-1)]
    public void Any_altered_byte_is_refused(int index)
    {
        var value = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", null, I);
        value[index < 0 ? value.Length - 1 : index] ^= 0x40;

        var error = Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", value, TokenCipher.AccessTokenField, "user-1", null, I));

        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secrets.AccessToken, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user-2", null, TokenCipher.AccessTokenField)]
    [InlineData("user-1", "someone@else.example", TokenCipher.AccessTokenField)]
    [InlineData("user-1", null, TokenCipher.RefreshTokenField)]
    [InlineData("user-", null, TokenCipher.AccessTokenField)]
    public void A_value_read_for_another_user_username_or_column_is_refused(string userId, string? username, string field)
    {
        var value = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", null, I);

        Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", value, field, userId, username, I));
    }

    [Fact]
    public void Truncated_values_and_unknown_keys_are_refused_with_the_key_id_only()
    {
        var value = TokenCipher.Encrypt(Ring.CurrentKey, "x", TokenCipher.AccessTokenField, "user-1", null, I);

        var truncated = Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", value[..20], TokenCipher.AccessTokenField, "user-1", null, I));
        var unknown = Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k7", value, TokenCipher.AccessTokenField, "user-1", null, I));

        Assert.Contains("altered or truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(("user-1", "k7"), (unknown.UserId, unknown.KeyId));
    }

    [Fact]
    public void An_empty_token_and_non_ascii_text_round_trip()
    {
        foreach (var text in new[] { string.Empty, "ünïcødé ✓ 令牌" })
        {
            var value = TokenCipher.Encrypt(Ring.CurrentKey, text, TokenCipher.RefreshTokenField, "üser", "ñame", I);
            Assert.Equal(text, TokenCipher.Decrypt(Ring, "k1", value, TokenCipher.RefreshTokenField, "üser", "ñame", I));
        }
    }

    [Fact]
    public void Every_key_ring_problem_is_reported_without_printing_a_key()
    {
        var shortKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var failures = TokenKeyRing.Validate(new TokenEncryptionOptions
        {
            CurrentKeyId = "k3",
            Keys = { ["k1"] = shortKey, ["k2"] = "not base64!", ["bad id!"] = Key },
        }, "Salesforce:TokenStore");

        Assert.Contains("Salesforce:TokenStore:Encryption:Keys:k1 decodes to 16 bytes; AES-256 needs exactly 32 (base64 of 32 random bytes).", failures);
        Assert.Contains("Salesforce:TokenStore:Encryption:Keys:k2 is not valid base64; it must be 32 random bytes in base64.", failures);
        Assert.Contains(failures, f => f.Contains("key id that is not", StringComparison.Ordinal));
        Assert.Contains("Salesforce:TokenStore:Encryption:CurrentKeyId is 'k3', but Keys has no key with that id.", failures);
        Assert.All(failures, f => Assert.DoesNotContain(shortKey, f, StringComparison.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain(Key, f, StringComparison.Ordinal));
        Assert.Contains(TokenKeyRing.Validate(new TokenEncryptionOptions(), "S"), f => f.Contains("CurrentKeyId is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("http://acme.my.salesforce.com/")]
    public void A_value_read_with_another_instance_URL_is_refused(string instanceUrl)
    {
        var value = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", null, I);

        var e = Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", value, TokenCipher.AccessTokenField, "user-1", null, instanceUrl));

        Assert.Contains("instance URL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_of_the_first_format_still_decrypt_and_are_recognised_as_legacy()
    {
        var legacy = LegacyFormat.Encrypt(Key, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", "jane@acme.example");
        var current = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", "jane@acme.example", I);

        Assert.Equal(Secrets.AccessToken, TokenCipher.Decrypt(Ring, "k1", legacy, TokenCipher.AccessTokenField, "user-1", "jane@acme.example", I));
        Assert.True(TokenCipher.IsLegacy(legacy));
        Assert.False(TokenCipher.IsLegacy(current));
        Assert.Equal(2, current[0]);
        Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", legacy, TokenCipher.AccessTokenField, "user-2", "jane@acme.example", I));
    }

    [Fact]
    public void A_current_value_cannot_be_downgraded_to_the_first_format_to_drop_the_instance_binding()
    {
        var value = TokenCipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", null, I);
        value[0] = 1;

        Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", value, TokenCipher.AccessTokenField, "user-1", null, "https://evil.example/"));
        Assert.Throws<TokenDecryptionException>(() => TokenCipher.Decrypt(Ring, "k1", value, TokenCipher.AccessTokenField, "user-1", null, I));
    }
}
