using System.Text.RegularExpressions;

namespace Atom.Salesforce.Client.Postgres.Encryption;

/// <summary>The decoded keys of <see cref="TokenEncryptionOptions"/>. Built once per options value; never printed.</summary>
internal sealed partial class TokenKeyRing
{
    public const int KeySize = 32;

    private readonly Dictionary<string, byte[]> _keys;

    private TokenKeyRing(string currentKeyId, Dictionary<string, byte[]> keys)
    {
        CurrentKeyId = currentKeyId;
        _keys = keys;
        CurrentKey = keys[currentKeyId];
    }

    public string CurrentKeyId { get; }

    public byte[] CurrentKey { get; }

    public bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Every problem of <paramref name="options"/>, each naming the setting but never a key's value.</summary>
    public static List<string> Validate(TokenEncryptionOptions? options, string section)
    {
        var failures = new List<string>();
        if (options is null)
        {
            failures.Add($"{section}:Encryption is required: a CurrentKeyId and its key under Keys.");
            return failures;
        }

        if (options.Keys is null || options.Keys.Count == 0)
        {
            failures.Add($"{section}:Encryption:Keys must hold at least one key (32 random bytes in base64, for example from 'openssl rand -base64 32').");
        }
        else
        {
            foreach (var (id, value) in options.Keys)
            {
                if (!KeyIdPattern().IsMatch(id ?? string.Empty))
                {
                    failures.Add($"{section}:Encryption:Keys has a key id that is not 1-32 letters, digits, '.', '_' or '-'.");
                    continue;
                }

                var length = DecodedLength(value);
                if (length != KeySize)
                {
                    failures.Add(length < 0
                        ? $"{section}:Encryption:Keys:{id} is not valid base64; it must be 32 random bytes in base64."
                        : $"{section}:Encryption:Keys:{id} decodes to {length} bytes; AES-256 needs exactly 32 (base64 of 32 random bytes).");
                }
            }
        }

        if (string.IsNullOrWhiteSpace(options.CurrentKeyId))
        {
            failures.Add($"{section}:Encryption:CurrentKeyId is required: the id of the key new tokens are encrypted with.");
        }
        else if (options.Keys is null || !options.Keys.ContainsKey(options.CurrentKeyId))
        {
            failures.Add($"{section}:Encryption:CurrentKeyId is '{options.CurrentKeyId}', but Keys has no key with that id.");
        }

        return failures;
    }

    /// <summary>Decodes a validated key ring.</summary>
    public static TokenKeyRing Create(TokenEncryptionOptions options)
    {
        var failures = Validate(options, PostgresTokenStoreOptions.DefaultSectionName);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in options.Keys)
        {
            keys[id] = Convert.FromBase64String(value.Trim());
        }

        return new TokenKeyRing(options.CurrentKeyId!, keys);
    }

    private static int DecodedLength(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return 0;
        }

        var trimmed = value.Trim();
        var buffer = new byte[trimmed.Length];
        try
        {
            return Convert.TryFromBase64String(trimmed, buffer, out var written) ? written : -1;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex KeyIdPattern();
}
