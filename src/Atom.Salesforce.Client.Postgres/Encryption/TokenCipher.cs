using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Atom.Salesforce.Client.Postgres.Errors;

namespace Atom.Salesforce.Client.Postgres.Encryption;

/// <summary>
/// AES-256-GCM for the secret columns. A value is <c>version (1) | nonce (12) | tag (16) | ciphertext</c>, with a fresh
/// random nonce per value, and is stored as self-describing text (<see cref="ToText"/>):
/// <c>atomsf:{version}:{keyId}:{nonce}:{tag}:{ciphertext}</c>, each binary part in unpadded base64url. The associated data binds the value to its column and to the row's user id, username and (from
/// format version 2) instance URL, so a value copied into another row or column, or a row whose instance URL was edited to
/// send the token elsewhere, fails authentication instead of decrypting. Values are written in version 2; version 1 values
/// (bound without the instance URL, written before it was bound) still decrypt, and are rewritten in version 2 by the next
/// write of their row or by <c>ReEncryptAsync</c>.
/// </summary>
internal sealed class TokenCipher
{
    public const string AccessTokenField = "access_token";
    public const string RefreshTokenField = "refresh_token";

    /// <summary>
    /// The endpoint pack's webhook signing secrets (migration 4's <c>salesforce_webhook_endpoints.secret</c>), bound to the
    /// owner's user id, the endpoint's id (in the username's place) and the target URL (in the instance URL's place).
    /// </summary>
    public const string WebhookSecretField = "webhook_secret";

    /// <summary>A rotated-out webhook secret still honoured for a while (<c>previous_secret</c>), bound like <see cref="WebhookSecretField"/>.</summary>
    public const string WebhookPreviousSecretField = "webhook_previous_secret";

    /// <summary>The format of values written before the instance URL joined the associated data.</summary>
    public const byte LegacyFormatVersion = 1;

    /// <summary>The format written now: the associated data includes the instance URL.</summary>
    public const byte FormatVersion = 2;

    /// <summary>The prefix of every encrypted text value; a value without it is plaintext (an adopted database's).</summary>
    public const string TextPrefix = "atomsf:";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;
    private static readonly byte[] LegacyContext = Encoding.ASCII.GetBytes("atom.salesforce.token.v1");
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("atom.salesforce.token.v2");

    private readonly Func<TokenEncryptionOptions>? _currentOptions;
    private volatile RingSnapshot? _ring;

    /// <param name="currentOptions">The current encryption settings (the store's options monitor; read at every use).</param>
    public TokenCipher(Func<TokenEncryptionOptions> currentOptions)
    {
        _currentOptions = currentOptions;
    }

    public TokenCipher(TokenKeyRing ring)
    {
        _ring = new RingSnapshot(new TokenEncryptionOptions(), ring);
    }

    /// <summary>The key ring of the current options (rebuilt when the options change, so a new current key needs no restart).</summary>
    public TokenKeyRing Ring
    {
        get
        {
            if (_currentOptions is null)
            {
                return _ring!.Ring;
            }

            var source = _currentOptions();
            var cached = _ring;
            if (cached is not null && ReferenceEquals(cached.Source, source))
            {
                return cached.Ring;
            }

            var ring = TokenKeyRing.Create(source);
            _ring = new RingSnapshot(source, ring);
            return ring;
        }
    }

    /// <summary>True when <paramref name="value"/> is in the legacy format (no instance URL bound): rewrite it.</summary>
    public static bool IsLegacy(byte[] value) => value.Length > 0 && value[0] == LegacyFormatVersion;

