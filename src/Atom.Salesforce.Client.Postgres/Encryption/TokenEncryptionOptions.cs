namespace Atom.Salesforce.Client.Postgres.Encryption;

/// <summary>
/// The key ring tokens are encrypted with (AES-256-GCM). New writes use <see cref="CurrentKeyId"/>; rows written with any other
/// key of <see cref="Keys"/> stay readable, so keys rotate without downtime: add the new key everywhere, make it current, run
/// <c>PostgresTokenStore.ReEncryptAsync</c>, then remove the old key.
/// </summary>
/// <example>
/// <code>
/// "Encryption": { "CurrentKeyId": "k2", "Keys": { "k1": "&lt;base64 of 32 random bytes&gt;", "k2": "&lt;base64 of 32 random bytes&gt;" } }
/// </code>
/// </example>
public sealed class TokenEncryptionOptions
{
    /// <summary>The id of the key new values are encrypted with; it must be one of <see cref="Keys"/>.</summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>
    /// Key id → key, each key 32 random bytes in base64 (for example <c>openssl rand -base64 32</c>). Ids are 1–32 letters,
    /// digits, <c>.</c>, <c>_</c> or <c>-</c>, and are stored next to each row; a key is never stored.
    /// </summary>
    public IDictionary<string, string> Keys { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
