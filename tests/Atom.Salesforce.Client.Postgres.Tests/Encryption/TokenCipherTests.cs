using System.Security.Cryptography;
using Atom.Salesforce.Client.Postgres.Encryption;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Postgres.Tests.Encryption;

public sealed class TokenCipherTests
{
    private static readonly string Key = Secrets.NewKey();
    private static readonly TokenKeyRing Ring = TokenKeyRing.Create(new TokenEncryptionOptions { CurrentKeyId = "k1", Keys = { ["k1"] = Key } });
    private static readonly TokenCipher Cipher = new(Ring);

    [Fact]
    public void A_value_decrypts_to_itself_and_each_encryption_uses_a_new_nonce()
    {
        var first = Cipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", "jane@acme.example");
        var second = Cipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", "jane@acme.example");

        Assert.Equal(Secrets.AccessToken, Cipher.Decrypt(Ring, "k1", first, TokenCipher.AccessTokenField, "user-1", "jane@acme.example"));
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
        var value = Cipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", null);
        value[index < 0 ? value.Length - 1 : index] ^= 0x40;

        var error = Assert.Throws<TokenDecryptionException>(() => Cipher.Decrypt(Ring, "k1", value, TokenCipher.AccessTokenField, "user-1", null));

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
        var value = Cipher.Encrypt(Ring.CurrentKey, Secrets.AccessToken, TokenCipher.AccessTokenField, "user-1", null);

        Assert.Throws<TokenDecryptionException>(() => Cipher.Decrypt(Ring, "k1", value, field, userId, username));
    }

    [Fact]
    public void Truncated_values_and_unknown_keys_are_refused_with_the_key_id_only()
    {
        var value = Cipher.Encrypt(Ring.CurrentKey, "x", TokenCipher.AccessTokenField, "user-1", null);

        var truncated = Assert.Throws<TokenDecryptionException>(() => Cipher.Decrypt(Ring, "k1", value[..20], TokenCipher.AccessTokenField, "user-1", null));
        var unknown = Assert.Throws<TokenDecryptionException>(() => Cipher.Decrypt(Ring, "k7", value, TokenCipher.AccessTokenField, "user-1", null));

        Assert.Contains("altered or truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(("user-1", "k7"), (unknown.UserId, unknown.KeyId));
    }

    [Fact]
    public void An_empty_token_and_non_ascii_text_round_trip()
    {
        foreach (var text in new[] { string.Empty, "ünïcødé ✓ 令牌" })
        {
            var value = Cipher.Encrypt(Ring.CurrentKey, text, TokenCipher.RefreshTokenField, "üser", "ñame");
            Assert.Equal(text, Cipher.Decrypt(Ring, "k1", value, TokenCipher.RefreshTokenField, "üser", "ñame"));
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
}