    /// <summary>Encrypts in the current format, bound to the column, user id, username and instance URL (as stored).</summary>
    public static byte[] Encrypt(byte[] key, string plaintext, string field, string userId, string? username, string instanceUrl)
    {
        var plainLength = Encoding.UTF8.GetByteCount(plaintext);
        var plain = new byte[plainLength];
        Encoding.UTF8.GetBytes(plaintext, plain);
        var output = new byte[HeaderSize + plainLength];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plain, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData(FormatVersion, field, userId, username, instanceUrl));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        return output;
    }

    /// <summary>Decrypts a value of either format; <paramref name="instanceUrl"/> is the row's column, as stored.</summary>
    public static string Decrypt(TokenKeyRing ring, string keyId, byte[] value, string field, string userId, string? username, string instanceUrl)
    {
        if (!ring.TryGetKey(keyId, out var key))
        {
            throw new TokenDecryptionException(userId, keyId,
                $"The stored Salesforce {Describe(field)} of user '{userId}' was encrypted with key '{keyId}', which is not in the configured key ring. Add the key under Encryption:Keys.");
        }

        if (value.Length < HeaderSize || value[0] is not (FormatVersion or LegacyFormatVersion))
        {
            throw new TokenDecryptionException(userId, keyId,
                $"The stored Salesforce {Describe(field)} of user '{userId}' (key '{keyId}') is not a value this store wrote; it was altered or truncated.");
        }

        var plain = new byte[value.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(value.AsSpan(1, NonceSize), value.AsSpan(HeaderSize), value.AsSpan(1 + NonceSize, TagSize), plain, AssociatedData(value[0], field, userId, username, instanceUrl));
            return Encoding.UTF8.GetString(plain);
        }
        catch (CryptographicException e)
        {
            throw new TokenDecryptionException(userId, keyId,
                $"The stored Salesforce {Describe(field)} of user '{userId}' failed authentication with key '{keyId}': it or its row (user id, username, instance URL) was altered, it was moved from another user's row, or it was encrypted with a different key of that id.",
                e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>True when a stored text value is one this store encrypted (of any format); false for plaintext.</summary>
    public static bool IsEncryptedText(string value) => value.StartsWith(TextPrefix, StringComparison.Ordinal);

    /// <summary><c>atomsf:{version}:{keyId}:{nonce}:{tag}:{ciphertext}</c> of a binary value, parts in unpadded base64url.</summary>
    public static string ToText(string keyId, byte[] value) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{TextPrefix}{value[0]}:{keyId}:{ToBase64Url(value.AsSpan(1, NonceSize))}:{ToBase64Url(value.AsSpan(1 + NonceSize, TagSize))}:{ToBase64Url(value.AsSpan(HeaderSize))}");

    /// <summary>Reads a text value back into its key id and binary value; false when it is not in the text form.</summary>
    public static bool TryParseText(string text, out string keyId, out byte[] value)
    {
        keyId = string.Empty;
        value = [];
        if (!IsEncryptedText(text))
        {
            return false;
        }

        var parts = text[TextPrefix.Length..].Split(':');
        if (parts.Length != 5 || !byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || parts[1].Length == 0)
        {
            return false;
        }

        try
        {
            var nonce = FromBase64Url(parts[2]);
            var tag = FromBase64Url(parts[3]);
            var cipher = FromBase64Url(parts[4]);
            if (nonce.Length != NonceSize || tag.Length != TagSize)
            {
                return false;
            }

            value = [version, .. nonce, .. tag, .. cipher];
            keyId = parts[1];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Encrypts in the current format with the ring's current key, as text.</summary>
    public static string EncryptText(TokenKeyRing ring, string plaintext, string field, string userId, string? username, string instanceUrl) =>
        ToText(ring.CurrentKeyId, Encrypt(ring.CurrentKey, plaintext, field, userId, username, instanceUrl));

    /// <summary>Decrypts a text value of either format; a value not in the text form is refused as altered.</summary>
    public static string DecryptText(TokenKeyRing ring, string text, string field, string userId, string? username, string instanceUrl)
    {
        if (!TryParseText(text, out var keyId, out var value))
        {
            throw new TokenDecryptionException(userId, "(none)",
                $"The stored Salesforce {Describe(field)} of user '{userId}' is not a value this store encrypted: it is plaintext or was altered. Run the migrations (PostgresTokenStoreMigrator.MigrateAsync), which encrypt plaintext tokens.");
        }

        return Decrypt(ring, keyId, value, field, userId, username, instanceUrl);
    }

    private static string ToBase64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var standard = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(standard + new string('=', (4 - (standard.Length % 4)) % 4));
    }

    private static string Describe(string field) => field switch
    {
        AccessTokenField => "access token",
        RefreshTokenField => "refresh token",
        WebhookSecretField => "webhook signing secret",
        WebhookPreviousSecretField => "previous webhook signing secret",
        _ => field,
    };

    /// <summary>
    /// <c>context 0 field 0 len(userId) userId (len(username) username | -1)</c>, then in version 2
    /// <c>len(instanceUrl) instanceUrl</c>; lengths as big-endian int32. Version 1 has its own context string and no instance URL.
    /// </summary>
    private static byte[] AssociatedData(byte version, string field, string userId, string? username, string instanceUrl)
    {
        var legacy = version == LegacyFormatVersion;
        var context = legacy ? LegacyContext : Context;
        var userBytes = Encoding.UTF8.GetByteCount(userId);
        var nameBytes = username is null ? 0 : Encoding.UTF8.GetByteCount(username);
        var instanceBytes = legacy ? 0 : 4 + Encoding.UTF8.GetByteCount(instanceUrl);
        var data = new byte[context.Length + 1 + field.Length + 1 + 4 + userBytes + 4 + nameBytes + instanceBytes];
        var span = data.AsSpan();
        context.CopyTo(span);
        var at = context.Length + 1;
        at += Encoding.ASCII.GetBytes(field, span[at..]) + 1;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], userBytes);
        at += 4;
        at += Encoding.UTF8.GetBytes(userId, span[at..]);
        BinaryPrimitives.WriteInt32BigEndian(span[at..], username is null ? -1 : nameBytes);
        at += 4;
        if (username is not null)
        {
            at += Encoding.UTF8.GetBytes(username, span[at..]);
        }

        if (!legacy)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[at..], instanceBytes - 4);
            at += 4;
            Encoding.UTF8.GetBytes(instanceUrl, span[at..]);
        }

        return data;
    }

    /// <summary>The options a key ring was built from, swapped as one reference so that readers never see half of a change.</summary>
    private sealed record RingSnapshot(TokenEncryptionOptions Source, TokenKeyRing Ring);
}
